"""report_tables.xlsx: one formatted sheet per report table, plus a Provenance sheet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from orchestration.publish.exports.provenance import SOURCE_EXPORT_COLUMNS, Provenance
from orchestration.publish.exports.report_tables import ReportTable

NUMBER_FORMATS = {"int": "#,##0", "pct": "0.0%", "num": "0.####", "text": "@"}
TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
HEADING_FILL = PatternFill("solid", fgColor="F2F2F2")
RULE = Border(bottom=Side(style="thin", color="7F7F7F"))
MAX_WIDTH = 70
HEADER_ROW = 3  # title, blank line, then the header


def _width(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(f"{value}") + 2


def _fit_columns(sheet: Worksheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)


def _table_sheet(book: Workbook, table: ReportTable) -> None:
    sheet = book.create_sheet(table.key)
    sheet["A1"] = table.title
    sheet["A1"].font = TITLE
    widths: dict[int, int] = {}
    for col, name in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=name)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, RULE
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths[col] = min(max(_width(name), 10), 22) if col > 1 else 12
    for index, row in enumerate(table.rows):
        r = HEADER_ROW + 1 + index
        style = table.style(index)
        for col, (value, fmt) in enumerate(zip(row, table.formats, strict=True), start=1):
            cell = sheet.cell(row=r, column=col, value=value)
            cell.number_format = NUMBER_FORMATS[fmt]
            if style in ("total", "heading") or (col - 1) in table.bold_columns:
                cell.font = BOLD
            if style == "heading":
                cell.fill = HEADING_FILL
            elif fmt == "text" and value is not None:
                widths[col] = max(widths[col], _width(value))
    after = HEADER_ROW + len(table.rows) + 2
    for offset, note in enumerate((*table.notes, f"Source: {table.source}")):
        sheet.cell(row=after + offset, column=1, value=note).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    _fit_columns(sheet, widths)


def _provenance_sheet(book: Workbook, provenance: Provenance) -> None:
    sheet = book.create_sheet("Provenance")
    sheet["A1"] = "Provenance: what produced these tables"
    sheet["A1"].font = TITLE
    row = 3
    for label, value in provenance.summary():
        sheet.cell(row=row, column=1, value=label).font = BOLD
        sheet.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value="Source exports").font = TITLE
    row += 1
    if provenance.source_exports is None:
        sheet.cell(row=row, column=1, value="marts.source_exports is not in the published file.")
    else:
        for col, name in enumerate(SOURCE_EXPORT_COLUMNS, start=1):
            cell = sheet.cell(row=row, column=col, value=name)
            cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, RULE
        for values in provenance.source_exports:
            row += 1
            for col, value in enumerate(values, start=1):
                # Excel has no time zones: write timestamps as ISO text, exactly as stored.
                shown = value.isoformat(sep=" ") if isinstance(value, datetime) else value
                sheet.cell(row=row, column=col, value=shown)
    _fit_columns(sheet, {1: 24, 2: 30, 3: 22, 4: 66, 5: 10, 6: 22, 7: 10})


def write_workbook(
    path: Path, tables: list[ReportTable], provenance: Provenance, generated: datetime
) -> None:
    book = Workbook()
    book.remove(book.active)  # the default empty sheet
    for table in tables:
        _table_sheet(book, table)
    _provenance_sheet(book, provenance)
    book.properties.creator = "phc-warehouse exports"
    book.properties.title = "Policing and health collaboration: report tables"
    # The run's own time, as on the Provenance sheet (openpyxl stamps `modified` itself on save).
    book.properties.created = generated.replace(tzinfo=None)
    book.save(path)
