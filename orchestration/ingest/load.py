"""Ingest every export in the landing folder: archive, validate, load — or quarantine.

Per file, in order:
1. hash the bytes (and check UTF-8) in one streaming pass;
2. copy the file into the immutable archive under that hash;
3. skip it if that hash is already loaded (re-delivery is a no-op) or already quarantined;
4. check the name and header against the contract;
5. in ONE transaction: insert the rows with DuckDB's CSV reader, check them with set-based SQL
   (the contract's values, and the survey wave their Started dates fit: exactly one, whose
   questionnaire the header is; and that it is a full snapshot: never fewer responses than an
   earlier export of its version and wave), record the delivery with its wave — or roll
   everything back and quarantine the file.
A rejected file never changes what is already loaded; other files in the run still load.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.domain.contract import VERSIONS
from orchestration.domain.deliveries import LandedFile, discover
from orchestration.domain.waves import Wave, read_waves
from orchestration.ingest.archive import (
    archive_delivery,
    forget,
    remove_stale_temp_files,
    sidecar_path,
)
from orchestration.ingest.from_archive import archived_deliveries
from orchestration.ingest.header import header_problems, questionnaire_for, read_header
from orchestration.ingest.problems import Problem, summarise
from orchestration.ingest.quarantine import already_quarantined, quarantine_file
from orchestration.ingest.raw_tables import (
    DELIVERIES,
    ensure_raw_tables,
    loaded_hashes,
    responses_table,
)
from orchestration.ingest.row_checks import row_problems
from orchestration.ingest.snapshot_checks import snapshot_problems
from orchestration.ingest.wave_checks import backfill_waves, wave_fit
from orchestration.ingest.xlsx import WorkbookError, xlsx_to_csv
from orchestration.runtime.faults import pause_point
from orchestration.runtime.permissions import private_file
from orchestration.runtime.settings import Settings
from orchestration.runtime.sql_text import quote_ident, quote_literal

LOADED = "loaded"
ALREADY_LOADED = "already loaded"
REJECTED = "rejected"
ALREADY_REJECTED = "already rejected"
WAITING = "still being written"
VANISHED = "vanished"
STILL_BEING_WRITTEN = (
    "the file is still being written (it changed in the last few seconds, or while it was "
    "being read): it is left for the next refresh"
)


@dataclass
class FileOutcome:
    file: str
    version: str | None
    status: str
    sha256: str
    rows: int = 0
    archive_path: str | None = None
    quarantine_path: str | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    note: str | None = None

    def error_message(self) -> str:
        return (
            f"{self.file} was rejected ({self.problem_count} problem(s)) and quarantined in "
            f"{self.quarantine_path}:\n{summarise(self.problems)}"
        )


@dataclass
class IngestReport:
    outcomes: list[FileOutcome]

    def for_version(self, version: str) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.version == version]

    @property
    def rejected(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == REJECTED]


def _csv_error_problem(file_name: str, error: duckdb.Error) -> Problem:
    """Turn DuckDB's CSV reader error into a Problem that says the line and what is wrong."""
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    reasons = {
        "unterminated quote": 'every quoted field closed by a matching " (RFC 4180); a quote '
        "is left open, so the rest of the file cannot be read",
        "Expected Number of Columns": "as many fields as the header on every row",
        "Invalid unicode": "UTF-8 text",
    }
    expected = next(
        (reason for key, reason in reasons.items() if key.lower() in text.lower()),
        "a well-formed CSV row (RFC 4180)",
    )
    first_line = text.splitlines()[0] if text else error.__class__.__name__
    where = f"physical line {line[1]} of the file: " if line else ""
    return Problem(file_name, None, None, None, f"{expected} ({where}{first_line})")


