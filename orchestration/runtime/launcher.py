"""Which process runs a refresh, and whether it still does: what run monitoring asks.

Dagster's daemon marks a run failed when its run launcher says the run's worker died
(`run_monitoring` in dagster.yaml, see runtime/instance.py). Dagster's default launcher cannot
tell: a run whose process was killed together with its code server (`make dev` stopped, the
machine restarted) stayed "Started" forever. Every refresh records its worker here instead, as
a run tag: host, pid and the process's start time (so a pid reused by another process is not
taken for the worker). `WarehouseRunLauncher` is Dagster's default launcher plus a health check
that reads that tag.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from dagster import DagsterRun
from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus

WORKER_TAG = "phc/worker"


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:  # no /proc: not Linux
        return ""
    # The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return text.rpartition(")")[2].split()[19]


def worker_tags(pid: int | None = None) -> dict[str, str]:
    """The run tag naming this process (or `pid`) as the run's worker."""
    pid = os.getpid() if pid is None else pid
    return {WORKER_TAG: f"{socket.gethostname()}/{pid}/{_start_ticks(pid) or ''}"}


def worker_alive(tag: str) -> bool | None:
    """Whether the worker a tag names still runs; None when this machine cannot tell."""
    try:
        host, pid_text, ticks = tag.split("/")
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    now = _start_ticks(pid)
    if now is None:
        return False
    if now == "" or not ticks:  # no /proc here: the pid alone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return now == ticks


def run_worker_alive(run: DagsterRun) -> bool | None:
    tag = run.tags.get(WORKER_TAG)
    return None if tag is None else worker_alive(tag)


class WarehouseRunLauncher(DefaultRunLauncher):
    """Dagster's default launcher (runs in the code server's processes), with a health check."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        alive = run_worker_alive(run)
        if alive is False:
            host, pid, _ = run.tags[WORKER_TAG].split("/")
            return CheckRunHealthResult(
                WorkerStatus.FAILED,
                f"the process of this run (pid {pid} on {host}) is gone: it was killed, or "
                "the Dagster services or the machine stopped while it ran. Nothing it had not "
                "finished was published; start the refresh again.",
            )
        # Running, or not known (no tag yet, another host): never fail a run on a guess.
        return CheckRunHealthResult(WorkerStatus.RUNNING)
