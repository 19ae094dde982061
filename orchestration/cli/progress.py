"""`make run` and `make rebuild` on screen: one line per stage as it runs, then a summary.

Everything Dagster, dbt and the Great Expectations worker print (several hundred lines of
events) goes to a file, PHC_DATA_DIR/logs/<job>-<run id>.log, named on screen; `--verbose`
(`make run VERBOSE=1`) shows it on screen too. The screen gets what a person needs: a line per
stage when it ends (what it did, rows or files, seconds; a spinner while it runs, on a
terminal), every failure message in full (a rejected file's file, row, column and problem),
and a closing summary of what was loaded, rejected, checked and published, and where things
are.

The stage lines come from Dagster's own events (an event listener on the instance), not from
parsing its log. The log file is captured at the file-descriptor level, so child processes
(dbt, the GX worker) land in it too.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from orchestration.runtime.settings import Settings

# Dagster's step keys, as a person calls the stages.
STAGES = {
    "ingest_survey_extracts": "ingest",
    "warehouse_dbt_assets": "dbt build",
    "publish_gate": "publish gate",
    "publish_for_analysts": "publish",
}
KEEP_LOGS = 30


# --- the log file -------------------------------------------------------------------------


@contextlib.contextmanager
def captured_output(log_path: Path, verbose: bool) -> Iterator[TextIO]:
    """Send this process's stdout and stderr (and its children's) to `log_path`.

    Yields a text stream on the real stdout for the progress lines. With `verbose`, the log
    is also copied to the screen as it is written.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    screen = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8", errors="replace")
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    pump = None
    if verbose:
        read_end, write_end = os.pipe()
        pump = threading.Thread(
            target=_tee, args=(read_end, log_fd, saved_out), name="log-tee", daemon=True
        )
        pump.start()
        target = write_end
    else:
        target = log_fd
    os.dup2(target, 1)
    os.dup2(target, 2)
    try:
        yield screen
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os.dup2(saved_out, 1)
        os.dup2(saved_err, 2)
        if pump is not None:
            os.close(target)
            pump.join(timeout=2)  # a child still holding the pipe must not hold us up
        os.close(saved_out)
        os.close(saved_err)
        os.close(log_fd)
        screen.close()


def _tee(read_end: int, log_fd: int, screen_fd: int) -> None:
    while chunk := os.read(read_end, 65536):
        os.write(log_fd, chunk)
        with contextlib.suppress(OSError):
            os.write(screen_fd, chunk)
    os.close(read_end)


