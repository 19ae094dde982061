"""Writing the extracts exactly as the survey platform does: CSV (RFC 4180 through csv.writer,
minimal quoting; the police file with a BOM and CRLF) and the 29/09 national snapshot as an xlsx
whose properties and zip member times are fixed, so every byte is reproducible."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from orchestration.domain.contract import NATIONAL_HEADERS, POLICE_HEADERS
from reference.generator.draw import stamp
from reference.generator.respondents import Response
from reference.generator.settings import SNAPSHOT_AT, XLSX_PROPERTIES_AT, page_of

EXTRACT_NAMES = ("police_20171020.csv", "national_20171020.csv", "national_20170929.xlsx")


def row_of(r: Response, headers, snapshot: bool = False) -> list[str]:
    cut = r.snapshot_cut if snapshot else 6
    status = r.status
    ended = stamp(r.ended) if r.ended else ""
    if snapshot and r.ended and r.ended > SNAPSHOT_AT:
        status, ended = "Partial", ""
    row = [str(r.response_id), stamp(r.started), ended, status, r.ip]
    for h in headers[5:]:
        value = r.cells.get(h, "")
        if page_of(r.version, h) > cut:
            value = ""
        row.append(value)
    return row


def write_csv(path: Path, headers, rows, bom: bool, crlf: bool) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(headers)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


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
