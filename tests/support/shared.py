"""Build an expensive fixture once per test session, whatever the number of xdist workers.

Every worker of a session shares its base temp folder's parent; the first worker that asks for
a fixture builds it there under an exclusive lock (the project's one lock helper), keyed by a
hash of its inputs, and the others wait and then use the same folder. A test that changes
what it got takes a copy (copying a DuckDB file costs milliseconds; a refresh costs a minute).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from orchestration.runtime.locks import exclusive_lock

DONE = ".built"


def session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
                if path.is_file():
                    digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build_once(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    key: str,
    build: Callable[[Path], None],
) -> Path:
    """The folder `build(folder)` filled, built by the first worker that asks, once."""
    root = session_root(tmp_path_factory)
    folder = root / f"{name}-{key}"
    with exclusive_lock(root / f".{name}-{key}.lock"):
        if not (folder / DONE).exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half way
            folder.mkdir(parents=True)
            build(folder)
            (folder / DONE).touch()
    return folder