def _insert_rows(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    csv_path: Path,
    header: list[str],
    sha256: str,
    loaded_at: datetime,
) -> int:
    version = landed.version
    assert version is not None and landed.exported_at is not None
    columns = ", ".join(f"{quote_literal(name)}: 'VARCHAR'" for name in header)
    reader = (
        f"read_csv({quote_literal(str(csv_path))}, header = true, auto_detect = false, "
        f"columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"', "
        "strict_mode = true, null_padding = false, encoding = 'utf-8')"
    )
    selected = ", ".join(quote_ident(name) for name in header)
    con.execute(
        f"""
        insert into {responses_table(version)} by name
        select $sha as _delivery_sha256, $name as _file_name, $version as _survey_version,
               $exported_at as _exported_at, $loaded_at as _loaded_at,
               row_number() over () as _row_number, {selected}
        from {reader}
        """,
        {
            "sha": sha256,
            "name": landed.name,
            "version": version,
            "exported_at": landed.exported_at,
            "loaded_at": loaded_at,
        },
    )
    return con.execute(
        f"select count(*) from {responses_table(version)} where _delivery_sha256 = ?", [sha256]
    ).fetchone()[0]


def received_at(archived: Path) -> datetime:
    try:
        return datetime.fromisoformat(json.loads(sidecar_path(archived).read_text())["archived_at"])
    except (OSError, ValueError, KeyError):
        return datetime.now(UTC)


