"""A landing folder whose answers leave some in the coding queue.

The reference extracts code every answer. This adds a later police export: the reference rows
plus two new respondents whose free-text answers need a person, one per reason the queue gives
(several categories, no rule, part of a list left uncoded), and can change one answer again in
a still later export (a code given for the old text must stop applying).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT

EXTRACTS = ("national_20170929.xlsx", "national_20171020.csv", "police_20171020.csv")
QUEUED_EXPORT = "police_20171101.csv"
CHANGED_EXPORT = "police_20171201.csv"
LEAD, FUNDING, PRIORITIES, DEMAND = (
    "Q5. Lead Agency",
    "Q5. Funding",
    "Q7. Priorities",
    "Q8. Greatest demand",
)
# Two new respondents' answers: (lead agency, funding, priorities, demand).
FIRST = {
    LEAD: "NHS and Home Office together",  # several categories matched
    FUNDING: "Ministry of Justice",  # no rule matched
    PRIORITIES: "Mental health; road safety",  # part of a list left uncoded
    DEMAND: "Hate crime",  # no rule matched
}
SECOND = {
    LEAD: "The county council",  # a signal alone: no rule matched
    FUNDING: "CCG",
    PRIORITIES: "Mental health",
    DEMAND: "Mental health",
}
CHANGED_LEAD = "NHS, Home Office and the county council together"


def _reference_police() -> tuple[list[str], list[list[str]]]:
    text = (REFERENCE_EXTRACTS_DIR / "police_20171020.csv").read_bytes().decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    return header, rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def new_rows(lead_changed: bool = False) -> tuple[list[str], list[list[str]], list[int]]:
    header, rows = _reference_police()
    col = {name: i for i, name in enumerate(header)}
    template = next(r for r in rows if r[col["Status"]] == "Completed" and r[col[LEAD]].strip())
    first_id = max(int(r[col["Response ID"]]) for r in rows) + 1_000
    added = []
    for offset, answers in enumerate((FIRST, SECOND)):
        new = list(template)
        new[col["Response ID"]] = str(first_id + offset)
        new[col["Started"]], new[col["Ended"]] = "30/10/2017 10:00:00", "30/10/2017 10:42:00"
        for column, answer in answers.items():
            new[col[column]] = answer
        if lead_changed and offset == 0:
            new[col[LEAD]] = CHANGED_LEAD
        added.append(new)
    return header, [*rows, *added], [first_id, first_id + 1]


def fill_landing(landing: Path) -> list[int]:
    """The reference extracts plus the export with queued answers; returns the new IDs."""
    for name in EXTRACTS:
        shutil.copy2(REFERENCE_EXTRACTS_DIR / name, landing / name)
    header, rows, ids = new_rows()
    _write(landing / QUEUED_EXPORT, header, rows)
    return ids


def change_first_lead_agency(landing: Path) -> None:
    """A later export in which the first new respondent's lead agency answer reads otherwise."""
    header, rows, _ = new_rows(lead_changed=True)
    _write(landing / CHANGED_EXPORT, header, rows)


def phc(command: str, data: Path, landing: Path, coding: Path) -> subprocess.CompletedProcess:
    """`phc <command>` as a process on these folders, with this coding folder."""
    from tests.support.warehouse import phc_env

    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", command],
        cwd=REPO_ROOT,
        env=phc_env(data, landing, PHC_CODING_DIR=str(coding)),
        capture_output=True,
        text=True,
        timeout=900,
    )


def queued_refresh(folder: Path) -> None:
    """The session's shared build (tests/support/shared.py): one refresh of a landing folder
    that leaves answers in the queue, in folder/data, folder/landing and folder/coding; the
    new response ids in folder/ids.json."""
    from tests.support.pipeline import ensure_manifest

    ensure_manifest()
    (folder / "landing").mkdir()
    (folder / "coding").mkdir()
    ids = fill_landing(folder / "landing")
    done = phc("run", folder / "data", folder / "landing", folder / "coding")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (folder / "ids.json").write_text(json.dumps(ids))
