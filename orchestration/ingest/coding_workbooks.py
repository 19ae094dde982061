"""Returned coding workbooks: read, checked strictly, then applied whole or rejected whole.

An analyst codes the queue in exports/latest/coding_workbook.xlsx and drops it into the coding
folder (PHC_CODING_DIR). Per workbook, in order:
1. hash it; a workbook already applied (raw.coding_workbooks) or already rejected is skipped,
   so leaving it in the folder, or delivering it again, changes nothing;
2. read every coded row (a row with a category; the layout is orchestration/domain/coding.py's);
3. check them all against the warehouse, set-based in DuckDB: each category is one of the
   question's (marts.coding_categories), each answer exists (wave, survey, response, question
   in intermediate.int_free_text_answers), its text is still what the workbook shows, a
   one-category question gets one category per answer, each coded row names its coder;
4. any problem rejects the WHOLE workbook: quarantined with report.json / report.md listing
   every problem (sheet, row, column, what to do), nothing applied; otherwise it is archived by
   content hash (archive/coding/) and its codes are loaded into raw.analyst_codes in one
   transaction, with the answer text they were given for (dbt applies a code only while the
   answer still reads so).
A rebuild replays the archived workbooks (they were checked when they arrived).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.domain.coding import (
    ANSWER,
    CODER,
    QUESTIONS,
    RESPONSE_ID,
    SURVEY,
    WAVE,
    category_headers,
    is_workbook_name,
    sheet_headers,
)
from orchestration.ingest.problems import Problem
from orchestration.runtime.hashing import copy_hashing, sha256_file
from orchestration.runtime.permissions import PRIVATE_READ_ONLY, private_dir

CODING_ARCHIVE = "coding"

WHAT_TO_DO = (
    "Nothing in the workbook was applied. Fix every problem listed (sheet and row as Excel "
    "shows them), save the workbook and put it in the coding folder again (a corrected file "
    "is a new file; this one is not reported again). To code answers that changed, take the "
    "newest coding_workbook.xlsx from the exports."
)


@dataclass(frozen=True)
class CodeRow:
    """One code: a category given to an answer on a row of a returned workbook."""

    sheet: str
    sheet_row: int
    category_column: str
    wave: str
    survey: str
    response_id: int | None
    response_id_text: str
    question_key: str
    answer_text: str
    category: str
    coder: str


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clean(text: str) -> str:
    """Cell text as compared with the warehouse: no carriage returns, no surrounding space."""
    return text.replace("\r", "").strip()


def read_workbook(path: Path, name: str) -> tuple[list[CodeRow], list[Problem]]:
    """Every coded row of the question sheets, or the problems that stop it being read."""
    from openpyxl import load_workbook  # imported here: only a returned workbook pays for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        return [], [
            Problem(name, None, None, None, f"a readable .xlsx workbook ({exc.__class__.__name__})")
        ]
    codes: list[CodeRow] = []
    problems: list[Problem] = []
    try:
        sheets = [question for question in QUESTIONS if question in workbook.sheetnames]
        if not sheets:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    ", ".join(workbook.sheetnames[:8]),
                    "a coding workbook: sheets named " + ", ".join(QUESTIONS) + " (as "
                    "coding_workbook.xlsx from the exports has them)",
                )
            )
        for question in sheets:
            rows = workbook[question].iter_rows(values_only=True)
            header = tuple(_clean(_text(v)) for v in next(rows, ()))
            expected = sheet_headers(question)
            if header[: len(expected)] != expected:
                problems.append(
                    Problem(
                        name,
                        1,
                        f"{question} / header",
                        ", ".join(h for h in header if h),
                        "the header row of the exported workbook: "
                        + ", ".join(expected)
                        + " (do not rename, move or delete columns)",
                    )
                )
                continue
            at = {h: i for i, h in enumerate(expected)}
            for number, values in enumerate(rows, start=2):
                cells = [_text(v) for v in values] + [""] * len(expected)
                given = [(h, _clean(cells[at[h]])) for h in category_headers(question)]
                given = [(h, c) for h, c in given if c]
                if not given:
                    continue  # not coded (yet): stays in the queue
                rid_text = _clean(cells[at[RESPONSE_ID]])
                rid = int(rid_text) if rid_text.isdigit() else None
                if rid is None:
                    problems.append(
                        Problem(
                            name,
                            number,
                            f"{question} / {RESPONSE_ID}",
                            rid_text,
                            "the response's numeric Response ID as the exported workbook gives "
                            "it (do not edit it)",
                        )
                    )
                for header, category in given:
                    codes.append(
                        CodeRow(
                            sheet=question,
                            sheet_row=number,
                            category_column=header,
                            wave=_clean(cells[at[WAVE]]),
                            survey=_clean(cells[at[SURVEY]]),
                            response_id=rid,
                            response_id_text=rid_text,
                            question_key=question,
                            answer_text=_clean(cells[at[ANSWER]]),
                            category=category,
                            coder=_clean(cells[at[CODER]]),
                        )
                    )
    finally:
        workbook.close()
    return codes, problems


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? "
            "and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


# Each check: (expected, SQL selecting the problem rows' sheet, row, column, value).
_CHECKS = (
    (
        "the coder's name or initials in the coder column of every coded row",
        """select sheet, sheet_row, sheet || ' / coder', null from codes
           where coalesce(coder, '') = '' group by all""",
    ),
    (
        "a category of the question, picked from the drop-down (the Categories sheet lists them)",
        """select codes.sheet, codes.sheet_row, codes.sheet || ' / ' || codes.category_column,
                  codes.category
           from codes anti join categories
               on codes.question_key = categories.question_key
               and codes.category = categories.category""",
    ),
    (
        "an answer of the warehouse: the wave, survey and response_id of a row as the exported "
        "workbook gives them (do not edit them; a response of an export no longer current is "
        "not coded)",
        """select sheet, sheet_row, sheet || ' / response_id',
                  wave || ' / ' || survey || ' / ' || response_id_text
           from codes anti join answers
               on codes.wave = answers.wave
               and codes.survey = answers.survey
               and codes.response_id = answers.response_id
               and codes.question_key = answers.question_key
           group by all""",
    ),
    (
        "the answer as the warehouse now has it: the answer changed since this workbook was "
        "written (a later export), so the code would not be for what you read; code it again "
        "in the newest coding_workbook.xlsx",
        """select codes.sheet, codes.sheet_row, codes.sheet || ' / answer',
                  left(codes.answer_text, 80)
           from codes inner join answers
               on codes.wave = answers.wave
               and codes.survey = answers.survey
               and codes.response_id = answers.response_id
               and codes.question_key = answers.question_key
           where codes.answer_text <> answers.answer_text
           group by all""",
    ),
    (
        "one category for this answer (lead agency and funding take exactly one): keep one and "
        "clear the others",
        """with several as (
               select wave, survey, response_id, question_key
               from codes
               where question_key in ('lead_agency', 'funding')
               group by all
               having count(distinct category) > 1
           )
           select codes.sheet, codes.sheet_row, codes.sheet || ' / ' || codes.category_column,
                  codes.category
           from codes inner join several using (wave, survey, response_id, question_key)""",
    ),
)


def check_codes(con: duckdb.DuckDBPyConnection, name: str, codes: list[CodeRow]) -> list[Problem]:
    """Every problem of the codes against the warehouse (set-based, in a temporary table)."""
    if not (
        _has_table(con, "intermediate", "int_free_text_answers")
        and _has_table(con, "marts", "coding_categories")
    ):
        return [
            Problem(
                name,
                None,
                None,
                None,
                "a warehouse that has been refreshed: it holds no coded answers yet, so no code "
                "can be checked; refresh once, then return the workbook",
            )
        ]
    con.execute(
        "create or replace temporary table codes (sheet varchar, sheet_row bigint, "
        "category_column varchar, wave varchar, survey varchar, response_id bigint, "
        "response_id_text varchar, question_key varchar, answer_text varchar, category varchar, "
        "coder varchar)"
    )
    con.executemany(
        "insert into codes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c.sheet,
                c.sheet_row,
                c.category_column,
                c.wave,
                c.survey,
                c.response_id,
                c.response_id_text,
                c.question_key,
                c.answer_text,
                c.category,
                c.coder,
            )
            for c in codes
        ],
    )
    con.execute(
        "create or replace temporary table answers as select wave, survey, response_id, "
        "question_key, trim(replace(answer_trimmed, chr(13), '')) as answer_text "
        "from intermediate.int_free_text_answers"
    )
    con.execute(
        "create or replace temporary table categories as select question_key, category "
        "from marts.coding_categories"
    )
    problems = []
    try:
        for expected, query in _CHECKS:
            for _sheet, row, column, value in con.execute(query).fetchall():
                problems.append(Problem(name, row, column, value, expected))
    finally:
        for table in ("codes", "answers", "categories"):
            con.execute(f"drop table if exists {table}")
    order = list(QUESTIONS)
    return sorted(
        problems,
        key=lambda p: (
            order.index(p.column.split(" / ")[0]) if p.column else -1,
            p.row or 0,
            p.column or "",
        ),
    )


# ---------------------------------------------------------------- archive and load


def coding_archive_dir(archive_dir: Path) -> Path:
    return archive_dir / CODING_ARCHIVE


def archive_workbook(source: Path, name: str, archive_dir: Path) -> tuple[Path, str]:
    """Copy the workbook into archive/coding/<sha[:2]>/<sha>.xlsx (once) with a sidecar;
    returns the archived path and when it was first received."""
    folder = private_dir(coding_archive_dir(archive_dir))
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            sha, size, _ = copy_hashing(source, out, False)
            out.flush()
            os.fsync(out.fileno())
        target = folder / sha[:2] / f"{sha}.xlsx"
        sidecar = target.with_suffix(".json")
        if target.exists() and sidecar.exists():
            os.unlink(temp_name)
            return target, json.loads(sidecar.read_text())["archived_at"]
        private_dir(target.parent)
        os.chmod(temp_name, PRIVATE_READ_ONLY)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    received = datetime.now(UTC).isoformat()
    sidecar.write_text(
        json.dumps(
            {
                "sha256": sha,
                "original_name": name,
                "kind": "coding_workbook",
                "size_bytes": size,
                "archived_at": received,
            },
            indent=2,
        )
    )
    os.chmod(sidecar, PRIVATE_READ_ONLY)
    return target, received


def load_codes(
    con: duckdb.DuckDBPyConnection,
    codes: list[CodeRow],
    sha256: str,
    name: str,
    received_at: str,
    archived: Path,
) -> None:
    """The workbook's codes and its ledger row, in one transaction."""
    from orchestration.ingest.raw_tables import ANALYST_CODES, CODING_WORKBOOKS

    con.execute("begin transaction")
    try:
        con.executemany(
            f"insert into {ANALYST_CODES} (workbook_sha256, workbook_name, received_at, "
            "sheet_name, sheet_row, wave, survey, response_id, question_key, answer_text, "
            "category, coder) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sha256,
                    name,
                    received_at,
                    c.sheet,
                    c.sheet_row,
                    c.wave,
                    c.survey,
                    c.response_id,
                    c.question_key,
                    c.answer_text,
                    c.category,
                    c.coder,
                )
                for c in codes
            ],
        )
        con.execute(
            f"insert into {CODING_WORKBOOKS} values (?, ?, ?, ?, ?)",
            [sha256, name, received_at, str(archived), len(codes)],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def applied_workbooks(con: duckdb.DuckDBPyConnection) -> set[str]:
    from orchestration.ingest.raw_tables import CODING_WORKBOOKS

    return {row[0] for row in con.execute(f"select sha256 from {CODING_WORKBOOKS}").fetchall()}


def workbooks_in(coding_dir: Path) -> list[Path]:
    """The coding folder's workbooks, oldest first (a missing folder holds none)."""
    if not coding_dir.is_dir():
        return []
    found = [p for p in coding_dir.iterdir() if p.is_file() and is_workbook_name(p.name)]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def archived_workbooks(archive_dir: Path) -> list[tuple[Path, str, str]]:
    """Every archived workbook as (path, original name, received at), in order received;
    each verified against its hash (DamagedArchive otherwise)."""
    from orchestration.ingest.from_archive import DamagedArchive

    entries, damaged = [], []
    for sidecar in sorted(coding_archive_dir(archive_dir).glob("*/*.json")):
        meta = json.loads(sidecar.read_text())
        path = sidecar.with_suffix(".xlsx")
        if not path.exists() or sha256_file(path) != meta["sha256"]:
            damaged.append(f"{path} (delivered as {meta['original_name']})")
            continue
        entries.append((path, meta["original_name"], meta["archived_at"]))
    if damaged:
        raise DamagedArchive(
            "The archive is damaged; nothing was rebuilt. These coding workbooks are missing or "
            "do not match the hash they are stored under:\n- "
            + "\n- ".join(damaged)
            + "\nRestore them from a backup of PHC_DATA_DIR/archive."
        )
    return sorted(entries, key=lambda e: (e[2], e[1]))
