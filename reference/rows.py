"""Survey rows in the platform's export shape: the one builder the reference generator, the
bench and the tests share.

A row is a mapping from header to cell; `cells` lays it out in a header order (the contract's
or a questionnaire's), leaving out cells empty; `csv_bytes` writes rows as the platform does
(RFC 4180 through csv.writer with minimal quoting, an optional BOM, CRLF or LF); `read_rows`
reads an export back. Imports only the contract (orchestration.domain), never a stage.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from orchestration.domain.contract import COMMON_HEADERS, DATETIME_FORMAT, HEADERS

BOM = b"\xef\xbb\xbf"
# Fake personal data only: the documentation IP ranges (RFC 5737).
DOCUMENTATION_IP_PREFIXES = ("192.0.2.", "198.51.100.", "203.0.113.")
STAMP_FORMAT = DATETIME_FORMAT  # Started / Ended, as the export spells them

Row = Mapping[str, str] | Sequence[str]


def response(
    response_id: int,
    status: str = "Completed",
    answers: Mapping[str, str] | None = None,
    *,
    started: str = "01/09/2017 09:00:00",
    ended: str | None = None,
    ip: str = "192.0.2.10",
) -> dict[str, str]:
    """One response: the common columns filled in (Ended only when Completed, unless given),
    then `answers` keyed by exact header (they may override a common column)."""
    if ended is None:
        ended = "01/09/2017 09:30:00" if status == "Completed" else ""
    row = dict(zip(COMMON_HEADERS, (str(response_id), started, ended, status, ip), strict=True))
    row.update(answers or {})
    return row


def cells(row: Row, headers: Sequence[str]) -> list[str]:
    """The row's cells in `headers` order; a header the row lacks is an empty cell."""
    if isinstance(row, Mapping):
        return [row.get(header, "") for header in headers]
    return list(row)


def csv_bytes(
    headers: Sequence[str], rows: Iterable[Row], *, bom: bool = False, line_end: str = "\r\n"
) -> bytes:
    """The export's bytes: the header line, then one line per row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator=line_end)
    writer.writerow(headers)
    writer.writerows(cells(row, headers) for row in rows)
    return (BOM if bom else b"") + buffer.getvalue().encode("utf-8")


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Row],
    *,
    bom: bool = False,
    line_end: str = "\r\n",
) -> Path:
    path.write_bytes(csv_bytes(headers, rows, bom=bom, line_end=line_end))
    return path


def write_extract(
    path: Path,
    version: str,
    rows: Iterable[Row],
    headers: Iterable[str] | None = None,
    bom: bool = False,
    line_end: str = "\r\n",
) -> Path:
    """An export of `version` (its contract headers, or `headers`) holding `rows`."""
    headers = list(headers if headers is not None else HEADERS[version])
    return write_csv(path, headers, rows, bom=bom, line_end=line_end)


def extract_text(
    version: str,
    rows: Iterable[Row],
    headers: Iterable[str] | None = None,
    line_end: str = "\r\n",
) -> str:
    headers = list(headers if headers is not None else HEADERS[version])
    return csv_bytes(headers, rows, line_end=line_end).decode("utf-8")


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """An export's headers and rows (a BOM, CRLF or LF, and line breaks inside cells, alike)."""
    text = path.read_bytes().decode("utf-8-sig")
    headers, *records = csv.reader(io.StringIO(text, newline=""))
    return headers, [dict(zip(headers, record, strict=True)) for record in records]


def with_one_more(
    source: Path,
    target: Path,
    pick: Callable[[Mapping[str, str]], bool],
    answers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """`source` again as `target` (its BOM and line ends kept), with one more respondent: a
    copy of the first row `pick` accepts, under a new Response ID, answered later, with
    `answers` changed. Returns the new row."""
    data = source.read_bytes()
    headers, rows = read_rows(source)
    new = dict(next(row for row in rows if pick(row)))
    new["Response ID"] = str(max(int(row["Response ID"]) for row in rows) + 1_000)
    new["Started"], new["Ended"] = "30/10/2017 10:00:00", "30/10/2017 10:42:00"
    new.update(answers or {})
    line_end = "\r\n" if b"\r\n" in data else "\n"
    write_csv(target, headers, [*rows, new], bom=data.startswith(BOM), line_end=line_end)
    return new
