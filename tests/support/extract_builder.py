"""Write small contract-valid (or deliberately broken) survey extracts for tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from orchestration.domain.contract import HEADERS


def extract_text(
    version: str,
    rows: Iterable[Mapping[str, str]],
    headers: Iterable[str] | None = None,
    line_end: str = "\r\n",
) -> str:
    """CSV text with the version's headers (or `headers`); cells a row leaves out are empty."""
    headers = list(headers if headers is not None else HEADERS[version])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue()


def write_extract(
    path: Path,
    version: str,
    rows: Iterable[Mapping[str, str]],
    headers: Iterable[str] | None = None,
    bom: bool = False,
    line_end: str = "\r\n",
) -> Path:
    text = extract_text(version, rows, headers, line_end)
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def response(
    response_id: int, status: str = "Completed", answers: Mapping[str, str] | None = None
) -> dict[str, str]:
    """One response row: the common columns filled in, `answers` keyed by exact header."""
    row = {
        "Response ID": str(response_id),
        "Started": "01/09/2017 09:00:00",
        "Ended": "01/09/2017 09:30:00" if status == "Completed" else "",
        "Status": status,
        "IP Address": "192.0.2.10",
    }
    row.update(answers or {})
    return row
