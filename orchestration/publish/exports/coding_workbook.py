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
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from orchestration.domain.coding import (
    CATEGORIES_SHEET,
    CODER,
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
    queue: dict[str, list[tuple]] = defaultdict(list)
    for row in con.execute(
        "select question_key, wave, survey, response_id, answer, queue_reason, "
        "suggested_categories, uncoded_parts from marts.coding_queue "
        "order by question_key, wave, survey, response_id"
    ).fetchall():
        queue[row[0]].append(row[1:])
    categories: dict[str, list[str]] = defaultdict(list)
    for question, category in con.execute(
        "select question_key, category from marts.coding_categories "
        "order by question_key, category_order, category"
    ).fetchall():
        categories[question].append(category)
    counts = {question: len(queue[question]) for question in QUESTIONS}

    workbook = Workbook()
    intro = workbook.active
    intro.title = INSTRUCTIONS_SHEET
    for line in _instructions(counts, generated, coding_dir):
        intro.append([line])
    intro["A1"].font = Font(bold=True, size=14)
    for cell in ("A5", "A13"):
        intro[cell].font = Font(bold=True)
    intro.column_dimensions["A"].width = 120
    for row in intro.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    lists = workbook.create_sheet(CATEGORIES_SHEET)
    for column, question in enumerate(QUESTIONS, start=1):
        lists.cell(row=1, column=column, value=question).font = Font(bold=True)
        for row, category in enumerate(categories[question], start=2):
            lists.cell(row=row, column=column, value=category)
        lists.column_dimensions[get_column_letter(column)].width = 42

    for index, question in enumerate(QUESTIONS):
        sheet = workbook.create_sheet(question, index=1 + index)
        headers = sheet_headers(question)
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in queue[question]:
            sheet.append([*row, *([None] * (len(category_headers(question)) + 1))])
        sheet.freeze_panes = "A2"
        letter = get_column_letter(list(QUESTIONS).index(question) + 1)
        allowed = DataValidation(
            type="list",
            formula1=f"={CATEGORIES_SHEET}!${letter}$2:${letter}${len(categories[question]) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a category of this question",
            error="Pick a category from the list (the Categories sheet has them all).",
        )
        sheet.add_data_validation(allowed)
        last_row = len(queue[question]) + 1 + SPARE_ROWS
        for header in category_headers(question):
            column = get_column_letter(headers.index(header) + 1)
            allowed.add(f"{column}2:{column}{last_row}")
        for position, header in enumerate(headers, start=1):
            width = WIDTHS.get(header, 30 if header.startswith("category") else 14)
            sheet.column_dimensions[get_column_letter(position)].width = width
        answer_column = headers.index("answer") + 1
        for row in sheet.iter_rows(min_row=2, min_col=answer_column, max_col=answer_column):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=1, column=headers.index(CODER) + 1).value = CODER
    workbook.properties.title = "Coding workbook"
    workbook.properties.creator = "phc-warehouse"
    workbook.save(path)
    return counts
