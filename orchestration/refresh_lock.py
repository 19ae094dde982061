"""One refresh at a time per data folder, however it was started.

DuckDB allows one writer per file, and a refresh writes the working file, the published file
and the exports. The schedule, the landing sensor, a person pressing "materialize" and
`make run` may all start one at the same moment: each waits for an exclusive lock on
`PHC_DATA_DIR/.refresh.lock` and then runs, instead of failing. The operating system drops the
lock when its process ends, even when it is killed, so a dead refresh never blocks the next.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster._core.definitions.executor_definition import (
    IN_PROC_CONFIG,
    _core_in_process_executor_creation,
)
from dagster._core.executor.base import Executor

from orchestration.config import Settings


def lock_path(settings: Settings) -> Path:
    return settings.data_dir / ".refresh.lock"


@contextmanager
def refresh_lock(settings: Settings, log: Callable[[str], None] = print) -> Iterator[None]:
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            log(f"Another refresh is running ({holder}); waiting for it to finish.")
            started = time.monotonic()
            fcntl.flock(handle, fcntl.LOCK_EX)
            log(f"The other refresh finished after {time.monotonic() - started:.0f}s; starting.")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SerializedExecutor(Executor):
    """The in-process executor, run under the refresh lock (runs launched by the UI/daemon)."""

    def __init__(self, inner: Executor):
        self._inner = inner

    @property
    def retries(self):
        return self._inner.retries

    @property
    def step_dependency_config(self):
        return self._inner.step_dependency_config

    def execute(self, plan_context, execution_plan):
        settings = Settings.from_env()
        with refresh_lock(settings, plan_context.log.info):
            yield from self._inner.execute(plan_context, execution_plan)


@dg.executor(name="serialized_in_process", config_schema=IN_PROC_CONFIG)
def serialized_in_process_executor(init_context):
    # One process (no seconds-per-step subprocesses, never two DuckDB writers in one run),
    # and one run at a time per data folder.
    return SerializedExecutor(_core_in_process_executor_creation(init_context.executor_config))
