"""The files a test requires byte-identical to their source, and the check, for any checkout.

They are the *reference* outputs only: the extracts and the 2019 wave (against a fresh run of
the generator),
seeds/reference/question_map.csv (against orchestration/contract.py) and
seeds/reference/published_figures.csv (against ../shared/report/, when that folder is there).
Hand-kept seeds (seeds/curated/) are never among them: people edit those, dbt tests check them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXTRACT_NAMES = ("police_20171020.csv", "national_20171020.csv", "national_20170929.xlsx")
WAVE_2019_NAMES = ("police_20190601.csv", "national_20190601.csv")


def shared_figures(root: Path) -> Path:
    """The shared report's figures (outside the repository; absent in a bare clone)."""
    return root.parent / "shared" / "report" / "published_figures.csv"


def byte_compared_files(root: Path) -> list[Path]:
    """Every file of the checkout at `root` that check_reference_outputs compares."""
    return [
        *(root / "reference" / "extracts" / name for name in EXTRACT_NAMES),
        *(root / "reference" / "wave_2019" / name for name in WAVE_2019_NAMES),
        root / "seeds" / "reference" / "question_map.csv",
        root / "seeds" / "reference" / "published_figures.csv",
    ]


def check_reference_outputs(root: Path, scratch: Path) -> list[str]:
    """Regenerate the reference outputs of the checkout at `root` with its own code (in a fresh
    interpreter, so the checkout's package is the one imported) and compare them byte for byte;
    returns one line per difference (empty when all are identical)."""
    problems = []
    run = subprocess.run(
        [sys.executable, "-m", "reference.generator", "--out", str(scratch)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        return [f"the generator failed: {run.stderr.strip()}"]
    written = sorted(p.name for p in scratch.iterdir())
    if written != sorted(EXTRACT_NAMES):
        problems.append(f"the generator wrote {written}, not the extracts alone")
    for name in EXTRACT_NAMES:
        fresh, committed = scratch / name, root / "reference" / "extracts" / name
        if not fresh.exists() or fresh.read_bytes() != committed.read_bytes():
            problems.append(f"reference/extracts/{name} differs from the generator's output")
    wave_scratch = scratch / "wave_2019"
    run = subprocess.run(
        [sys.executable, "-m", "reference.generator", "--wave", "2019", "--out", str(wave_scratch)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        return [*problems, f"the generator failed on --wave 2019: {run.stderr.strip()}"]
    for name in WAVE_2019_NAMES:
        fresh, committed = wave_scratch / name, root / "reference" / "wave_2019" / name
        if not fresh.exists() or fresh.read_bytes() != committed.read_bytes():
            problems.append(f"reference/wave_2019/{name} differs from the generator's output")
    check = subprocess.run(
        [sys.executable, "seeds/build_question_map.py", "--check"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        problems.append(f"seeds/reference/question_map.csv: {check.stderr.strip()}")
    shared = shared_figures(root)
    figures = root / "seeds" / "reference" / "published_figures.csv"
    if shared.exists() and shared.read_bytes() != figures.read_bytes():
        problems.append(f"seeds/reference/published_figures.csv differs from {shared}")
    return problems