def _load_one(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    csv_path: Path,
    sha256: str,
    size_bytes: int,
    archived: Path,
    waves: tuple[Wave, ...],
) -> tuple[int, list[Problem], int]:
    """Load one contract-named file in a transaction; returns rows, problems, problem count."""
    header = read_header(csv_path)
    if header is None:
        problem = Problem(landed.name, None, None, None, "a header row; the file is empty")
        return 0, [problem], 1
    assert landed.version is not None
    problems = header_problems(landed.name, landed.version, header)
    if problems:
        return 0, problems, len(problems)

    # The time the export was first received (archived), not the time of this load: a
    # rebuild from the archive then reproduces the deliveries exactly.
    loaded_at = received_at(archived)
    questionnaire = questionnaire_for(landed.version, header)
    con.execute("begin transaction")
    try:
        rows = _insert_rows(con, landed, csv_path, header, sha256, loaded_at)
        if rows == 0:
            problems, total = (
                [
                    Problem(
                        landed.name,
                        None,
                        None,
                        None,
                        "at least one response below the header; the file has none",
                    )
                ],
                1,
            )
        else:
            problems, total = row_problems(con, landed.version, sha256, landed.name)
            fit = wave_fit(con, landed.version, sha256, landed.name, waves, questionnaire)
            shrunk = (
                []
                if fit.problems
                else snapshot_problems(
                    con, landed.version, fit.wave, landed.exported_at, rows, landed.name
                )
            )
            problems = sorted(
                [*problems, *fit.problems, *shrunk], key=lambda p: (p.row or 0, p.column or "")
            )
            total += fit.total + len(shrunk)
        if problems:
            con.execute("rollback")
            return 0, problems, total
        pause_point("ingest")  # fault tests kill the refresh here, mid-transaction
        con.execute(
            f"""insert into {DELIVERIES} (sha256, file_name, survey_version, exported_at,
                    file_format, size_bytes, row_count, archive_path, loaded_at, wave,
                    first_started_at, last_started_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                sha256,
                landed.name,
                landed.version,
                landed.exported_at,
                landed.file_format,
                size_bytes,
                rows,
                str(archived),
                loaded_at,
                fit.wave,
                fit.first_started_at,
                fit.last_started_at,
            ],
        )
        con.execute("commit")
        return rows, [], 0
    except duckdb.Error as error:
        con.execute("rollback")
        return 0, [_csv_error_problem(landed.name, error)], 1
    except BaseException:
        con.execute("rollback")
        raise


def _settled_stat(path: Path, settle_seconds: float) -> os.stat_result | None:
    """The file's stat once it has not changed for settle_seconds; None if it keeps changing.

    A file copied into the landing folder a moment ago may still be growing: wait a little
    (a person running `make run` right after copying expects it to load), but not forever.
    """
    deadline = time.monotonic() + max(30.0, 6 * settle_seconds)
    while True:
        info = path.stat()
        age = time.time() - info.st_mtime
        if age >= settle_seconds:
            return info
        if time.monotonic() + (settle_seconds - age) > deadline:
            return None
        time.sleep(settle_seconds - age)


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    settings: Settings,
    loaded: set[str],
    settle_seconds: float | None = None,
    waves: tuple[Wave, ...] | None = None,
) -> FileOutcome:
    settle = settings.landing_settle_seconds if settle_seconds is None else settle_seconds
    if waves is None:
        waves = read_waves(settings.survey_waves_path)
    try:
        before = _settled_stat(landed.path, settle)
        if before is None:
            return FileOutcome(landed.name, landed.version, WAITING, "", note=STILL_BEING_WRITTEN)
        archived = archive_delivery(landed, settings.archive_dir)
        after = landed.path.stat()
    except FileNotFoundError:
        return FileOutcome(
            landed.name,
            landed.version,
            VANISHED,
            "",
            note="the file was removed from the landing folder while the "
            "refresh was reading it; nothing was loaded from it",
        )
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        forget(archived)  # a half-copied file is never loaded, nor kept as if it were whole
        return FileOutcome(landed.name, landed.version, WAITING, "", note=STILL_BEING_WRITTEN)

    outcome = FileOutcome(
        landed.name, landed.version, LOADED, archived.sha256, archive_path=str(archived.path)
    )
    if archived.sha256 in loaded:
        outcome.status = ALREADY_LOADED
        return outcome
    if already_quarantined(settings.quarantine_dir, archived.sha256):
        outcome.status = ALREADY_REJECTED
        return outcome

    # From here on only the archived copy is read.
    source = archived.path
    problems: list[Problem] = []
    total = 0
    if landed.name_problem:
        problems = [Problem(landed.name, None, None, None, landed.name_problem)]
    elif archived.size_bytes == 0:
        problems = [Problem(landed.name, None, None, None, "a header row; the file is empty")]
    elif archived.utf8_error:
        problems = [Problem(landed.name, None, None, None, f"UTF-8 text; {archived.utf8_error}")]
    elif landed.file_format == "xlsx":
        with tempfile.TemporaryDirectory(prefix="phc-xlsx-") as tmp:
            csv_path = Path(tmp) / f"{landed.path.stem}.csv"
            try:
                xlsx_to_csv(source, csv_path)
            except WorkbookError as exc:
                problems = [Problem(landed.name, None, None, None, f"an .xlsx workbook; {exc}")]
            else:
                outcome.rows, problems, total = _load_one(
                    con, landed, csv_path, archived.sha256, archived.size_bytes, source, waves
                )
    else:
        outcome.rows, problems, total = _load_one(
            con, landed, source, archived.sha256, archived.size_bytes, source, waves
        )

    if problems:
        outcome.status = REJECTED
        outcome.rows = 0
        outcome.problems = problems
        outcome.problem_count = max(total, len(problems))
        folder = quarantine_file(
            source, landed.name, archived.sha256, problems, settings.quarantine_dir
        )
        outcome.quarantine_path = str(folder)
    else:
        loaded.add(archived.sha256)
    return outcome


def ingest_landing(settings: Settings, log: Callable[[str], None] | None = None) -> IngestReport:
    """Ingest every export in the landing folder into the working DuckDB file."""
    return ingest_files(discover(settings.landing_dir), settings, log)


def ingest_archive(settings: Settings, log: Callable[[str], None] | None = None) -> IngestReport:
    """Ingest every archived delivery again, verified, in the order first delivered."""
    files = archived_deliveries(settings.archive_dir)
    return ingest_files(files, settings, log, settle_seconds=0)


def ingest_files(
    files: list[LandedFile],
    settings: Settings,
    log: Callable[[str], None] | None = None,
    settle_seconds: float | None = None,
) -> IngestReport:
    log = log or (lambda message: None)
    # The waves seed, read (and checked) before anything is touched: a malformed one raises
    # WavesError, which the ingest step reports as a configuration error.
    waves = read_waves(settings.survey_waves_path)
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    outcomes = []
    remove_stale_temp_files(settings.archive_dir, older_than_seconds=0)
    with duckdb.connect(str(settings.warehouse_path), config=settings.duckdb_config()) as con:
        private_file(settings.warehouse_path)  # raw holds personal data, whatever the umask
        ensure_raw_tables(con)
        backfill_waves(con, waves, VERSIONS)
        loaded = loaded_hashes(con)
        for landed in files:
            outcome = ingest_file(con, landed, settings, loaded, settle_seconds, waves)
            log(
                f"{outcome.file}: {outcome.status}"
                + (f", {outcome.rows} rows" if outcome.status == LOADED else "")
                + (f" ({outcome.note})" if outcome.note else "")
            )
            outcomes.append(outcome)
    return IngestReport(outcomes)
