"""Rejected files: a copy in the quarantine folder with a JSON and a Markdown report beside it."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from orchestration.ingest.problems import Problem, summarise
from orchestration.runtime.permissions import private_dir, private_file


def quarantine_folder(quarantine_dir: Path, sha256: str) -> Path:
    return quarantine_dir / sha256


def already_quarantined(quarantine_dir: Path, sha256: str) -> bool:
    return (quarantine_folder(quarantine_dir, sha256) / "report.json").exists()


def quarantine_file(
    source: Path,
    file_name: str,
    sha256: str,
    problems: list[Problem],
    quarantine_dir: Path,
    what_to_do: str | None = None,
    kind: str = "export",
) -> Path:
    """Copy the rejected file (from the archive) aside under its delivered name, with reports.

    Owner-only, like the archive: a rejected export holds personal data too.
    """
    private_dir(quarantine_dir)
    folder = private_dir(quarantine_folder(quarantine_dir, sha256))
    shutil.copyfile(source, folder / file_name)
    private_file(folder / file_name)
    now = datetime.now(UTC).isoformat()
    what_to_do = what_to_do or WHAT_TO_DO
    report = {
        "file": file_name,
        "sha256": sha256,
        "rejected_at": now,
        "problem_count": len(problems),
        "problems": [problem.as_dict() for problem in problems],
        "what_to_do": what_to_do,
        "kind": kind,
    }
    (folder / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (folder / "report.md").write_text(
        f"# Rejected {kind}: {file_name}\n\n"
        f"- sha256: `{sha256}`\n- rejected at: {now}\n- problems: {len(problems)}\n\n"
        f"## Problems\n\n{summarise(problems, limit=len(problems))}\n\n"
        f"## What to do\n\n{what_to_do}\n"
    )
    for report_file in ("report.json", "report.md"):
        private_file(folder / report_file)
    return folder


WHAT_TO_DO = (
    "Nothing already loaded was changed. Ask the survey platform for a corrected export "
    "(or fix the file by hand), then put it in the landing folder under a new export "
    "timestamp or in place of this one; remove the rejected file from the landing folder. "
    "The same rejected file is not reported twice."
)
