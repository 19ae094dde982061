"""Run folders under exports/runs/ and the `latest` symlink that is swapped in atomically.

Why a symlink replaced by `os.replace`: the rename is atomic, so `latest` always names one
complete run; a run folder is never written in place (it is built under a hidden temp name and
renamed into runs/ when complete). A reader that resolves `latest` once (realpath) reads one run
only, even while the next one is being switched in.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from datetime import datetime
from pathlib import Path

from orchestration.publish.exports.errors import ExportError
from orchestration.runtime.faults import pause_point
from orchestration.runtime.settings import EXPORTS_LATEST, EXPORTS_RUNS

RUNS_DIR = EXPORTS_RUNS
LATEST = EXPORTS_LATEST
TEMP_PREFIX = ".tmp-"  # hidden, and never a run: removed on failure or by the next export
KEEP_RUNS = 5


def run_name(run_id: str, generated: datetime) -> str:
    short = re.sub(r"[^A-Za-z0-9-]", "-", run_id[:8]) or "run"
    return f"{generated:%Y%m%dT%H%M%SZ}_{short}"


def reserve(runs_dir: Path, name: str) -> tuple[Path, Path]:
    """(temp folder to build in, final folder name it will be renamed to), both unused."""
    final = runs_dir / name
    suffix = 2
    while final.exists():  # two exports within a second from one run id
        final = runs_dir / f"{name}-{suffix}"
        suffix += 1
    temp = runs_dir / f"{TEMP_PREFIX}{final.name}-{uuid.uuid4().hex[:8]}"
    temp.mkdir(parents=True)
    return temp, final


def latest_target(exports_dir: Path) -> Path | None:
    """The run folder `latest` points at, or None before the first export."""
    link = exports_dir / LATEST
    if not link.is_symlink():
        if link.exists():
            raise ExportError(
                f"{link} exists but is not a symlink: move it away; exports manage it."
            )
        return None
    return (exports_dir / os.readlink(link)).resolve()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch_latest(exports_dir: Path, run_dir: Path) -> None:
    """Point `latest` at `run_dir` in one atomic rename of a fresh symlink over the old one."""
    temp_link = exports_dir / f"{TEMP_PREFIX}{LATEST}-{uuid.uuid4().hex[:8]}"
    # Relative target: the exports folder can be moved or mounted elsewhere and still work.
    os.symlink(os.path.relpath(run_dir, exports_dir), temp_link)
    pause_point("exports")  # fault tests kill the refresh here
    try:
        os.replace(temp_link, exports_dir / LATEST)
    except BaseException:
        temp_link.unlink(missing_ok=True)
        raise
    # The switch has happened: failing to make it durable must not undo it (or be reported as a
    # failed export whose folder is then deleted under `latest`).
    with contextlib.suppress(OSError):
        _fsync_dir(exports_dir)


def remove_leftovers(exports_dir: Path) -> None:
    """Temp folders and links of an export that was killed before it finished."""
    for directory in (exports_dir, exports_dir / RUNS_DIR):
        for leftover in directory.glob(f"{TEMP_PREFIX}*"):
            if leftover.is_symlink() or leftover.is_file():
                leftover.unlink()
            else:
                shutil.rmtree(leftover, ignore_errors=True)


def completed_runs(runs_dir: Path) -> list[Path]:
    """Complete run folders, oldest first (the name starts with the UTC timestamp)."""
    runs = [p for p in runs_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(runs, key=lambda p: (p.name[:16], p.stat().st_mtime_ns, p.name))


def prune(exports_dir: Path, keep: int = KEEP_RUNS) -> list[Path]:
    """Delete all but the newest `keep` runs; never the one `latest` points at."""
    protected = latest_target(exports_dir)
    runs = completed_runs(exports_dir / RUNS_DIR)
    removed = []
    for run in runs[: max(0, len(runs) - keep)]:
        if protected is not None and run.resolve() == protected:
            continue
        shutil.rmtree(run)
        removed.append(run)
    return removed
