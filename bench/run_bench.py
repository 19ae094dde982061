"""`make bench`: time the whole refresh against a plain DuckDB baseline, at several sizes.

    python bench/run_bench.py                      # N = 1k, 10k, 100k police respondents
    BENCH_FULL=1 python bench/run_bench.py         # ... and 1,000,000
    python bench/run_bench.py --sizes 300,5000     # other sizes

For each N, in fresh temporary folders:
1. write a synthetic police export of N respondents (bench/synthetic.py) into a landing folder,
   beside the reference national export (reference/extracts/national_20171020.csv);
2. baseline: `python bench/baseline.py <the same files>` (marts.area_of_work, plain DuckDB);
3. full refresh: `phc run` with PHC_DATA_DIR / PHC_LANDING_DIR / DAGSTER_HOME
   pointing at the fresh folders; wall time, peak RSS of the process tree (psutil, summed over
   the child and all its descendants every 50 ms; psutil if
   installed, else /proc), and per-stage seconds read back from the
   Dagster instance's step stats (and dbt's run_results.json for the dbt step);
   then marts.area_of_work is compared with the baseline, row for row;
4. no-op refresh: the same command again, nothing new in the landing folder.
Then once: the reference refresh (landing = reference/extracts, fresh data folder), and again
with `--force` in the same folder (the steady state of `make run FORCE=1`).

Whatever stages the `refresh` job contains are timed: the harness knows only the command.
Results: a table per N on stdout, everything as JSON in bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb

try:  # psutil when it is installed; otherwise /proc (Linux) does the same job
    import psutil
except ImportError:
    psutil = None

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from bench.baseline import COLUMNS  # noqa: E402
from orchestration.runtime.settings import DBT_PROJECT_DIR, REFERENCE_EXTRACTS_DIR  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 100_000)
FULL_SIZE = 1_000_000
NATIONAL_REFERENCE = REFERENCE_EXTRACTS_DIR / "national_20171020.csv"
RESULTS = ROOT / "bench" / "results" / "latest.json"
POLL_SECONDS = 0.05
PYTHON = sys.executable


# ------------------------------------------------------------------------------------------
# Measuring a child process
# ------------------------------------------------------------------------------------------


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


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


def run_measured(command: list[str], env: dict[str, str], log: Path) -> dict:
    """Run command to completion; wall seconds, peak tree RSS, exit code, epoch start/end."""
    with log.open("wb") as out:
        started_epoch = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - started
    return {
        "command": " ".join(command),
        "returncode": process.returncode,
        "wall_seconds": round(wall, 3),
        "peak_rss_mb": round(peak / 2**20, 1),
        "started_epoch": started_epoch,
        "ended_epoch": started_epoch + wall,
        "log": str(log),
    }


def child_env(data_dir: Path, landing_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHC_", "DAGSTER_HOME"))}
    env.update(
        {
            "PHC_DATA_DIR": str(data_dir),
            "PHC_LANDING_DIR": str(landing_dir),
            "DAGSTER_HOME": str(data_dir / "dagster_home"),
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "GX_ANALYTICS_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# ------------------------------------------------------------------------------------------
# Reading the stages back: Dagster step stats, dbt run_results.json
# ------------------------------------------------------------------------------------------


def _iso_epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def dbt_breakdown(run_id: str, step_start: float, step_end: float, data_dir: Path) -> dict | None:
    """The dbt step split by dbt's own timing (run_results.json of this run's invocation).

    Found wherever the pipeline keeps dbt's target folder for the run: under the data folder
    (a folder named after the run id) or dagster-dbt's default `target/<op>-<run id[:7]>-<uuid>`.
    """
    candidates = sorted(
        [p for p in data_dir.rglob("run_results.json") if run_id[:7] in str(p.parent)]
        + list((DBT_PROJECT_DIR / "target").glob(f"*-{run_id[:7]}-*/run_results.json"))
    )
    if not candidates:
        return None
    results = json.loads(candidates[-1].read_text())["results"]
    groups: dict[str, float] = {}
    nodes = []
    first_start, last_end = None, None
    for result in results:
        unique_id = result["unique_id"]
        kind = unique_id.split(".")[0]
        if kind == "model":
            layer = unique_id.split(".")[2].split("_")[0]
            layer = {"stg": "staging", "int": "intermediate"}.get(layer, "marts")
            kind = f"models: {layer}"
        elif kind == "test":
            kind = "tests"
        else:
            kind = f"{kind}s"
        groups[kind] = groups.get(kind, 0.0) + result["execution_time"]
        nodes.append((result["execution_time"], unique_id))
        for timing in result.get("timing", []):
            if timing.get("started_at"):
                start = _iso_epoch(timing["started_at"])
                first_start = start if first_start is None else min(first_start, start)
            if timing.get("completed_at"):
                end = _iso_epoch(timing["completed_at"])
                last_end = end if last_end is None else max(last_end, end)
    nodes.sort(reverse=True)
    breakdown = {
        "start_up_seconds": round(first_start - step_start, 3) if first_start else None,
        "nodes_seconds": {k: round(v, 3) for k, v in sorted(groups.items())},
        "after_last_node_seconds": round(step_end - last_end, 3) if last_end else None,
        "slowest_nodes": [{"node": n, "seconds": round(s, 3)} for s, n in nodes[:8]],
        "run_results": str(candidates[-1]),
    }
    return breakdown


def run_stages(dagster_home: Path, known_runs: set[str], measured: dict, data_dir: Path) -> dict:
    """Per-stage seconds of the run this measurement made, from the Dagster instance."""
    import dagster as dg  # only the harness pays this import, never the timed child

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = [run for run in instance.get_runs() if run.run_id not in known_runs]
        if not runs:
            return {"run_id": None, "stages": [], "status": "no run recorded"}
        run = runs[0]
        stats = instance.get_run_stats(run.run_id)
        steps = sorted(
            (s for s in instance.get_run_step_stats(run.run_id) if s.start_time),
            key=lambda s: s.start_time,
        )
    start, end = measured["started_epoch"], measured["ended_epoch"]
    run_start = stats.start_time or start
    run_end = stats.end_time or end
    stages = [
        {"stage": "start-up (python, imports, definitions, instance)", "seconds": run_start - start}
    ]
    in_steps = 0.0
    for step in steps:
        seconds = (step.end_time or run_end) - step.start_time
        in_steps += seconds
        stage = {
            "stage": f"step {step.step_key}",
            "seconds": seconds,
            "status": step.status.value if step.status else None,
        }
        if "dbt" in step.step_key:
            stage["dbt"] = dbt_breakdown(
                run.run_id, step.start_time, step.end_time or run_end, data_dir
            )
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
    return {"run_id": run.run_id, "status": run.status.value, "stages": stages}


def refresh(data_dir: Path, landing_dir: Path, label: str, force: bool = False) -> dict:
    """One `phc run` (`--force`: even with nothing new), measured, with
    its stages."""
    home = data_dir / "dagster_home"
    known: set[str] = set()
    if (home / "dagster.yaml").exists():
        import dagster as dg

        with dg.DagsterInstance.from_config(str(home)) as instance:
            known = {run.run_id for run in instance.get_runs()}
    data_dir.mkdir(parents=True, exist_ok=True)
    measured = run_measured(
        [PYTHON, "-m", "orchestration.cli", "run", *(["--force"] if force else [])],
        child_env(data_dir, landing_dir),
        data_dir.parent / f"{label}.log",
    )
    measured.update(
        run_stages(home, known, measured, data_dir) if home.exists() else {"stages": []}
    )
    measured["success"] = measured["returncode"] == 0
    if not measured["success"]:
        tail = Path(measured["log"]).read_text(errors="replace").splitlines()[-40:]
        measured["log_tail"] = tail
        print(
            f"  !! {label} refresh failed (exit {measured['returncode']}); log tail:",
            *tail[-15:],
            sep="\n    ",
        )
    return measured


def mart_rows(data_dir: Path) -> list[list] | None:
    for path in (data_dir / "warehouse.duckdb", data_dir / "published" / "warehouse.duckdb"):
        if path.exists():
            with duckdb.connect(str(path), read_only=True) as con:
                try:
                    rows = con.execute(
                        f"select {', '.join(COLUMNS)} from marts.area_of_work"
                    ).fetchall()
                except duckdb.Error:
                    continue
            return sorted([list(row) for row in rows])
    return None


def baseline(files: list[Path], log_dir: Path, label: str) -> dict:
    measured = run_measured(
        [PYTHON, str(ROOT / "bench" / "baseline.py"), "--json", *map(str, files)],
        dict(os.environ),
        log_dir / f"{label}.log",
    )
    output = Path(measured["log"]).read_text().strip().splitlines()
    result = json.loads(output[-1]) if measured["returncode"] == 0 else {}
    measured["query_seconds"] = result.get("query_seconds")
    measured["rows"] = sorted(result.get("rows", []))
    return measured


# ------------------------------------------------------------------------------------------
# Reporting
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

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    )
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
        "git_commit": commit + ("+dirty" if dirty else ""),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def print_stages(title: str, run: dict) -> None:
    print(
        f"\n  {title}: {run['wall_seconds']:.2f} s wall, peak RSS {run['peak_rss_mb']:.0f} MB"
        + ("" if run["success"] else "  ** FAILED **")
    )
    print(f"    {'stage':<58} {'seconds':>9} {'share':>7}")
    for stage in run.get("stages", []):
        print(f"    {stage['stage']:<58} {stage['seconds']:>9.2f} {stage['share']:>7.1%}")
        dbt = stage.get("dbt")
        if dbt:
            if dbt["start_up_seconds"] is not None:
                print(
                    f"      {'dbt start-up (process, parse, connect)':<56} "
                    f"{dbt['start_up_seconds']:>9.2f}"
                )
            for name, seconds in dbt["nodes_seconds"].items():
                print(f"      {'dbt ' + name:<56} {seconds:>9.2f}")
            if dbt["after_last_node_seconds"] is not None:
                print(
                    f"      {'after the last node (exit, events)':<56} "
                    f"{dbt['after_last_node_seconds']:>9.2f}"
                )


def growth(sizes: list[dict]) -> dict:
    """Seconds per 1k respondents at each N, the marginal cost between sizes, and a verdict."""
    points = [
        (s["n"], s["full_refresh"]["wall_seconds"], s["baseline"]["wall_seconds"])
        for s in sizes
        if s["full_refresh"]["success"]
    ]
    rows = []
    for i, (n, wall, base) in enumerate(points):
        row = {
            "n": n,
            "refresh_s_per_1k": round(wall / n * 1000, 4),
            "baseline_s_per_1k": round(base / n * 1000, 4),
        }
        if i:
            n0, wall0, base0 = points[i - 1]
            row["refresh_marginal_s_per_1k"] = round((wall - wall0) / (n - n0) * 1000, 4)
            row["baseline_marginal_s_per_1k"] = round((base - base0) / (n - n0) * 1000, 4)
        rows.append(row)
    verdict = "not enough sizes to judge"
    if len(points) >= 2:
        n = [p[0] for p in points]
        t = [p[1] for p in points]
        mean_n, mean_t = sum(n) / len(n), sum(t) / len(t)
        slope = sum((a - mean_n) * (b - mean_t) for a, b in zip(n, t, strict=True)) / sum(
            (a - mean_n) ** 2 for a in n
        )
        intercept = mean_t - slope * mean_n
        worst = max(abs(b - (intercept + slope * a)) / b for a, b in zip(n, t, strict=True))
        marginal = [r["refresh_marginal_s_per_1k"] for r in rows[1:]]
        verdict = (
            f"least-squares fit: {intercept:.2f} s fixed + {slope * 1000:.4f} s per 1k "
            f"respondents (worst point off the line by {worst:.0%}); marginal cost per 1k "
            f"between sizes: {', '.join(f'{m:.4f}' for m in marginal)} s"
        )
        if len(marginal) >= 2 and marginal[-2] > 0:
            ratio = marginal[-1] / marginal[-2]
            verdict += f"; the last interval costs {ratio:.2f}x the one before per respondent: " + (
                "linear (within 1.5x)"
                if 1 / 1.5 <= ratio <= 1.5
                else "NOT linear"
                if ratio > 1.5
                else "sub-linear so far (fixed costs still dominate the smaller sizes)"
            )
    return {"per_size": rows, "verdict": verdict}


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------


def ensure_manifest() -> None:
    if not (DBT_PROJECT_DIR / "target" / "manifest.json").exists():
        subprocess.run(
            [PYTHON, "-m", "orchestration.cli", "dbt", "parse", "--quiet"], cwd=ROOT, check=True
        )


def bench_size(n: int, seed: int, work: Path) -> dict:
    print(f"\n=== N = {n:,} police respondents (+ reference national, 28 rows) ===")
    landing = work / "landing"
    landing.mkdir(parents=True)
    started = time.perf_counter()
    police = synthetic.write_export("police", n, seed, landing)
    generate_seconds = time.perf_counter() - started
    national = Path(shutil.copy2(NATIONAL_REFERENCE, landing / NATIONAL_REFERENCE.name))
    files = [police, national]
    print(
        f"  generated {police.name}: {police.stat().st_size / 2**20:.1f} MB "
        f"in {generate_seconds:.2f} s"
    )

    base = baseline(files, work, "baseline")
    print(
        f"  baseline: {base['wall_seconds']:.2f} s wall ({base['query_seconds']} s query), "
        f"peak RSS {base['peak_rss_mb']:.0f} MB"
    )
    full = refresh(work / "data", landing, "full_refresh")
    print_stages("full refresh", full)
    rows = mart_rows(work / "data") if full["success"] else None
    matches = rows is not None and rows == base["rows"]
    print(f"  marts.area_of_work {'==' if matches else '!='} baseline ({len(rows or [])} rows)")
    noop = refresh(work / "data", landing, "noop_refresh")
    print_stages("no-op refresh", noop)
    ratio = full["wall_seconds"] / base["wall_seconds"] if base["wall_seconds"] else None
    print(f"  ratio full refresh / baseline: {ratio:.1f}x")
    return {
        "n": n,
        "police_file_mb": round(police.stat().st_size / 2**20, 2),
        "generate_seconds": round(generate_seconds, 3),
        "baseline": {k: v for k, v in base.items() if k != "rows"},
        "full_refresh": full,
        "noop_refresh": noop,
        "refresh_over_baseline": round(ratio, 2) if ratio else None,
        "area_of_work_matches_baseline": matches,
        "area_of_work_baseline": base["rows"],
        "area_of_work_mismatch": None if matches else {"refresh": rows},
    }


def merge(paths: list[Path], out: Path) -> int:
    """Several results files as one (e.g. the default sizes plus a separate BENCH_FULL run)."""
    loaded = [json.loads(path.read_text()) for path in paths]
    results = dict(loaded[0])
    seen = {size["n"] for size in results["sizes"]}
    results["sizes"] = list(results["sizes"])
    for path, other in zip(paths[1:], loaded[1:], strict=True):
        for size in other["sizes"]:
            if size["n"] not in seen:
                seen.add(size["n"])
                results["sizes"].append(
                    {
                        **size,
                        "merged_from": {
                            "file": str(path),
                            "started_at": other.get("started_at"),
                            "load_average_at_start": other["machine"].get("load_average_at_start"),
                        },
                    }
                )
        for key in ("reference_refresh", "reference_refresh_again"):
            if not results.get(key) and other.get(key):
                results[key] = other[key]
    results["sizes"].sort(key=lambda size: size["n"])
    results["growth"] = growth(results["sizes"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return print_summary(results, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        help="comma-separated N (default 1000,10000,100000, plus 1000000 when BENCH_FULL=1)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-reference", action="store_true", help="skip the reference refresh")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="RESULTS_JSON",
        help="run nothing: fold these results files into --out (first file wins for a size "
        "measured twice), recompute the growth figures and print the summary",
    )
    args = parser.parse_args(argv)
    if args.merge:
        return merge(args.merge, args.out)
    if args.sizes:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    else:
        sizes = list(DEFAULT_SIZES)
        if os.environ.get("BENCH_FULL") == "1":
            sizes.append(FULL_SIZE)

    ensure_manifest()
    info = machine()
    print(
        f"Machine: {info['cpu_model']}, {info['logical_cores']} logical cores, "
        f"{info['memory_gb']} GB; Python {info['python']}, DuckDB {info['duckdb']}, "
        f"Dagster {info['dagster']}, dbt {info['dbt_core']}; load average "
        f"{info['load_average_at_start']} (other work on the machine disturbs timings)"
    )
    work_root = Path(tempfile.mkdtemp(prefix="phc-bench-"))
    results: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "seed": args.seed,
        "sizes": [],
        "work_dir": str(work_root),
    }
    try:
        for n in sizes:
            results["sizes"].append(bench_size(n, args.seed, work_root / f"n{n}"))
        if not args.no_reference:
            print("\n=== reference refresh (landing = reference/extracts) ===")
            ref = refresh(
                work_root / "reference" / "data", REFERENCE_EXTRACTS_DIR, "reference_refresh"
            )
            print_stages("reference refresh", ref)
            results["reference_refresh"] = ref
            # The steady state of `make run FORCE=1`: the same data folder again, so dbt
            # starts from the previous run's parse, as every refresh after the first does.
            print("\n=== reference refresh again (make run FORCE=1) ===")
            again = refresh(
                work_root / "reference" / "data",
                REFERENCE_EXTRACTS_DIR,
                "reference_refresh_again",
                force=True,
            )
            print_stages("reference refresh again", again)
            results["reference_refresh_again"] = again
    finally:
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        results["growth"] = growth(results["sizes"])
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        if not args.keep:
            shutil.rmtree(work_root, ignore_errors=True)

    return print_summary(results, args.out)


def print_summary(results: dict, out: Path) -> int:
    """The one-line-per-N table; exit status 1 when a refresh failed or differed."""
    print("\n=== summary ===")
    print(
        f"  {'N':>10} {'baseline s':>11} {'refresh s':>10} {'ratio':>7} {'no-op s':>8} "
        f"{'peak RSS MB':>12} {'s/1k resp.':>11} {'marginal s/1k':>14} {'equal':>6}"
    )
    by_n = {row["n"]: row for row in results["growth"]["per_size"]}
    for size in results["sizes"]:
        g = by_n.get(size["n"], {})
        marginal = g.get("refresh_marginal_s_per_1k")
        print(
            f"  {size['n']:>10,} {size['baseline']['wall_seconds']:>11.2f} "
            f"{size['full_refresh']['wall_seconds']:>10.2f} "
            f"{size['refresh_over_baseline'] or 0:>6.1f}x "
            f"{size['noop_refresh']['wall_seconds']:>8.2f} "
            f"{size['full_refresh']['peak_rss_mb']:>12.0f} "
            f"{g.get('refresh_s_per_1k', float('nan')):>11.4f} "
            f"{'' if marginal is None else f'{marginal:.4f}':>14} "
            f"{'yes' if size['area_of_work_matches_baseline'] else 'NO':>6}"
        )
    if results.get("reference_refresh"):
        ref = results["reference_refresh"]
        print(
            f"  reference refresh: {ref['wall_seconds']:.2f} s wall, "
            f"peak RSS {ref['peak_rss_mb']:.0f} MB"
        )
    if results.get("reference_refresh_again"):
        again = results["reference_refresh_again"]
        print(
            f"  reference refresh again (FORCE=1): {again['wall_seconds']:.2f} s wall, "
            f"peak RSS {again['peak_rss_mb']:.0f} MB"
        )
    print(f"  growth: {results['growth']['verdict']}")
    print(f"  results: {out}")
    failed = [
        s["n"]
        for s in results["sizes"]
        if not (s["full_refresh"]["success"] and s["area_of_work_matches_baseline"])
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
