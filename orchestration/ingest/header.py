"""Read a CSV header row and compare it with the contract's header set for a version."""

from __future__ import annotations

import csv
import difflib
from pathlib import Path

from orchestration.domain.contract import HEADERS
from orchestration.ingest.problems import Problem


def read_header(path: Path) -> list[str] | None:
    """The first record's cells, stripped (the contract ignores surrounding spaces).

    None when the file holds no record at all (empty, or only a byte-order mark or blanks).
    """
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for record in csv.reader(stream):
            if any(cell.strip() for cell in record):
                return [cell.strip() for cell in record]
    return None


def header_problems(file_name: str, version: str, header: list[str]) -> list[Problem]:
    expected = HEADERS[version]
    expected_set = set(expected)
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(file_name, 0, name, name, "each header exactly once; it appears twice")
            )
        seen.add(name)
    missing = [name for name in expected if name not in seen]
    unexpected = [name for name in header if name not in expected_set]
    other = [v for v in HEADERS if v != version and set(header) == set(HEADERS[v])]
    if other:
        return [
            Problem(
                file_name,
                0,
                None,
                None,
                f"the {version} columns; these are the columns of the {other[0]} version: "
                f"rename the file {other[0]}_<date>.csv if that is what it is",
            )
        ]
    for name in unexpected:
        close = difflib.get_close_matches(name, missing, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(
            Problem(
                file_name,
                0,
                name,
                name,
                f"only the {version} version's headers; this column is not one of them{hint}",
            )
        )
    for name in missing:
        problems.append(Problem(file_name, 0, name, None, f"a column {name!r}; it is missing"))
    return problems
