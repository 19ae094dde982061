"""Ingest every export in the landing folder: archive, validate, load — or quarantine.

Per file, in order:
1. hash the bytes (and check UTF-8) in one streaming pass;
2. copy the file into the immutable archive under that hash;
3. skip it if that hash is already loaded (re-delivery is a no-op) or already quarantined;
4. check the name and header against the contract;
5. in ONE transaction: insert the rows with DuckDB's CSV reader, check them with set-based SQL,
   record the delivery — or roll everything back and quarantine the file.
A rejected file never changes what is already loaded; other files in the run still load.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.config import Settings
from orchestration.ingest.archive import archive_file
from orchestration.ingest.fileinfo import inspect_file
from orchestration.ingest.header import header_problems, read_header
from orchestration.ingest.landing import LandedFile, discover
from orchestration.ingest.problems import Problem, summarise
from orchestration.ingest.quarantine import already_quarantined, quarantine_file
from orchestration.ingest.raw_tables import (
    DELIVERIES,
    ensure_raw_tables,
    loaded_hashes,
    quote_ident,
    quote_literal,
    responses_table,
)
from orchestration.ingest.row_checks import row_problems
from orchestration.ingest.xlsx import WorkbookError, xlsx_to_csv

LOADED = "loaded"
ALREADY_LOADED = "already loaded"
REJECTED = "rejected"
ALREADY_REJECTED = "already rejected"


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
        "unterminated quote": "every quoted field closed by a matching \" (RFC 4180); a quote "
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


def _load_one(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    csv_path: Path,
    sha256: str,
    size_bytes: int,
    archived: Path,
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

    loaded_at = datetime.now(UTC)
    con.execute("begin transaction")
    try:
        rows = _insert_rows(con, landed, csv_path, header, sha256, loaded_at)
        if rows == 0:
            problems, total = [
                Problem(landed.name, None, None, None,
                        "at least one response below the header; the file has none")
            ], 1
        else:
            problems, total = row_problems(con, landed.version, sha256, landed.name)
        if problems:
            con.execute("rollback")
            return 0, problems, total
        con.execute(
            f"insert into {DELIVERIES} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sha256, landed.name, landed.version, landed.exported_at, landed.file_format,
             size_bytes, rows, str(archived), loaded_at],
        )
        con.execute("commit")
        return rows, [], 0
    except duckdb.Error as error:
        con.execute("rollback")
        return 0, [_csv_error_problem(landed.name, error)], 1
    except BaseException:
        con.execute("rollback")
        raise


def ingest_file(
    con: duckdb.DuckDBPyConnection, landed: LandedFile, settings: Settings, loaded: set[str]
) -> FileOutcome:
    info = inspect_file(landed.path, check_utf8=landed.file_format == "csv")
    archived = archive_file(landed, info.sha256, settings.archive_dir)
    outcome = FileOutcome(landed.name, landed.version, LOADED, info.sha256,
                          archive_path=str(archived))
    if info.sha256 in loaded:
        outcome.status = ALREADY_LOADED
        return outcome
    if already_quarantined(settings.quarantine_dir, info.sha256):
        outcome.status = ALREADY_REJECTED
        return outcome

    problems: list[Problem] = []
    total = 0
    if landed.name_problem:
        problems = [Problem(landed.name, None, None, None, landed.name_problem)]
    elif info.size_bytes == 0:
        problems = [Problem(landed.name, None, None, None, "a header row; the file is empty")]
    elif info.utf8_error:
        problems = [Problem(landed.name, None, None, None, f"UTF-8 text; {info.utf8_error}")]
    elif landed.file_format == "xlsx":
        with tempfile.TemporaryDirectory(prefix="phc-xlsx-") as tmp:
            csv_path = Path(tmp) / f"{landed.path.stem}.csv"
            try:
                xlsx_to_csv(landed.path, csv_path)
            except WorkbookError as exc:
                problems = [Problem(landed.name, None, None, None, f"an .xlsx workbook; {exc}")]
            else:
                outcome.rows, problems, total = _load_one(
                    con, landed, csv_path, info.sha256, info.size_bytes, archived)
    else:
        outcome.rows, problems, total = _load_one(
            con, landed, landed.path, info.sha256, info.size_bytes, archived)

    if problems:
        outcome.status = REJECTED
        outcome.rows = 0
        outcome.problems = problems
        outcome.problem_count = max(total, len(problems))
        folder = quarantine_file(landed.path, info.sha256, problems, settings.quarantine_dir)
        outcome.quarantine_path = str(folder)
    else:
        loaded.add(info.sha256)
    return outcome


def ingest_landing(
    settings: Settings, log: Callable[[str], None] | None = None
) -> IngestReport:
    """Ingest every export in the landing folder into the working DuckDB file."""
    log = log or (lambda message: None)
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    files = discover(settings.landing_dir)
    outcomes = []
    with duckdb.connect(str(settings.warehouse_path)) as con:
        ensure_raw_tables(con)
        loaded = loaded_hashes(con)
        for landed in files:
            outcome = ingest_file(con, landed, settings, loaded)
            log(f"{outcome.file}: {outcome.status}"
                + (f", {outcome.rows} rows" if outcome.status == LOADED else ""))
            outcomes.append(outcome)
    return IngestReport(outcomes)
