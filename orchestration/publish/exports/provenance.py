"""Which source exports and which code produced a run of exports, and when."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from orchestration.publish.exports.errors import ExportError
from orchestration.publish.exports.marts import has_mart

SOURCE_EXPORT_COLUMNS = (
    "survey",
    "file_name",
    "exported_at",
    "sha256",
    "row_count",
    "loaded_at",
    "is_current",
)


@dataclass(frozen=True)
class Provenance:
    run_id: str
    code_version: str
    generated_at: str  # ISO 8601, UTC
    published_file: str  # name only: the exports must not depend on where the data folder is
    published_sha256: str
    # Rows of marts.source_exports (SOURCE_EXPORT_COLUMNS); None when the mart is absent.
    source_exports: tuple[tuple[Any, ...], ...] | None

    def summary(self) -> list[tuple[str, str]]:
        return [
            ("Generated at (UTC)", self.generated_at),
            ("Code version", self.code_version),
            ("Run id", self.run_id),
            ("Published file", self.published_file),
            ("Published file sha256", self.published_sha256),
        ]


def read_source_exports(
    con: duckdb.DuckDBPyConnection, *, required: bool
) -> tuple[tuple[Any, ...], ...] | None:
    """marts.source_exports, current exports first; None (or an error if required) if absent."""
    if not has_mart(con, "source_exports"):
        if required:
            raise ExportError(
                "marts.source_exports is not in the published file: the provenance sheet "
                "cannot say which exports produced these figures. Build that mart, refresh."
            )
        return None
    columns = ", ".join(SOURCE_EXPORT_COLUMNS)
    rows = con.execute(
        f"select {columns} from marts.source_exports "
        "order by is_current desc, survey, exported_at desc, file_name"
    ).fetchall()
    return tuple(rows)
