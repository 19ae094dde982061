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
    """The in-process executor, run under the refresh lock; `after_step` = (step key, call):
    the call is made as soon as that step has succeeded."""

    def __init__(self, inner: Executor, after_step: tuple[str, Callable[[], None]] | None):
        self._inner = inner
        self._after_step = after_step

    @property
    def retries(self):
        return self._inner.retries

    @property
    def step_dependency_config(self):
        return self._inner.step_dependency_config

    def execute(self, plan_context, execution_plan):
        restrict_umask()  # this process runs this one refresh
        plan_context.instance.add_run_tags(plan_context.run_id, worker_tags())
        settings = Settings.from_env()
        with refresh_lock(settings, plan_context.log.info):
            for event in self._inner.execute(plan_context, execution_plan):
                yield event
                if self._after_step and succeeded(event, self._after_step[0]):
                    self._after_step[1]()


def succeeded(event: dg.DagsterEvent, step_key: str) -> bool:
    """True for the event that says step `step_key` succeeded."""
    return event.event_type == dg.DagsterEventType.STEP_SUCCESS and event.step_key == step_key


def serialized_in_process_executor(
    after_step: tuple[str, Callable[[], None]] | None = None,
) -> dg.ExecutorDefinition:
    """`after_step` = (step key, call): start what later steps need (e.g. a worker process) once
    that step succeeded, so a run that fails before it never pays for it."""

    @dg.executor(name="serialized_in_process", config_schema=IN_PROC_CONFIG)
    def _executor(init_context):
        return SerializedExecutor(
            _core_in_process_executor_creation(init_context.executor_config), after_step
        )

    return _executor
