"""Read a CSV header row and compare it with the header sets of a version's questionnaires.

A version has one questionnaire per wave that changed it (contract.QUESTIONNAIRES): a header is
accepted when it is exactly one questionnaire's set (in any order); otherwise the problems are
said against the closest questionnaire. Which wave the file belongs to (and so whether its
questionnaire is the one that wave asked) is decided from its rows' dates later, in the load's
transaction (wave_checks.py).
"""

from __future__ import annotations

import csv
import difflib
from pathlib import Path

from orchestration.domain.contract import QUESTIONNAIRES, Questionnaire, questionnaires_of
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


def questionnaire_for(version: str, header: list[str]) -> Questionnaire | None:
    """The version's questionnaire whose header set the file has exactly, if any."""
    found = set(header)
    return next((q for q in questionnaires_of(version) if set(q.headers) == found), None)


def _closest(version: str, header: list[str]) -> Questionnaire:
    found = set(header)
    # fewest differences; ties go to the earliest questionnaire (the shared contract's)
    return min(questionnaires_of(version), key=lambda q: len(found ^ set(q.headers)))


def header_problems(file_name: str, version: str, header: list[str]) -> list[Problem]:
    expected = _closest(version, header).headers
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
    other = [
        q.version
        for q in QUESTIONNAIRES.values()
        if q.version != version and set(header) == set(q.headers)
    ]
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
