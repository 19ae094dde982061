"""Measuring one command of the bench: wall time, peak RSS of its process tree, and for a
refresh its stages (Dagster's step stats, dbt's run_results.json, the publish step's own
timings). The harness knows only the commands: whatever the `refresh` job contains is timed."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import subprocess
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

import duckdb

try:  # psutil when it is installed; otherwise /proc (Linux) does the same job
    import psutil
except ImportError:
    psutil = None

ROOT = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.05
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

# The refresh job's steps as the bench names them (a step not listed keeps its key).
STEP_STAGES = {
    "ingest_survey_extracts": "ingest (hash, archive, load, row checks)",
    "raw_contract_checks": "GX gate: raw contract checks",  # until the checks had one home
    "warehouse_dbt_assets": "dbt build",
    "mart_quality_checks": "GX gate: mart checks",  # until the checks had one home
    "publish_gate": "GX publish gate (marts)",
    "publish_for_analysts": "publish + exports",
}
GX_STEPS = ("raw_contract_checks", "mart_quality_checks", "publish_gate")


# ------------------------------------------------------------------------------------------
# A child process: wall time and the peak RSS of its whole tree
# ------------------------------------------------------------------------------------------


def _proc_children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _proc_rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident memory of the process and all its descendants, in bytes."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            members = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for member in members:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += member.memory_info().rss
        return total
    children = _proc_children()
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _proc_rss(current)
        stack.extend(children.get(current, ()))
    return total


def run_measured(command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> dict:
    """Run command to completion; wall seconds, peak tree RSS, exit code, epoch start/end."""
    log.parent.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("wb") as out:
        started_epoch = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "command": " ".join(command),
        "returncode": process.returncode,
        "success": process.returncode == 0,
        "wall_seconds": round(wall, 3),
        "peak_rss_mb": round(peak / 2**20, 1),
        # CPU seconds of the tree (the processes that were waited for): less disturbed than the
        # wall time by other work on a shared machine.
        "cpu_seconds": round(cpu, 3),
        "started_epoch": started_epoch,
        "ended_epoch": started_epoch + wall,
        "log": str(log),
    }


def log_tail(measured: dict, lines: int = 40) -> list[str]:
    return Path(measured["log"]).read_text(errors="replace").splitlines()[-lines:]


def child_env(data_dir: Path, landing_dir: Path) -> dict[str, str]:
    """The environment of a timed refresh: its own data and landing folders, no telemetry, and
    no settling wait (the bench writes its exports before it starts the refresh)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHC_", "DAGSTER_HOME"))}
    env.update(
        {
            "PHC_DATA_DIR": str(data_dir),
            "PHC_LANDING_DIR": str(landing_dir),
            "PHC_LANDING_SETTLE_SECONDS": "0",
            "DAGSTER_HOME": str(data_dir / "dagster_home"),
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
            "GX_ANALYTICS_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# ------------------------------------------------------------------------------------------
# dbt's own timing: run_results.json
# ------------------------------------------------------------------------------------------


def _iso_epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _node_group(unique_id: str) -> str:
    kind = unique_id.split(".")[0]
    if kind == "model":
        prefix = unique_id.split(".")[2].split("_")[0]
        return "models: " + {"stg": "staging", "int": "intermediate"}.get(prefix, "marts")
    return "tests" if kind == "test" else f"{kind}s"


def dbt_breakdown(run_results: Path, step_start: float, step_end: float) -> dict:
    """A dbt invocation split by dbt's own timing: start-up, each layer, the tests, the end."""
    results = json.loads(run_results.read_text())["results"]
    groups: dict[str, float] = {}
    counts: dict[str, int] = {}
    nodes = []
    first_start, last_end = None, None
    for result in results:
        group = _node_group(result["unique_id"])
        groups[group] = groups.get(group, 0.0) + result["execution_time"]
        counts[group] = counts.get(group, 0) + 1
        nodes.append((result["execution_time"], result["unique_id"]))
        for timing in result.get("timing", []):
            if timing.get("started_at"):
                start = _iso_epoch(timing["started_at"])
                first_start = start if first_start is None else min(first_start, start)
            if timing.get("completed_at"):
                end = _iso_epoch(timing["completed_at"])
                last_end = end if last_end is None else max(last_end, end)
    nodes.sort(reverse=True)
    return {
        "start_up_seconds": round(first_start - step_start, 3) if first_start else None,
        "nodes_seconds": {k: round(v, 3) for k, v in sorted(groups.items())},
        "node_counts": dict(sorted(counts.items())),
        "after_last_node_seconds": round(step_end - last_end, 3) if last_end else None,
        "slowest_nodes": [{"node": n, "seconds": round(s, 3)} for s, n in nodes[:8]],
        "run_results": str(run_results),
    }


def _run_results_of(run_id: str, data_dir: Path) -> Path | None:
    candidates = sorted(
        p for p in (data_dir / "dbt_runs").glob("*/run_results.json") if run_id in str(p.parent)
    )
    return candidates[-1] if candidates else None


# ------------------------------------------------------------------------------------------
# A refresh's stages, from the Dagster instance
# ------------------------------------------------------------------------------------------


def known_runs(dagster_home: Path) -> set[str]:
    if not (dagster_home / "dagster.yaml").exists():
        return set()
    import dagster as dg  # only the harness pays this import, never the timed child

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        return {run.run_id for run in instance.get_runs()}


def _publish_split(instance, run_id: str) -> dict[str, float]:
    """The publish step's own seconds for the copy and for the exports (its metadata)."""
    import dagster as dg

    seconds = {}
    for record in instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records:
        materialization = record.event_log_entry.dagster_event.event_specific_data.materialization
        value = materialization.metadata.get("seconds")
        if value is not None:
            seconds[materialization.asset_key.path[0]] = float(value.value)
    return seconds


def run_stages(dagster_home: Path, before: set[str], measured: dict, data_dir: Path) -> dict:
    """Per-stage seconds of the run this measurement made."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = [run for run in instance.get_runs() if run.run_id not in before]
        if not runs:
            return {"run_id": None, "stages": [], "status": "no run recorded"}
        run = runs[0]
        stats = instance.get_run_stats(run.run_id)
        steps = sorted(
            (s for s in instance.get_run_step_stats(run.run_id) if s.start_time),
            key=lambda s: s.start_time,
        )
        publish_split = _publish_split(instance, run.run_id)
    start, end = measured["started_epoch"], measured["ended_epoch"]
    run_start = stats.start_time or start
    run_end = stats.end_time or end
    stages = [
        {
            "stage": "start-up (python, imports, definitions, instance, run)",
            "seconds": run_start - start,
        }
    ]
    in_steps = 0.0
    for step in steps:
        seconds = (step.end_time or run_end) - step.start_time
        in_steps += seconds
        stage = {
            "stage": STEP_STAGES.get(step.step_key, f"step {step.step_key}"),
            "step": step.step_key,
            "seconds": seconds,
            "status": step.status.value if step.status else None,
        }
        if step.step_key in GX_STEPS:
            stage["gx"] = True
        if "dbt" in step.step_key:
            results = _run_results_of(run.run_id, data_dir)
            if results:
                stage["dbt"] = dbt_breakdown(results, step.start_time, step.end_time or run_end)
        if step.step_key == "publish_for_analysts" and publish_split:
            stage["parts"] = {
                "publish (copy the marts, change summary, swap)": publish_split.get("published"),
                "exports (workbook, CSV, charts, report)": publish_split.get("exports"),
            }
        stages.append(stage)
    stages.append(
        {
            "stage": "run overhead (between steps, events)",
            "seconds": (run_end - run_start) - in_steps,
        }
    )
    stages.append({"stage": "shutdown", "seconds": end - run_end})
    wall = measured["wall_seconds"]
    for stage in stages:
        stage["seconds"] = round(stage["seconds"], 3)
        stage["share"] = round(stage["seconds"] / wall, 3) if wall else None
    return {
        "run_id": run.run_id,
        "status": run.status.value,
        "stages": stages,
        "gx_seconds": round(sum(s["seconds"] for s in stages if s.get("gx")), 3),
    }


def table_rows(warehouse: Path, sql: str) -> list[list] | None:
    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            return sorted([list(row) for row in con.execute(sql).fetchall()])
        except duckdb.Error:
            return None


# ------------------------------------------------------------------------------------------
# The machine
# ------------------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()

    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    return {
        "cpu_model": model,
        "logical_cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "rss_sampler": "psutil" if psutil is not None else "/proc",
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dagster": version("dagster"),
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "git_commit": git("rev-parse", "--short", "HEAD") + ("+dirty" if dirty else ""),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
