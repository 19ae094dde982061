"""coding_workbook.xlsx: the coding queue, for analysts to code in a spreadsheet.

One sheet per coded question with the queued answers (wave, survey, response id, the answer,
why it needs a person, what the rules suggest), a category column limited by a drop-down to the
question's categories (more category columns for a list question), and a coder column; an
Instructions sheet first, a Categories sheet (the drop-downs' lists) last. The layout is
orchestration/domain/coding.py's, which the ingest reads returned workbooks with.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import duckdb
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from orchestration.domain.coding import (
    ANSWER,
    CATEGORIES_SHEET,
    INSTRUCTIONS_SHEET,
    QUESTIONS,
    category_headers,
    sheet_headers,
)

# Rows below the queue that keep the drop-down, for rows an analyst copies (another theme).
SPARE_ROWS = 50
WIDTHS = {
    "answer": 60,
    "why it needs you": 34,
    "suggested categories": 30,
    "parts no rule reads": 30,
}


def awaiting_coding(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Queued answers per coded question (every question, 0 when none)."""
    counts = dict(
        con.execute("select question_key, count(*) from marts.coding_queue group by 1").fetchall()
    )
    return {question: counts.get(question, 0) for question in QUESTIONS}


def _instructions(counts: dict[str, int], generated: datetime, coding_dir: str | None) -> list[str]:
    total = sum(counts.values())
    per_question = ", ".join(f"{q}: {n}" for q, n in counts.items())
    where = coding_dir or "the coding folder (PHC_CODING_DIR)"
    return [
        "Coding workbook: free-text answers that need a person",
        f"Written {generated:%Y-%m-%d %H:%M} UTC from the published warehouse.",
        f"{total} answer(s) await coding ({per_question}). Until they are coded, the coded "
        "tables count them as awaiting coding (awaiting_coding), never in a category.",
        "",
        "How to code",
        "1. On each question's sheet, pick the category of an answer from the drop-down in the "
        "'category' column, and put your name or initials in 'coder' on that row.",
        "2. Lead agency and funding take exactly one category per answer.",
        "3. Priorities and demand take every theme the answer names: use 'category', 'category 2' "
        "... on the same row. Your themes replace the rules' for the whole answer, so include "
        "the suggested ones that are right.",
        "4. Leave a row's categories empty to leave it in the queue. Do not edit the wave, "
        "survey, response_id or answer columns: the answer text is checked against the "
        "warehouse, and a code is applied only to the answer you saw.",
        f"5. Save the workbook (any name ending .xlsx) and put it in {where}. The next refresh "
        "(or the landing sensor) checks it and applies it.",
        "",
        "What happens to it",
        "If any row is wrong (a category not in the list, an unknown answer, an answer changed "
        "since this workbook was written, two categories for a one-category answer, a category "
        "without a coder), the whole workbook is rejected, nothing is applied, and the report "
        "lists every problem by sheet and row: fix them and drop the corrected workbook again.",
        "Accepted codes override the rules and stay through every later refresh. If a later "
        "export changes an answer you coded, your code stops applying and the answer comes "
        "back here, saying why.",
    ]


def write_coding_workbook(
    con: duckdb.DuckDBPyConnection, path: Path, generated: datetime, coding_dir: str | None = None
) -> dict[str, int]:
    """Write the workbook from the published file's queue; returns the counts per question."""
    categories: dict[str, list[str]] = defaultdict(list)
    for question, category in con.execute(
        "select question_key, category from marts.coding_categories "
        "order by question_key, category_order, category"
    ).fetchall():
        categories[question].append(category)
    counts = awaiting_coding(con)

    # XlsxWriter streams each sheet's rows to disk (constant_memory): the queue of a large wave
    # is tens of thousands of rows, which openpyxl built as cell objects first (20,000 rows:
    # 2.0 s -> 0.7 s). Answers are free text: never turned into formulas or links (openpyxl
    # made "=..." a formula, so the analyst saw its result, not the answer).
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    heading = workbook.add_format({"text_wrap": True, "valign": "top", "bold": True})
    title = workbook.add_format({"text_wrap": True, "valign": "top", "bold": True, "font_size": 14})
    try:
        intro = workbook.add_worksheet(INSTRUCTIONS_SHEET)
        intro.set_column(0, 0, 120)
        for row, line in enumerate(_instructions(counts, generated, coding_dir)):
            style = title if row == 0 else heading if row in (4, 12) else wrapped
            intro.write_string(row, 0, line, style)

        for index, question in enumerate(QUESTIONS):
            listed = len(categories[question])
            _question_sheet(workbook, con, question, index, listed, bold, wrapped)

        lists = workbook.add_worksheet(CATEGORIES_SHEET)
        for column, question in enumerate(QUESTIONS):
            lists.set_column(column, column, 42)
            lists.write_string(0, column, question, bold)
        # constant_memory writes row by row: the lists go out a row at a time across questions.
        for row in range(max((len(c) for c in categories.values()), default=0)):
            for column, question in enumerate(QUESTIONS):
                if row < len(categories[question]):
                    lists.write_string(row + 1, column, categories[question][row])

        workbook.set_properties({"title": "Coding workbook", "author": "phc-warehouse"})
    finally:
        workbook.close()
    return counts


def _question_sheet(workbook, con, question: str, index: int, n_categories: int, bold, wrapped):
    """One question's sheet: the header, its queued answers in order, the drop-downs."""
    sheet = workbook.add_worksheet(question)
    headers = sheet_headers(question)
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    for position, header in enumerate(headers):
        width = WIDTHS.get(header, 30 if header.startswith("category") else 14)
        sheet.set_column(position, position, width, wrapped if header == ANSWER else None)
    queued = con.execute(
        "select wave, survey, response_id, answer, queue_reason, suggested_categories, "
        "uncoded_parts from marts.coding_queue where question_key = ? "
        "order by wave, survey, response_id",
        [question],
    )
    row = 0
    while batch := queued.fetchmany(10_000):
        for values in batch:
            row += 1
            sheet.write_row(row, 0, values)
    letter = xl_col_to_name(index)
    last_row = row + 1 + SPARE_ROWS
    columns = [xl_col_to_name(headers.index(h)) for h in category_headers(question)]
    first = columns[0]
    sheet.data_validation(
        f"{first}2:{first}{last_row}",
        {
            "validate": "list",
            "source": f"={CATEGORIES_SHEET}!${letter}$2:${letter}${n_categories + 1}",
            "ignore_blank": True,
            "error_title": "Not a category of this question",
            "error_message": "Pick a category from the list (the Categories sheet has them all).",
            # One rule over every category column, as one drop-down list.
            "multi_range": " ".join(f"{c}2:{c}{last_row}" for c in columns),
        },
    )
