"""`make bench`: the refresh's fixed and marginal costs, each against its peer, in one run.

    python bench/run_bench.py                 # fixed cost, and the marginal cost at N = 300k
    BENCH_FULL=1 python bench/run_bench.py    # ... and at N = 1M
    python bench/run_bench.py --sizes 5000    # other sizes (comma-separated)
    python bench/run_bench.py --readme        # run nothing: README tables from latest.json

1. **Fixed cost**: a reference warehouse (fresh data folder, landing = a copy of
   reference/extracts) is refreshed once, then `--pairs` times alternately: the reference
   refresh again (`phc run --force`, what `make run FORCE=1` runs) and a bare `dbt build` of the
   same dbt project on the same warehouse file, dbt's parse cached (what a team without
   orchestration would run). Ratio: the median over the pairs of refresh / dbt build.
   Reconciliation on the published file must be 469 match / 3 known discrepancy / 0 mismatch.
2. **Marginal cost** at each N: a synthetic police export of N respondents
   (bench/synthetic.py, stamped after the reference's, so it supersedes it in the 2017 wave) is
   added to a reference warehouse's landing folder and the refresh runs; the marginal cost is
   (that refresh - a reference refresh run just before it in the same folder) / a plain
   DuckDB script that loads the same CSV, unpivots and aggregates it (bench/baseline.py).
   The published marts.area_of_work must equal the script's rows. The first size reuses the
   fixed-cost warehouse; each further size starts a new one (raw holds the reference and N).
3. **Peak RSS** of the whole process tree (the refresh, the dbt and GX worker processes), every
   50 ms, at every measurement; the goal is read at the largest N.
Every refresh is split into stages (ingest, GX gates, dbt start-up, seeds, each model layer,
tests, publish, exports) from the Dagster instance, dbt's run_results.json and the publish
step's metadata. The last `make test` wall time is included when bench/results/make_test.json
exists. Everything goes to bench/results/latest.json; `--readme` rewrites the tables between
the marker comments of README.md and bench/README.md from it (no number is typed by hand).
Exit status 1 when a refresh failed or a mart differed from the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report, synthetic  # noqa: E402
from bench.baseline import COLUMNS  # noqa: E402
from bench.measure import (  # noqa: E402
    child_env,
    dbt_breakdown,
    known_runs,
    log_tail,
    machine,
    run_measured,
    run_stages,
    table_rows,
)
from orchestration.runtime.settings import DBT_PROJECT_DIR, REFERENCE_EXTRACTS_DIR  # noqa: E402

DEFAULT_SIZES = (300_000,)
FULL_SIZES = (300_000, 1_000_000)
ADDED_EXPORT_DATE = "20171031"  # after the reference police_20171020.csv: it supersedes it
RESULTS_DIR = ROOT / "bench" / "results"
RESULTS = RESULTS_DIR / "latest.json"
MAKE_TEST = RESULTS_DIR / "make_test.json"
PYTHON = sys.executable
DBT = str(Path(sys.executable).with_name("dbt"))
# What the refresh's dbt step runs (orchestration/transform/defs.py's BUILD_ARGS; the unit
# tests run in `make test`).
DBT_BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]
RECONCILIATION_EXPECTED = {"match": 469, "known discrepancy": 3, "mismatch": 0}


# ------------------------------------------------------------------------------------------
# The measured commands
# ------------------------------------------------------------------------------------------


def refresh(data_dir: Path, landing: Path, label: str, force: bool = False) -> dict:
    """One `phc run` (`--force`: even with nothing new), measured, with its stages."""
    home = data_dir / "dagster_home"
    before = known_runs(home)
    data_dir.mkdir(parents=True, exist_ok=True)
    measured = run_measured(
        [PYTHON, "-m", "orchestration.cli", "run", *(["--force"] if force else [])],
        child_env(data_dir, landing),
        data_dir.parent / "logs" / f"{label}.log",
    )
    if home.exists():
        measured.update(run_stages(home, before, measured, data_dir))
    if not measured["success"]:
        measured["log_tail"] = log_tail(measured)
        print(f"  !! {label} failed (exit {measured['returncode']}); log tail:")
        print(*measured["log_tail"][-15:], sep="\n    ")
    print(f"  {label}: {measured['wall_seconds']:.2f} s, peak RSS {measured['peak_rss_mb']:.0f} MB")
    return measured


def bare_dbt_build(data_dir: Path, label: str) -> dict:
    """`dbt build` of the project on the refresh's warehouse file, from the last refresh's parse,
    run as the refresh runs it: in the data folder, the profile's warehouse path relative to it
    (dbt keeps a parse only while the profile is unchanged)."""
    target = data_dir.parent / "bare_dbt" / label
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    parses = sorted(
        (data_dir / "dbt_runs").glob("*/partial_parse.msgpack"), key=lambda p: p.stat().st_mtime
    )
    if parses:
        shutil.copy(parses[-1], target / "partial_parse.msgpack")
    env = child_env(data_dir, data_dir.parent / "landing")
    env.update(
        {
            "PHC_WAREHOUSE_PATH": "warehouse.duckdb",
            "PHC_DUCKDB_MEMORY_LIMIT": os.environ.get("PHC_DUCKDB_MEMORY_LIMIT", "1GB"),
        }
    )
    command = [
        DBT, *DBT_BUILD_ARGS, "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target),
    ]  # fmt: skip
    measured = run_measured(command, env, data_dir.parent / "logs" / f"{label}.log",
                            cwd=data_dir)  # fmt: skip
    results = target / "run_results.json"
    if results.exists():
        measured["dbt"] = dbt_breakdown(results, measured["started_epoch"], measured["ended_epoch"])
    if not measured["success"]:
        measured["log_tail"] = log_tail(measured)
        print(f"  !! {label} failed (exit {measured['returncode']})")
    print(f"  {label}: {measured['wall_seconds']:.2f} s, peak RSS {measured['peak_rss_mb']:.0f} MB")
    return measured


def baseline(files: list[Path], log: Path) -> dict:
    measured = run_measured(
        [PYTHON, str(ROOT / "bench" / "baseline.py"), "--json", *map(str, files)],
        dict(os.environ),
        log,
    )
    output = Path(measured["log"]).read_text().strip().splitlines()
    result = json.loads(output[-1]) if measured["success"] else {}
    for key in ("load_seconds", "aggregate_seconds"):
        measured[key] = result.get(key)
    measured["rows"] = sorted(result.get("rows", []))
    print(
        f"  baseline (load + unpivot + aggregate): {measured['wall_seconds']:.2f} s "
        f"(load {measured['load_seconds']} s), peak RSS {measured['peak_rss_mb']:.0f} MB"
    )
    return measured


def published(data_dir: Path) -> Path:
    return data_dir / "published" / "warehouse.duckdb"


def reconciliation(data_dir: Path) -> dict[str, int]:
    rows = table_rows(
        published(data_dir), "select status, count(*) from marts.reconciliation group by status"
    )
    return dict(rows or [])


# ------------------------------------------------------------------------------------------
# The three measures
# ------------------------------------------------------------------------------------------


def reference_warehouse(folder: Path) -> tuple[Path, Path, dict]:
    """A fresh data folder refreshed once from a copy of the reference extracts."""
    landing = folder / "landing"
    landing.mkdir(parents=True)
    for path in REFERENCE_EXTRACTS_DIR.iterdir():
        if path.suffix in (".csv", ".xlsx"):
            shutil.copy2(path, landing / path.name)
    data = folder / "data"
    first = refresh(data, landing, "reference_first")
    return data, landing, first


def fixed_cost(folder: Path, pairs: int) -> tuple[dict, Path, Path]:
    print("\n=== fixed cost: reference refresh (make run FORCE=1) vs bare dbt build ===")
    data, landing, first = reference_warehouse(folder)
    refreshes, builds = [], []
    for i in range(1, pairs + 1):
        refreshes.append(refresh(data, landing, f"reference_force_{i}", force=True))
        builds.append(bare_dbt_build(data, f"bare_dbt_build_{i}"))
    ok = all(r["success"] for r in [first, *refreshes, *builds])
    refresh_s = statistics.median(r["wall_seconds"] for r in refreshes)
    dbt_s = statistics.median(b["wall_seconds"] for b in builds)
    # Each refresh against the dbt build right after it (the VM drifts between pairs).
    pair_ratios = [
        round(r["wall_seconds"] / b["wall_seconds"], 2)
        for r, b in zip(refreshes, builds, strict=True)
    ]
    recon = reconciliation(data)
    result = {
        "first_refresh": first,
        "refreshes": refreshes,
        "bare_dbt_builds": builds,
        "refresh_seconds": refresh_s,
        "dbt_build_seconds": dbt_s,
        "ratio": round(statistics.median(pair_ratios), 2) if ok else None,
        "pair_ratios": pair_ratios,
        "reconciliation": recon,
        # a status no figure has is absent from the counts: no mismatch row is 0 mismatches
        "reconciliation_ok": {"mismatch": 0, **recon} == RECONCILIATION_EXPECTED,
        "success": ok,
    }
    print(
        f"  fixed cost: {refresh_s:.2f} s / {dbt_s:.2f} s = {result['ratio']}x "
        f"(pairs {result['pair_ratios']}); reconciliation {recon}"
    )
    return result, data, landing


def marginal_cost(n: int, seed: int, folder: Path, reuse: tuple[Path, Path] | None) -> dict:
    print(f"\n=== marginal cost: + {n:,} police respondents ===")
    if reuse:
        data, landing = reuse
    else:
        data, landing, _ = reference_warehouse(folder)
    # The reference refresh right before the one with the added export, in the same folder:
    # the VM's speed drifts, the pair does not.
    reference = refresh(data, landing, f"reference_force_before_n{n}", force=True)
    reference_s = reference["wall_seconds"]
    police = synthetic.write_export("police", n, seed, landing, date=ADDED_EXPORT_DATE)
    national = landing / "national_20171020.csv"
    base = baseline([police, national], data.parent / "logs" / f"baseline_n{n}.log")
    run = refresh(data, landing, f"refresh_n{n}")
    rows = table_rows(
        published(data), f"select {', '.join(COLUMNS)} from marts.area_of_work"
    ) if run["success"] else None  # fmt: skip
    matches = rows is not None and rows == base["rows"]
    loaded = table_rows(
        data / "warehouse.duckdb", "select file_name, row_count from raw.deliveries"
    )
    marginal_s = run["wall_seconds"] - reference_s
    ratio = marginal_s / base["wall_seconds"] if run["success"] and base["success"] else None
    print(
        f"  marginal: ({run['wall_seconds']:.2f} - {reference_s:.2f}) s / "
        f"{base['wall_seconds']:.2f} s = {ratio:.2f}x; area_of_work "
        f"{'==' if matches else '!='} baseline"
    )
    return {
        "n": n,
        "police_file": police.name,
        "police_file_mb": round(police.stat().st_size / 2**20, 1),
        "reference_refresh": reference,
        "reference_refresh_seconds": reference_s,
        "refresh": run,
        "baseline": {k: v for k, v in base.items() if k != "rows"},
        "marginal_seconds": round(marginal_s, 3),
        "marginal_seconds_per_1k": round(marginal_s / n * 1000, 4),
        "ratio": round(ratio, 2) if ratio is not None else None,
        "area_of_work_matches_baseline": matches,
        "area_of_work_baseline": base["rows"],
        "area_of_work_refresh": None if matches else rows,
        "deliveries": loaded,
    }


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------


def ensure_manifest() -> None:
    if not (DBT_PROJECT_DIR / "target" / "manifest.json").exists():
        import subprocess

        subprocess.run([PYTHON, "-m", "orchestration.cli", "manifest"], cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated N (default 300000; BENCH_FULL=1 adds 1M)")
    parser.add_argument("--pairs", type=int, default=2, help="refresh / dbt build pairs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="run nothing: rewrite the tables of README.md and bench/README.md from --out",
    )
    args = parser.parse_args(argv)
    if args.readme:
        return report.rewrite_readmes(json.loads(args.out.read_text()))
    if args.sizes:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    else:
        sizes = list(FULL_SIZES if os.environ.get("BENCH_FULL") == "1" else DEFAULT_SIZES)

    ensure_manifest()
    info = machine()
    print(
        f"Machine: {info['cpu_model']}, {info['logical_cores']} logical cores, "
        f"{info['memory_gb']} GB; commit {info['git_commit']}; load average "
        f"{info['load_average_at_start']} (other work on the machine disturbs timings: read "
        "the ratios, measured side by side)"
    )
    work = Path(tempfile.mkdtemp(prefix="phc-bench-"))
    results: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "seed": args.seed,
        "work_dir": str(work),
        "sizes": [],
    }
    try:
        fixed, data, landing = fixed_cost(work / "reference", args.pairs)
        results["fixed"] = fixed
        for i, n in enumerate(sizes):
            reuse = (data, landing) if i == 0 else None
            results["sizes"].append(marginal_cost(n, args.seed, work / f"n{n}", reuse))
    finally:
        results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        if MAKE_TEST.exists():
            results["make_test"] = json.loads(MAKE_TEST.read_text())
        results["summary"] = report.summary(results)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report.print_report(results)
    print(f"\n  results: {args.out}  (README tables: phc bench --readme)")
    ok = results["fixed"]["success"] and results["fixed"]["reconciliation_ok"]
    ok = ok and all(
        s["refresh"]["success"] and s["area_of_work_matches_baseline"] for s in results["sizes"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
