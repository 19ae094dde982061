"""write_exports: one complete run of exports from the published file, then an atomic switch.

Order matters: every file is written into a hidden temp folder, scanned for personal data,
hashed into manifest.json, renamed into runs/, and only then is `latest` switched. Any failure
before the switch removes the folder, so `latest` keeps pointing at the previous complete run.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.publish.exports import switch
from orchestration.publish.exports.errors import ExportError
from orchestration.publish.exports.manifest import sha256_file, write_manifest
from orchestration.publish.exports.marts import export_marts
from orchestration.publish.exports.privacy import scan_tree
from orchestration.publish.exports.provenance import Provenance, read_source_exports
from orchestration.runtime.locks import exclusive_lock

log = logging.getLogger(__name__)

# Who to contact about a release, as the cover sheet and the page say it, when the setting
# PHC_RELEASE_CONTACT (read in orchestration/runtime/settings.py) is unset.
DEFAULT_CONTACT = "The policing and health collaboration analysis team"

__all__ = ["ExportError", "ExportResult", "write_exports"]

MARTS_SUBDIR = "marts"
CHARTS_SUBDIR = "charts"
WORKBOOK_NAME = "report_tables.xlsx"
HTML_NAME = "report.html"
CODING_WORKBOOK_NAME = "coding_workbook.xlsx"  # orchestration/domain/coding.py's WORKBOOK_NAME


@dataclass(frozen=True)
class ExportResult:
    run_dir: Path  # exports/runs/<UTC timestamp>_<run id prefix>
    latest: Path  # exports/latest, now pointing at run_dir
    files: dict[str, str]  # relative path -> sha256 (manifest.json excluded)
    row_counts: dict[str, int]  # mart -> rows
    pruned: list[Path]  # older run folders deleted


def _file_identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _refuse_personal_data(
    run_dir: Path, within: str | None = None, skip=(), allowed: tuple[str, ...] = ()
) -> None:
    findings = scan_tree(run_dir / within if within else run_dir, skip=skip, allowed=allowed)
    if findings:
        raise ExportError(
            "personal data (or an unscannable file) in the exports, so they were not switched "
            "in: " + "; ".join(findings[:10])
        )


def _write_run(
    published_path: Path,
    run_dir: Path,
    provenance_args: dict,
    require_provenance: bool,
    generated: datetime,
    contact: str,
    coding_dir: str | None = None,
) -> dict[str, int]:
    """Every export of one run into `run_dir`; returns the mart row counts."""
    # Imported here: matplotlib and openpyxl are only needed when exports are written.
    from orchestration.publish.exports.charts import write_charts
    from orchestration.publish.exports.coding_workbook import write_coding_workbook
    from orchestration.publish.exports.findings import compute_findings
    from orchestration.publish.exports.html_report import write_html
    from orchestration.publish.exports.report_tables import reconciliation_counts, report_tables
    from orchestration.publish.exports.wave_tables import changes_table, trend_tables
    from orchestration.publish.exports.workbook import write_workbook

    with duckdb.connect(str(published_path), read_only=True) as con:
        row_counts = export_marts(con, run_dir / MARTS_SUBDIR)
        # The marts are the only data that could carry personal values: check them before
        # spending time on the workbook and charts made from them.
        _refuse_personal_data(run_dir, within=MARTS_SUBDIR)
        # The coding queue as a workbook analysts fill in and return (PHC_CODING_DIR).
        awaiting = write_coding_workbook(con, run_dir / CODING_WORKBOOK_NAME, generated, coding_dir)
        # The report's tables (its wave), then the trends and what changed, when there are any.
        tables = [*report_tables(con), *trend_tables(con), *changes_table(con)]
        counts = reconciliation_counts(con)
        findings = compute_findings(con)
        provenance = Provenance(
            **provenance_args,
            source_exports=read_source_exports(con, required=require_provenance),
        )
    by_key = {t.key: t for t in tables}

    def data_rows(key: str) -> list[tuple]:
        table = by_key[key]
        return [row for i, row in enumerate(table.rows) if table.style(i) == ""]

    write_workbook(
        run_dir / WORKBOOK_NAME,
        tables,
        provenance,
        generated,
        findings=findings,
        reconciliation=counts,
        contact=contact,
    )
    charts = write_charts(
        run_dir / CHARTS_SUBDIR, data_rows("Table 1"), data_rows("Table 2"), data_rows("Funding")
    )
    write_html(
        run_dir / HTML_NAME,
        tables=tables,
        charts=charts,
        chart_dir=run_dir / CHARTS_SUBDIR,
        reconciliation_counts=counts,
        provenance=provenance,
        findings=findings,
        contact=contact,
        awaiting_coding=awaiting,
    )
    return row_counts


def write_exports(
    published_path: Path,
    exports_dir: Path,
    run_id: str,
    code_version: str,
    *,
    keep: int = switch.KEEP_RUNS,
    require_provenance: bool = False,
    published_name: str | None = None,
    contact: str | None = None,
    share: Callable[[Path], None] | None = None,
    coding_dir: str | None = None,
) -> ExportResult:
    """Write a new run folder of exports and switch `exports_dir/latest` to it.

    `require_provenance`: fail when marts.source_exports is missing (turn on once it is built).
    `published_name`: the name to record when exporting from a not-yet-switched candidate.
    `contact`: who to contact about the release (cover sheet and page); the personal-data scan
    lets exactly this text through, so it may be a team mailbox (PHC_RELEASE_CONTACT).
    `coding_dir`: where analysts return the coding workbook (PHC_CODING_DIR), as its
    instructions say.
    `share(folder)`: gives analysts read access to the finished run folder before it is renamed
    into place (runtime/permissions.py); without it the files keep the process's umask.
    Raises ExportError (or the underlying error); `latest` is then unchanged and no partial
    folder is left.
    """
    published_path, exports_dir = Path(published_path), Path(exports_dir)
    if not published_path.is_file():
        raise ExportError(
            f"no published warehouse at {published_path}: run `make run` first (exports are "
            "made from the published file only)."
        )
    if keep < 1:
        raise ExportError(f"keep={keep}: at least the newest run must be kept.")
    generated = datetime.now(UTC).replace(microsecond=0)
    contact = (contact or DEFAULT_CONTACT).strip()
    identity = _file_identity(published_path)
    provenance_args = {
        "run_id": run_id,
        "code_version": code_version,
        "generated_at": generated.isoformat().replace("+00:00", "Z"),
        "published_file": published_name or published_path.name,
        "published_sha256": sha256_file(published_path),
    }
    runs_dir = exports_dir / switch.RUNS_DIR
    runs_dir.mkdir(parents=True, exist_ok=True)
    # One export at a time, so one cannot prune or clean up another's folder.
    with exclusive_lock(exports_dir):
        switch.remove_leftovers(exports_dir)
        switch.latest_target(exports_dir)  # refuses a `latest` that is not ours before any work
        temp, final = switch.reserve(runs_dir, switch.run_name(run_id, generated))
        renamed = False
        try:
            row_counts = _write_run(
                published_path,
                temp,
                provenance_args,
                require_provenance,
                generated,
                contact,
                coding_dir,
            )
            if _file_identity(published_path) != identity:
                # A publish swapped the file mid-export: the data and its recorded sha256 may
                # come from two different files. The next export will be consistent.
                raise ExportError(
                    f"{published_path} was replaced during the export; run the export again."
                )
            # The rest of the files; the configured contact is the one address they may carry.
            _refuse_personal_data(temp, skip=(MARTS_SUBDIR,), allowed=(contact,))
            hashes = write_manifest(temp, {**provenance_args, "row_counts": row_counts})
            if share is not None:
                share(temp)
            os.rename(temp, final)
            renamed = True
            switch.switch_latest(exports_dir, final)
        except BaseException:
            shutil.rmtree(final if renamed else temp, ignore_errors=True)
            raise
        try:
            pruned = switch.prune(exports_dir, keep)
        except OSError as error:  # the new run is in place; old folders can go next time
            log.warning("could not prune old export runs: %s", error)
            pruned = []
    return ExportResult(final, exports_dir / switch.LATEST, hashes, row_counts, pruned)
