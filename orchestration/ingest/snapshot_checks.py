"""Every export is a full snapshot of its wave: it never has fewer responses than an export of
the same version and wave made before it (by the export time in its name).

Checked set-based against the ledger (raw.deliveries) in the load's transaction, once the
export's wave is known (wave_checks.py): a shrinking export is a broken file like any other,
rejected with its problem named and quarantined, so it never reaches the marts. An export that
arrives late (made before one already loaded) is held to the same rule the other way: it may
not have more responses than the later one. A new wave starts afresh.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from orchestration.ingest.problems import MAX_LISTED_PROBLEMS, Problem
from orchestration.ingest.raw_tables import DELIVERIES


def snapshot_problems(
    con: duckdb.DuckDBPyConnection,
    version: str,
    wave: str | None,
    exported_at: datetime,
    rows: int,
    file_name: str,
) -> list[Problem]:
    """The loaded exports of the version and wave this one contradicts, as problems."""
    if wave is None:  # no wave: the wave checks have already said why
        return []
    contradicted = con.execute(
        f"""
        select file_name, row_count, exported_at < $exported_at as made_before
        from {DELIVERIES}
        where survey_version = $version
            and wave = $wave
            and (
                (exported_at < $exported_at and row_count > $rows)
                or (exported_at > $exported_at and row_count < $rows)
            )
        order by exported_at, file_name
        limit {MAX_LISTED_PROBLEMS}
        """,
        {"version": version, "wave": wave, "exported_at": exported_at, "rows": rows},
    ).fetchall()
    problems = []
    for other, other_rows, made_before in contradicted:
        if made_before:
            expected = (
                f"at least {other_rows} responses, as many as {other} (exported before it, in "
                f"the same wave {wave}) has: every export is a full snapshot of all responses "
                f"so far; this one has {rows}"
            )
        else:
            expected = (
                f"at most {other_rows} responses, as many as {other} (exported after it, in "
                f"the same wave {wave}, already loaded) has: every export is a full snapshot "
                f"of all responses so far; this one has {rows}"
            )
        problems.append(Problem(file_name, None, None, None, expected))
    return problems
