"""Writing the extracts exactly as the survey platform does: CSV (RFC 4180 through csv.writer,
minimal quoting; the police file with a BOM and CRLF) and the 29/09 national snapshot as an xlsx
whose properties and zip member times are fixed, so every byte is reproducible."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from orchestration.domain.contract import COMMON_HEADERS, NATIONAL_HEADERS, POLICE_HEADERS
from reference import rows as rows_module
from reference.generator.draw import stamp
from reference.generator.respondents import Response
from reference.generator.settings import SNAPSHOT_AT, XLSX_PROPERTIES_AT, page_of
from reference.rows import cells, response

EXTRACT_NAMES = ("police_20171020.csv", "national_20171020.csv", "national_20170929.xlsx")


def row_of(r: Response, headers, snapshot: bool = False) -> list[str]:
    """The respondent's cells in `headers` order (reference/rows.py: the shared row shape)."""
    cut = r.snapshot_cut if snapshot else 6
    status = r.status
    ended = stamp(r.ended) if r.ended else ""
    if snapshot and r.ended and r.ended > SNAPSHOT_AT:
        status, ended = "Partial", ""
    answers = {
        h: r.cells.get(h, "") if page_of(r.version, h) <= cut else ""
        for h in headers[len(COMMON_HEADERS) :]
    }
    row = response(r.response_id, status, answers, started=stamp(r.started), ended=ended, ip=r.ip)
    return cells(row, headers)


def write_csv(path: Path, headers, rows, bom: bool, crlf: bool) -> None:
    rows_module.write_csv(path, headers, rows, bom=bom, line_end="\r\n" if crlf else "\n")


def write_xlsx(path: Path, headers, rows) -> None:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(list(headers))
    for row in rows:
        ws.append([value if value != "" else None for value in row])
    wb.properties.creator = "Survey platform export"
    wb.properties.created = XLSX_PROPERTIES_AT
    wb.properties.modified = XLSX_PROPERTIES_AT
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # save_workbook() would stamp "modified" with now()
    # re-pack with fixed member timestamps so the file is reproducible too
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=XLSX_PROPERTIES_AT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def write_extracts(out: Path, police: list[Response], national: list[Response]) -> list[Path]:
    """The three extracts into `out`; returns their paths (EXTRACT_NAMES, in that order)."""
    out.mkdir(parents=True, exist_ok=True)
    police_csv, national_csv, snapshot_xlsx = (out / name for name in EXTRACT_NAMES)
    write_csv(
        police_csv,
        POLICE_HEADERS,
        [row_of(r, POLICE_HEADERS) for r in police],
        bom=True,
        crlf=True,
    )
    write_csv(
        national_csv,
        NATIONAL_HEADERS,
        [row_of(r, NATIONAL_HEADERS) for r in national],
        bom=False,
        crlf=False,
    )
    early = [r for r in national if r.started < SNAPSHOT_AT]
    write_xlsx(
        snapshot_xlsx,
        NATIONAL_HEADERS,
        [row_of(r, NATIONAL_HEADERS, snapshot=True) for r in early],
    )
    return [police_csv, national_csv, snapshot_xlsx]
