"""Turn the first worksheet of an .xlsx export into a CSV the loader reads like any other.

DuckDB has no Excel reader here (extensions cannot be downloaded), so openpyxl streams the
sheet in read-only mode; everything after this step is the same as for a CSV delivery.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from orchestration.domain.contract import DATETIME_FORMAT


class WorkbookError(ValueError):
    pass


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_to_csv(source: Path, target: Path) -> int:
    """Write the first sheet as UTF-8 CSV; returns the number of data rows written."""
    from openpyxl import load_workbook  # imported here: only .xlsx deliveries pay for it

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise WorkbookError(f"not a readable .xlsx workbook ({exc.__class__.__name__})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = 0
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            for values in sheet.iter_rows(values_only=True):
                cells = [_cell_text(value) for value in values]
                if not any(cell.strip() for cell in cells):
                    continue  # Excel keeps formatted blank rows; they are not responses
                writer.writerow(cells)
                rows += 1
        return max(rows - 1, 0)
    finally:
        workbook.close()
