"""The one lock helper: an exclusive `flock` on a file or a folder, released by the kernel.

Every lock of the warehouse is this one: the refresh lock (one refresh per data folder), the
publish and exports locks (on their folders, so there is no lock file for analysts to wonder
about), the alert log's lock and the dbt parse lock of the tests. The operating system drops a
lock when its process ends, even when it is killed, so a dead holder never blocks the next.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.runtime.settings import Settings


@contextmanager
def exclusive_lock(
    path: Path, *, on_wait: Callable[[str], None] | None = None, holder: str | None = None
) -> Iterator[int]:
    """Hold an exclusive lock on `path` (a folder, or a file created if missing).

    Waits for the current holder; `on_wait(who)` is told first, with what the holder wrote
    (`holder=` writes that text into a lock file, for the next one to tell). Yields the file
    descriptor: on a folder, the caller may fsync it after a rename.
    """
    if path.is_dir():
        fd = os.open(path, os.O_RDONLY)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(_read_holder(fd) or "another process")
            fcntl.flock(fd, fcntl.LOCK_EX)
        if holder is not None:
            os.ftruncate(fd, 0)
            os.pwrite(fd, holder.encode(), 0)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode(errors="replace").strip()
    except OSError:  # a folder
        return ""


@contextmanager
def refresh_lock(settings: Settings, log: Callable[[str], None] = print) -> Iterator[None]:
    """One refresh at a time per data folder, however it was started.

    DuckDB allows one writer per file, and a refresh writes the working file, the published
    file and the exports. The schedule, the landing sensor, a person pressing "materialize" and
    `make run` may all start one at the same moment: each waits here and then runs, instead of
    failing.
    """
    started = time.monotonic()
    waited: list[str] = []

    def tell(who: str) -> None:
        waited.append(who)
        log(f"Another refresh is running ({who}); waiting for it to finish.")

    me = f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
    with exclusive_lock(settings.refresh_lock_path, on_wait=tell, holder=me):
        if waited:
            log(f"The other refresh finished after {time.monotonic() - started:.0f}s; starting.")
        yield
