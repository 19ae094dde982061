"""Great Expectations in a worker process of its own, started early in a refresh.

`import great_expectations` costs ~3-4 s of CPU, and every refresh pays it before its first
check. Started as soon as the ingest has succeeded (`START_CHECKS_AFTER` in definitions.py),
this worker pays it on the other core while dbt builds, and the checks find GX ready; a
refresh that rejects a file never starts it. The checks still read
their batches from DuckDB in the refresh process: the worker only gets the small batch frames
(each column's distinct values, or a mart's rows) and never opens the warehouse file.

Requests and replies are pickles over the worker's stdin and a private copy of its stdout
(`python -m orchestration.cli gx-worker` moves its own stdout to stderr, so nothing GX prints
can corrupt a reply). The worker ends with the refresh: at end of input, or by the kernel's
parent-death signal if the refresh is killed.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, BinaryIO

# What the refresh may ask for: functions of orchestration.quality.gx_calls.
OPERATIONS = ("validate", "render_data_docs")


class GxWorkerError(RuntimeError):
    """GX failed, or its worker process ended, while doing what a check asked."""


class GxWorker:
    def __init__(self) -> None:
        # The worker imports this same checkout, whatever the working directory.
        package_root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(filter(None, (package_root, os.environ.get("PYTHONPATH"))))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "gx-worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def call(self, operation: str, *args: Any) -> Any:
        if operation not in OPERATIONS:
            raise ValueError(f"unknown GX operation {operation!r}; expected one of {OPERATIONS}")
        try:
            pickle.dump((operation, args), self._process.stdin, pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
            status, *reply = pickle.load(self._process.stdout)
        except (BrokenPipeError, EOFError, pickle.UnpicklingError) as exc:
            code = self._process.wait(timeout=30)
            raise GxWorkerError(
                f"The Great Expectations worker process (pid {self._process.pid}) ended with "
                f"exit code {code} during '{operation}' ({type(exc).__name__}); its messages "
                "are above. Nothing was published: run the refresh again, and if it ends the "
                "same way, check that the virtualenv is complete (`make setup`)."
            ) from exc
        if status == "error":
            kind, message, remote_traceback = reply
            raise GxWorkerError(
                f"Great Expectations failed in '{operation}': {kind}: {message}\n"
                f"(traceback in the GX worker process)\n{remote_traceback}"
            )
        return reply[0]

    def close(self) -> None:
        if self.alive:
            self._process.stdin.close()  # end of input: the worker exits
            self._process.wait(timeout=30)


_worker: GxWorker | None = None
_lock = threading.Lock()


def start() -> None:
    """Start this process's GX worker now, if it is not running, so that it is ready later."""
    with _lock:
        _running()


def call(operation: str, *args: Any) -> Any:
    """Run `quality.gx_calls.<operation>(*args)` in the worker and return its result."""
    with _lock:
        return _running().call(operation, *args)


def _running() -> GxWorker:
    global _worker
    if _worker is None or not _worker.alive:  # not started yet, or ended while idle
        _worker = GxWorker()
    return _worker


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """The worker's loop: answer each request until the end of input."""
    from orchestration.quality import gx_calls  # the import this process exists for

    while True:
        try:
            operation, args = pickle.load(requests)
        except EOFError:
            return
        try:
            if operation not in OPERATIONS:
                raise ValueError(f"unknown GX operation {operation!r}")
            reply: tuple[Any, ...] = ("ok", getattr(gx_calls, operation)(*args))
        except Exception as exc:  # sent back to the refresh, which reports it
            reply = ("error", type(exc).__name__, str(exc), traceback.format_exc())
        pickle.dump(reply, replies, pickle.HIGHEST_PROTOCOL)
        replies.flush()


def main() -> None:
    from orchestration.runtime.processes import die_with_parent

    if not die_with_parent():
        sys.exit(1)
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever GX prints goes to stderr, never into a reply
    serve(sys.stdin.buffer, replies)
