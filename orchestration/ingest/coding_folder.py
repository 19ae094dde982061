"""The coding folder (PHC_CODING_DIR) in a refresh, and the archived workbooks in a rebuild.

Each returned coding workbook is applied whole or rejected whole (coding_workbooks.py says how
it is checked); the outcome per workbook is a FileOutcome like an export's, so the ingest step
reports, alerts and fails on a rejected workbook as it does on a rejected export.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from orchestration.ingest.coding_workbooks import (
    WHAT_TO_DO,
    applied_workbooks,
    archive_workbook,
    archived_workbooks,
    check_codes,
    load_codes,
    read_workbook,
    workbooks_in,
)
from orchestration.ingest.load import (
    ALREADY_LOADED,
    ALREADY_REJECTED,
    LOADED,
    REJECTED,
    STILL_BEING_WRITTEN,
    VANISHED,
    WAITING,
    FileOutcome,
    settled_stat,
)
from orchestration.ingest.quarantine import already_quarantined, quarantine_file
from orchestration.ingest.raw_tables import ensure_raw_tables
from orchestration.runtime.hashing import sha256_file
from orchestration.runtime.permissions import private_file
from orchestration.runtime.settings import Settings

WORKBOOK_KIND = "coding workbook"


def _ingest_workbook(
    con: duckdb.DuckDBPyConnection, path: Path, settings: Settings, applied: set[str]
) -> FileOutcome:
    name = path.name
    try:
        before = settled_stat(path, settings.landing_settle_seconds)
        if before is None:
            return FileOutcome(name, None, WAITING, "", note=STILL_BEING_WRITTEN)
        sha = sha256_file(path)
        after = path.stat()
    except FileNotFoundError:
        return FileOutcome(name, None, VANISHED, "", note="removed while it was being read")
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        return FileOutcome(name, None, WAITING, "", note=STILL_BEING_WRITTEN)
    outcome = FileOutcome(name, None, LOADED, sha)
    if sha in applied:
        outcome.status = ALREADY_LOADED
        return outcome
    if already_quarantined(settings.quarantine_dir, sha):
        outcome.status = ALREADY_REJECTED
        return outcome
    codes, problems = read_workbook(path, name)
    if not problems:
        problems = check_codes(con, name, codes)
    if not problems and not codes:
        outcome.note = "no row coded yet: nothing to apply"
    if problems:
        outcome.status = REJECTED
        outcome.problems = problems
        outcome.problem_count = len(problems)
        folder = quarantine_file(
            path, name, sha, problems, settings.quarantine_dir, WHAT_TO_DO, WORKBOOK_KIND
        )
        outcome.quarantine_path = str(folder)
        return outcome
    archived, received_at = archive_workbook(path, name, settings.archive_dir)
    outcome.archive_path = str(archived)
    load_codes(con, codes, sha, name, received_at, archived)
    outcome.rows = len(codes)
    applied.add(sha)
    return outcome


def ingest_coding_folder(
    settings: Settings, log: Callable[[str], None] | None = None
) -> list[FileOutcome]:
    """Check and apply every new workbook of the coding folder, oldest first."""
    log = log or (lambda message: None)
    paths = workbooks_in(settings.coding_dir)
    outcomes: list[FileOutcome] = []
    with duckdb.connect(str(settings.warehouse_path), config=settings.duckdb_config()) as con:
        private_file(settings.warehouse_path)
        ensure_raw_tables(con)
        applied = applied_workbooks(con)
        for path in paths:
            outcome = _ingest_workbook(con, path, settings, applied)
            log(
                f"coding workbook {outcome.file}: {outcome.status}"
                + (f", {outcome.rows} code(s)" if outcome.status == LOADED else "")
                + (f" ({outcome.note})" if outcome.note else "")
            )
            outcomes.append(outcome)
    return outcomes


def replay_coding_archive(
    settings: Settings, log: Callable[[str], None] | None = None
) -> list[FileOutcome]:
    """A rebuild: every archived workbook's codes again, in the order received, unchecked (each
    was checked when it arrived; dbt drops the codes whose answers changed since)."""
    log = log or (lambda message: None)
    entries = archived_workbooks(settings.archive_dir)
    outcomes: list[FileOutcome] = []
    with duckdb.connect(str(settings.warehouse_path), config=settings.duckdb_config()) as con:
        ensure_raw_tables(con)
        applied = applied_workbooks(con)
        for path, name, received_at in entries:
            sha = path.stem
            outcome = FileOutcome(name, None, ALREADY_LOADED, sha, archive_path=str(path))
            if sha not in applied:
                codes, problems = read_workbook(path, name)
                if problems:  # cannot happen to a checked workbook unless the layout changed
                    outcome.status, outcome.problems = REJECTED, problems
                    outcome.problem_count = len(problems)
                else:
                    load_codes(con, codes, sha, name, received_at, path)
                    outcome.status, outcome.rows = LOADED, len(codes)
                    applied.add(sha)
            log(f"coding workbook {name}: {outcome.status}")
            outcomes.append(outcome)
    return outcomes