def prune_logs(settings: Settings, keep: int = KEEP_LOGS) -> None:
    logs = sorted(settings.logs_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
    for old in logs[:-keep]:
        old.unlink(missing_ok=True)


# --- what happened, from Dagster's events ------------------------------------------------


@dataclass
class Step:
    key: str
    started: float | None = None
    seconds: float | None = None
    status: str = "pending"  # running, done, failed, skipped
    materializations: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: list[tuple[str, bool]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    failure: str | None = None

    @property
    def label(self) -> str:
        return STAGES.get(self.key, self.key)


def _metadata(materialization) -> dict[str, Any]:
    return {name: value.value for name, value in materialization.metadata.items()}


def _error_text(error) -> str:
    """An error's message and the messages of its causes, without the stack."""
    lines = []
    while error is not None:
        lines.append(error.message.strip())
        error = error.cause or error.context
    return "\n".join(lines)


class RunWatcher:
    """Listens to a run's events: prints a line per finished stage, keeps what the summary needs."""

    def __init__(
        self,
        console: Console,
        spinner: bool = True,
        after_step: tuple[str, Callable[[], None]] | None = None,
    ):
        self.console = console
        self.after_step = after_step  # (step key, call): called once that step succeeded
        self.spinner = spinner and console.is_terminal
        self.steps: dict[str, Step] = {}
        self.run_failure: str | None = None
        self.errors: list[str] = []
        self.started = time.monotonic()
        self._status = None  # the spinner, on a terminal

    def step(self, key: str) -> Step:
        return self.steps.setdefault(key, Step(key))

    # Called by Dagster for every event of the run, in the run's thread: never raises.
    def __call__(self, entry) -> None:
        try:
            self._handle(entry)
        except Exception:  # the run must not fail because its progress line did
            traceback.print_exc()  # into the log file

    def _handle(self, entry) -> None:
        from dagster import DagsterEventType

        event = entry.dagster_event
        if event is None:  # a message a step logged
            if entry.step_key:
                self.step(entry.step_key).messages.append(entry.user_message)
            if entry.level >= logging.ERROR:
                self.errors.append(entry.user_message)
            return
        kind, data = event.event_type, event.event_specific_data
        step = self.step(event.step_key) if event.step_key else None
        if kind == DagsterEventType.STEP_START and step:
            step.started, step.status = entry.timestamp, "running"
            self._spin(f"{step.label} ...")
        elif kind == DagsterEventType.STEP_SUCCESS and step:
            step.status, step.seconds = "done", data.duration_ms / 1000
            self._print_step(step)
            if self.after_step and self.after_step[0] == step.key:
                self.after_step[1]()
        elif kind == DagsterEventType.STEP_FAILURE and step:
            step.status = "failed"
            step.seconds = entry.timestamp - step.started if step.started else None
            user = data.user_failure_data if data else None
            step.failure = (user.description if user and user.description else None) or (
                _error_text(data.error) if data and data.error else event.message or "failed"
            )
            self._print_step(step)
        elif kind == DagsterEventType.STEP_SKIPPED and step:
            step.status = "skipped"
            self._print_step(step)
        elif kind == DagsterEventType.ASSET_MATERIALIZATION and step:
            materialization = data.materialization
            step.materializations[materialization.asset_key.to_user_string()] = _metadata(
                materialization
            )
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION and step:
            step.checks.append((data.check_name, bool(data.passed)))
        elif kind == DagsterEventType.RUN_FAILURE:
            error = getattr(data, "error", None)
            self.run_failure = (event.message or "the run failed") + (
                f"\n{_error_text(error)}" if error else ""
            )

    # --- screen -------------------------------------------------------------------------

    def _spin(self, text: str) -> None:
        if not self.spinner:
            return
        from rich.live import Live
        from rich.spinner import Spinner

        if self._status is None:
            self._spinner = Spinner("dots", text)
            # Not Console.status(): its Live would send sys.stdout and sys.stderr (Dagster's
            # log) to the screen while it spins; they belong in the log file.
            self._status = Live(
                self._spinner,
                console=self.console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
                refresh_per_second=8,
            )
            self._status.start()
        else:
            self._spinner.update(text=text)

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def _print_step(self, step: Step) -> None:
        mark, style = {
            "done": ("done   ", "green"),
            "failed": ("FAILED ", "bold red"),
            "skipped": ("skipped", "yellow"),
        }[step.status]
        line = Text("  ")
        line.append(mark, style=style)
        line.append(f" {step.label:<13}")
        line.append(self.describe(step))
        if step.seconds is not None:
            line.append(f"  ({step.seconds:.1f} s)", style="dim")
        self.console.print(line)

    def describe(self, step: Step) -> str:
        if step.status == "skipped":
            return "not run: an earlier stage failed"
        if step.checks:
            failed = [name for name, passed in step.checks if not passed]
            if failed:
                return f"{len(failed)} of {len(step.checks)} checks FAILED: {', '.join(failed)}"
            return f"{len(step.checks)} of {len(step.checks)} checks passed"
        if step.key == "ingest_survey_extracts":
            return describe_files(self.file_outcomes()) or "no export in the landing folder"
        if step.key == "warehouse_dbt_assets":
            summary = next((m for m in step.messages if m.startswith("dbt build")), None)
            if summary:
                return summary.partition(": ")[2] or summary
            return f"{len(step.materializations)} models and seeds built"
        if step.key == "publish_for_analysts":
            published = step.materializations.get("published/warehouse", {})
            exports = step.materializations.get("exports/report", {})
            if published:
                return (
                    f"{published.get('tables', '?')} tables published, "
                    f"{exports.get('files', '?')} export files written"
                )
        if step.status == "failed":
            return "(see below)"
        return f"{len(step.materializations)} asset(s)" if step.materializations else ""

    # --- for the summary ----------------------------------------------------------------

    def file_outcomes(self) -> list[dict[str, Any]]:
        step = self.steps.get("ingest_survey_extracts")
        if step is None:
            return []
        deliveries = step.materializations.get("raw/deliveries", {})
        return list(deliveries.get("file_outcomes") or [])

    def workbook_outcomes(self) -> list[dict[str, Any]]:
        """The coding workbooks of the coding folder: file, status, codes."""
        step = self.steps.get("ingest_survey_extracts")
        if step is None:
            return []
        codes = step.materializations.get("raw/analyst_codes", {})
        return list(codes.get("workbook_outcomes") or [])

    @property
    def check_counts(self) -> tuple[int, int]:
        checks = [passed for step in self.steps.values() for _, passed in step.checks]
        return sum(checks), len(checks)

    @property
    def failures(self) -> list[tuple[str, str]]:
        """(stage, message) of every failed stage, or of the run itself."""
        found = [(s.label, s.failure) for s in self.steps.values() if s.failure]
        if not found and self.run_failure:
            found.append(("run", self.run_failure))
        return found

    def dbt_summary(self) -> str | None:
        step = self.steps.get("warehouse_dbt_assets")
        if step is None:
            return None
        return next((m for m in step.messages if m.startswith("dbt build")), None)


def describe_files(outcomes: list[dict[str, Any]]) -> str:
    if not outcomes:
        return ""
    loaded = [o for o in outcomes if o["status"] == "loaded"]
    parts = [
        f"{len(loaded)} export(s) loaded ({sum(o['rows'] for o in loaded)} rows)"
        if loaded
        else "no new export loaded"
    ]
    others: dict[str, int] = {}
    for outcome in outcomes:
        if outcome["status"] != "loaded":
            others[outcome["status"]] = others.get(outcome["status"], 0) + 1
    parts += [f"{n} {status}" for status, n in others.items()]
    return ", ".join(parts)


# --- one run, on screen ------------------------------------------------------------------


@dataclass
class Outcome:
    success: bool
    run_id: str
    log_path: Path
    seconds: float
    watcher: RunWatcher


def make_console(stream: TextIO) -> Console:
    # soft_wrap: a long path stays one line (a terminal wraps it; a log file keeps it whole).
    return Console(file=stream, highlight=False, soft_wrap=True, markup=False)


def execute(settings: Settings, job_name: str, verbose: bool, *, lock: bool = True) -> Outcome:
    """Run `job_name` in this process, showing progress; never raises for a failed run (it
    returns success=False). `lock`: take the refresh lock (False: the caller holds it)."""
    import uuid

    run_id = str(uuid.uuid4())
    log_path = settings.run_log_path(job_name, run_id)
    console = make_console(sys.stdout)
    source = settings.archive_dir if job_name == "rebuild" else settings.landing_dir
    console.print(
        f"{job_name.capitalize()} of {settings.data_dir} from {source} "
        f"(run {run_id[:8]}); full log: {log_path}"
    )
    started = time.monotonic()
    with captured_output(log_path, verbose) as screen:
        console = make_console(screen)
        watcher = RunWatcher(console, spinner=not verbose)  # verbose: the log scrolls by
        try:
            success = _execute(settings, job_name, run_id, lock, watcher, console)
        except BaseException:
            watcher.stop()
            traceback.print_exc()  # into the log, then on screen below
            raise
        finally:
            watcher.stop()
    with contextlib.suppress(OSError):
        prune_logs(settings)
    return Outcome(success, run_id, log_path, time.monotonic() - started, watcher)


def _execute(settings, job_name, run_id, lock, watcher, console) -> bool:
    from orchestration.definitions import START_CHECKS_AFTER, defs

    watcher.after_step = START_CHECKS_AFTER
    from orchestration.runtime.instance import get_instance
    from orchestration.runtime.launcher import worker_tags
    from orchestration.runtime.locks import refresh_lock

    def tell(message: str) -> None:
        watcher.stop()
        console.print(message)

    # execute_in_process brings its own executor, so take the refresh lock here.
    with contextlib.ExitStack() as held:
        if lock:
            held.enter_context(refresh_lock(settings, tell))
        instance = held.enter_context(get_instance(settings))
        instance.add_event_listener(run_id, watcher)
        watcher._spin("starting ...")
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance, run_id=run_id, tags=worker_tags(), raise_on_error=False
        )
    return result.success


def print_failures(console: Console, outcome: Outcome) -> None:
    failures = outcome.watcher.failures
    if not failures:
        return
    console.print()
    for stage, message in failures:
        console.print(Text(f"{stage} failed:", style="bold red"))
        console.print(message)
        console.print()


def alerts_of_run(settings: Settings, run_id: str) -> list[dict]:
    try:
        lines = settings.alerts_log_path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    alerts = []
    for line in lines:
        if run_id in line:
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if record.get("run_id") == run_id:
                    alerts.append(record)
    return alerts


def print_summary(console: Console, settings: Settings, outcome: Outcome, title: str) -> None:
    """The closing lines: what was loaded, rejected, checked, published, and where."""
    watcher = outcome.watcher
    outcomes = watcher.file_outcomes()
    loaded = [o for o in outcomes if o["status"] == "loaded"]
    workbooks = watcher.workbook_outcomes()
    rejected = [o for o in [*outcomes, *workbooks] if o["status"] == "rejected"]
    passed, checks = watcher.check_counts
    published = watcher.steps.get("publish_for_analysts")
    alerts = alerts_of_run(settings, outcome.run_id)

    def row(name: str, text: str, style: str | None = None) -> None:
        line = Text(f"  {name:<16}")
        line.append(text, style=style)
        console.print(line)

    console.print()
    status = "succeeded" if outcome.success else "FAILED"
    console.print(
        Text(
            f"{title} {status} in {outcome.seconds:.0f} s (run {outcome.run_id}).",
            style="bold green" if outcome.success else "bold red",
        )
    )
    row(
        "Loaded",
        (
            f"{len(loaded)} export(s), {sum(o['rows'] for o in loaded)} rows: "
            + ", ".join(f"{o['file']} ({o['rows']})" for o in loaded)
        )
        if loaded
        else "nothing new"
        + (
            f" ({len(outcomes)} file(s) in the landing folder already loaded or rejected)"
            if outcomes
            else ""
        ),
    )
    row(
        "Rejected",
        ", ".join(o["file"] for o in rejected) + f" (reports in {settings.quarantine_dir})"
        if rejected
        else "none",
        "red" if rejected else None,
    )
    if workbooks:
        row(
            "Coding",
            ", ".join(
                f"{o['file']}: "
                + (f"applied ({o['codes']} code(s))" if o["status"] == "loaded" else o["status"])
                for o in workbooks
            )
            + f" (from {settings.coding_dir})",
            "red" if any(o["status"] == "rejected" for o in workbooks) else None,
        )
    dbt = re.search(r"\d+ tests \([^)]*\)", watcher.dbt_summary() or "")
    row(
        "Checks",
        (
            f"{passed} of {checks} Great Expectations checks passed"
            if checks
            else "not run (an earlier stage failed)"
        )
        + (f"; dbt data {dbt[0]}" if dbt else ""),
        "red" if passed < checks else None,
    )
    if published is not None and published.status == "done":
        row("Published", f"yes: {settings.published_path} (analysts read this)", "green")
        row("Report exports", f"{settings.exports_latest} (report.html, report_tables.xlsx)")
    else:
        row(
            "Published",
            f"no: analysts keep the last good copy, {settings.published_path}",
            "yellow",
        )
    row(
        "Alerts",
        (
            f"{len(alerts)} sent ({', '.join(sorted({a['kind'] for a in alerts}))}): "
            if alerts
            else "none; "
        )
        + str(settings.alerts_log_path),
    )
    for alert in alerts:
        broken = [c for c, o in alert.get("channels", {}).items() if o.get("status") == "failed"]
        if broken:
            row("", f"could not send {alert['kind']} by {', '.join(broken)}: see the log", "red")
    row("Landing folder", str(settings.landing_dir))
    row("Working DuckDB", f"{settings.warehouse_path} (personal data: owner only)")
    row("Archive", str(settings.archive_dir))
    row("Quarantine", str(settings.quarantine_dir))
    row("Full log", str(outcome.log_path))
