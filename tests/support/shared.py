"""Build an expensive fixture once per test session, whatever the number of xdist workers.

Every worker of a session shares its base temp folder's parent; the first worker that asks for
a fixture builds it there under an exclusive lock (the project's one lock helper), keyed by a
hash of its inputs, and the others wait and then use the same folder. A test that changes
what it got takes a copy (copying a DuckDB file costs milliseconds; a refresh costs a minute).

The builds are started in the background as soon as the tests are collected
(`python -m tests.support.shared NAME ROOT`, see conftest's `pytest_collection_finish`), so
the workers run the tests that need neither while the builds run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from orchestration.runtime.locks import exclusive_lock
from orchestration.runtime.settings import (
    DBT_PROJECT_DIR,
    REFERENCE_EXTRACTS_DIR,
    REPO_ROOT,
)

DONE = ".built"


def session_root(tmp_path_factory) -> Path:
    """The folder all workers of this session share (one worker alone: its own base temp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def inputs_hash(*parts: str | Path | Iterable[Path]) -> str:
    """A hash of strings and of files' paths and bytes (folders: every file under them)."""
    digest = hashlib.sha256()
    for part in parts:
        paths = [part] if isinstance(part, str | Path) else list(part)
        for item in paths:
            if isinstance(item, str):
                digest.update(item.encode())
                continue
            files = sorted(item.rglob("*")) if item.is_dir() else [item]
            for path in files:
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build_in(root: Path, name: str, key: str, build: Callable[[Path], None]) -> Path:
    """root/name-key, filled by `build(folder)` by the first process that asks, once."""
    folder = root / f"{name}-{key}"
    with exclusive_lock(root / f".{name}-{key}.lock"):
        if not (folder / DONE).exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half way
            folder.mkdir(parents=True)
            build(folder)
            (folder / DONE).touch()
    return folder


# --- the session's shared builds -----------------------------------------------------------


def reference_refresh(folder: Path) -> None:
    """One real `make run` of the reference extracts into folder/data: `phc run` as a
    process, with the usual umask 022 (the warehouse must lock its files down itself); what it
    printed into folder/make-run.out."""
    from tests.support.pipeline import ensure_manifest
    from tests.support.warehouse import phc_env, usual_umask

    ensure_manifest()
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=REPO_ROOT,
        env=phc_env(folder / "data", REFERENCE_EXTRACTS_DIR),
        capture_output=True,
        text=True,
        timeout=900,
        preexec_fn=usual_umask,
    )
    (folder / "make-run.out").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, (
        f"the refresh of the reference extracts failed:\n{done.stdout[-4000:]}{done.stderr}"
    )


def warehouse_template(folder: Path) -> None:
    from tests.support.schemas import build_empty_warehouse

    build_empty_warehouse(folder)


def queued_refresh(folder: Path) -> None:
    from tests.support import coding_fixture

    coding_fixture.queued_refresh(folder)


# fixture name -> (folder name, inputs, build)
BUILDS: dict[str, tuple[str, Callable[[], str], Callable[[Path], None]]] = {
    "reference_refresh": (
        "reference",
        lambda: inputs_hash(REFERENCE_EXTRACTS_DIR),
        reference_refresh,
    ),
    "warehouse_template": (
        "template",
        lambda: inputs_hash(DBT_PROJECT_DIR / "models", REPO_ROOT / "seeds"),
        warehouse_template,
    ),
    "queued_refresh": (
        "queued",
        lambda: inputs_hash(
            REFERENCE_EXTRACTS_DIR, REPO_ROOT / "tests" / "support" / "coding_fixture.py"
        ),
        queued_refresh,
    ),
}


def shared_build(fixture: str, root: Path) -> Path:
    name, key, build = BUILDS[fixture]
    return build_in(root, name, key(), build)


def start_in_background(fixture: str, root: Path) -> subprocess.Popen | None:
    """Start the build in a process of its own (nothing when it is already built)."""
    name, key, _ = BUILDS[fixture]
    if (root / f"{name}-{key()}" / DONE).exists():
        return None
    log = (root / f".{name}-background.log").open("a")
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.shared", fixture, str(root)],
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


if __name__ == "__main__":
    shared_build(sys.argv[1], Path(sys.argv[2]))
