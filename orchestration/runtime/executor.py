"""The executor of every refresh: in process, one run at a time per data folder.

In process: a subprocess per step costs seconds and could open two DuckDB writers. One run
at a time: runs launched by the UI or the daemon take the refresh lock (`make run` takes it
itself, as `execute_in_process` brings its own executor). A launched run also makes what it
writes owner-only (umask 077) and records its process for run monitoring (`launcher.py`):
`make run` does both itself.
"""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg
from dagster._core.definitions.executor_definition import (
    IN_PROC_CONFIG,
    _core_in_process_executor_creation,
)
from dagster._core.executor.base import Executor

from orchestration.runtime.launcher import worker_tags
from orchestration.runtime.locks import refresh_lock
from orchestration.runtime.permissions import restrict_umask
from orchestration.runtime.settings import Settings


class SerializedExecutor(Executor):
    """The in-process executor, run under the refresh lock, after `before_run`."""

    def __init__(self, inner: Executor, before_run: Callable[[], None] | None):
        self._inner = inner
        self._before_run = before_run

    @property
    def retries(self):
        return self._inner.retries

    @property
    def step_dependency_config(self):
        return self._inner.step_dependency_config

    def execute(self, plan_context, execution_plan):
        restrict_umask()  # this process runs this one refresh
        plan_context.instance.add_run_tags(plan_context.run_id, worker_tags())
        if self._before_run is not None:
            self._before_run()
        settings = Settings.from_env()
        with refresh_lock(settings, plan_context.log.info):
            yield from self._inner.execute(plan_context, execution_plan)


def serialized_in_process_executor(
    before_run: Callable[[], None] | None = None,
) -> dg.ExecutorDefinition:
    """`before_run` starts what a run will need (e.g. a worker process) as early as possible."""

    @dg.executor(name="serialized_in_process", config_schema=IN_PROC_CONFIG)
    def _executor(init_context):
        return SerializedExecutor(
            _core_in_process_executor_creation(init_context.executor_config), before_run
        )

    return _executor
