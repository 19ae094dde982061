"""What `make bench` prints, the summary it stores, and the README tables it writes.

The README tables are generated from bench/results/latest.json (`phc bench --readme`) between
marker comments, `<!-- bench:NAME:start -->` ... `<!-- bench:NAME:end -->`: no measured number
is typed by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BENCH_README = ROOT / "bench" / "README.md"
RESULTS = ROOT / "bench" / "results" / "latest.json"
MAKE_TEST = ROOT / "bench" / "results" / "make_test.json"  # bench/time_tests.py writes it

GOAL_FIXED = 1.3
GOAL_MARGINAL = 2.0
GOAL_RSS_MB = 2048
GOAL_RSS_N = 1_000_000
GOAL_MAKE_TEST_SECONDS = 300
LINEAR_WITHIN = 1.5  # per-respondent marginal cost of the largest N within 1.5x the smallest's


# ------------------------------------------------------------------------------------------
# The summary: the ratios and the goals
# ------------------------------------------------------------------------------------------


def _median_run(runs: list[dict]) -> dict | None:
    ok = sorted((r for r in runs if r.get("success")), key=lambda r: r["wall_seconds"])
    return ok[(len(ok) - 1) // 2] if ok else None


def make_test_seconds(results: dict) -> float | None:
    info = results.get("make_test") or {}
    for key in ("wall_seconds", "seconds", "elapsed_seconds"):
        if isinstance(info.get(key), int | float):
            return float(info[key])
    return None


def _cpu(run: dict | None) -> float | None:
    return run.get("cpu_seconds") if run and run.get("success", True) else None


def _cpu_ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def summary(results: dict) -> dict:
    """The goals, judged on wall time; the same ratios in CPU seconds of the process trees
    beside them (other work on a shared machine stretches wall time, much less CPU time)."""
    fixed = results.get("fixed") or {}
    sizes = results.get("sizes", [])
    pairs = list(zip(fixed.get("refreshes", []), fixed.get("bare_dbt_builds", []), strict=False))
    cpu_pairs = [_cpu_ratio(_cpu(r), _cpu(b)) for r, b in pairs]
    cpu_pairs = sorted(x for x in cpu_pairs if x is not None)
    out: dict = {
        "fixed": {
            "refresh_seconds": fixed.get("refresh_seconds"),
            "dbt_build_seconds": fixed.get("dbt_build_seconds"),
            "ratio": fixed.get("ratio"),
            "cpu_ratio": cpu_pairs[(len(cpu_pairs) - 1) // 2] if cpu_pairs else None,
            "goal": GOAL_FIXED,
            "met": fixed.get("ratio") is not None and fixed["ratio"] <= GOAL_FIXED,
        },
        "marginal": [
            {
                "n": s["n"],
                "refresh_seconds": s["refresh"]["wall_seconds"],
                "reference_refresh_seconds": s["reference_refresh_seconds"],
                "marginal_seconds": s["marginal_seconds"],
                "baseline_seconds": s["baseline"]["wall_seconds"],
                "ratio": s["ratio"],
                "cpu_ratio": _marginal_cpu_ratio(s),
                "goal": GOAL_MARGINAL,
                "met": s["ratio"] is not None and s["ratio"] <= GOAL_MARGINAL,
            }
            for s in sizes
        ],
        "marts_equal_baseline": all(s["area_of_work_matches_baseline"] for s in sizes),
        "reconciliation": fixed.get("reconciliation"),
    }
    if sizes:
        largest = max(sizes, key=lambda s: s["n"])
        peak = largest["refresh"]["peak_rss_mb"]
        out["peak_rss"] = {
            "n": largest["n"],
            "mb": peak,
            "goal_mb": GOAL_RSS_MB,
            "goal_n": GOAL_RSS_N,
            "met": peak <= GOAL_RSS_MB,
        }
        ordered = sorted(sizes, key=lambda s: s["n"])
        per_1k = {s["n"]: s["marginal_seconds_per_1k"] for s in ordered}
        growth = {"marginal_seconds_per_1k": per_1k}
        cpu_per_1k = {s["n"]: _marginal_cpu_per_1k(s) for s in ordered}
        if all(v is not None for v in cpu_per_1k.values()):
            growth["marginal_cpu_seconds_per_1k"] = cpu_per_1k
        if len(per_1k) >= 2:
            # Judged on CPU seconds when they were measured: the sizes run minutes apart, and
            # the wall time of a shared VM drifts more between them than the data changes it.
            judged = growth.get("marginal_cpu_seconds_per_1k") or per_1k
            growth["judged_on"] = "cpu" if judged is not per_1k else "wall"
            first, last = list(judged.values())[0], list(judged.values())[-1]
            growth["last_over_first"] = round(last / first, 2) if first > 0 else None
            growth["linear"] = first > 0 and last / first <= LINEAR_WITHIN
        out["growth"] = growth
    reference = _median_run(fixed.get("refreshes", []))
    if reference:
        out["gx_seconds_reference"] = reference.get("gx_seconds")
    seconds = make_test_seconds(results)
    out["make_test"] = {
        "seconds": seconds,
        "goal_seconds": GOAL_MAKE_TEST_SECONDS,
        "met": seconds is not None and seconds <= GOAL_MAKE_TEST_SECONDS,
    }
    return out


def _marginal_cpu_seconds(size: dict) -> float | None:
    refresh, reference = _cpu(size["refresh"]), _cpu(size.get("reference_refresh"))
    return None if refresh is None or reference is None else refresh - reference


def _marginal_cpu_ratio(size: dict) -> float | None:
    return _cpu_ratio(_marginal_cpu_seconds(size), _cpu(size["baseline"]))


def _marginal_cpu_per_1k(size: dict) -> float | None:
    seconds = _marginal_cpu_seconds(size)
    return None if seconds is None else round(seconds / size["n"] * 1000, 4)


# ------------------------------------------------------------------------------------------
# Stages, side by side
# ------------------------------------------------------------------------------------------


def _dbt_rows(dbt: dict, indent: str = "  dbt ") -> list[tuple[str, float | None]]:
    counts = dbt.get("node_counts", {})
    rows = [(f"{indent}start-up (process, imports, parse, connection)", dbt["start_up_seconds"])]
    for name, seconds in dbt["nodes_seconds"].items():
        rows.append((f"{indent}{name} ({counts.get(name, '?')})", seconds))
    rows.append((f"{indent}after the last node (exit, events)", dbt["after_last_node_seconds"]))
    return rows


def stage_rows(run: dict) -> list[tuple[str, float | None]]:
    """A refresh (or a bare dbt build) as (stage, seconds) rows, the dbt step split."""
    if "stages" not in run:  # the bare dbt build: only dbt's own split
        return _dbt_rows(run["dbt"]) if run.get("dbt") else []
    rows: list[tuple[str, float | None]] = []
    for stage in run["stages"]:
        rows.append((stage["stage"], stage["seconds"]))
        if stage.get("dbt"):
            rows += _dbt_rows(stage["dbt"])
        for name, seconds in (stage.get("parts") or {}).items():
            rows.append(("  " + name, seconds))
    return rows


def stage_columns(results: dict) -> list[tuple[str, dict]]:
    fixed = results.get("fixed") or {}
    columns = []
    reference = _median_run(fixed.get("refreshes", []))
    if reference:
        columns.append(("reference refresh (FORCE=1)", reference))
    build = _median_run(fixed.get("bare_dbt_builds", []))
    if build:
        columns.append(("bare dbt build", build))
    for size in results.get("sizes", []):
        columns.append((f"+ {size['n']:,} police", size["refresh"]))
    return columns


def stage_table(results: dict) -> list[list[str]]:
    columns = stage_columns(results)
    order: list[str] = []
    indented: set[str] = set()
    values: dict[str, dict[int, float | None]] = {}
    for i, (_, run) in enumerate(columns):
        for name, seconds in stage_rows(run):
            key = name.strip()
            if name.startswith("  "):
                indented.add(key)
            if key not in values:
                order.append(key)
                values[key] = {}
            values[key][i] = seconds
    table = [["stage", *(title for title, _ in columns)]]
    for key in order:
        shown = f"&nbsp;&nbsp;{key}" if key in indented else key
        table.append([shown, *(_seconds(values[key].get(i)) for i in range(len(columns)))])
    table.append(["**wall**", *(_seconds(run["wall_seconds"]) for _, run in columns)])
    table.append(
        ["peak RSS (process tree)", *(f"{run['peak_rss_mb']:,.0f} MB" for _, run in columns)]
    )
    return table


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


# ------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------


def _verdict(met: bool | None) -> str:
    return "met" if met else "**not met**"


def goals_table(results: dict) -> list[list[str]]:
    s = results["summary"]
    rows = [["measure", "this run", "goal", ""]]
    fixed = s["fixed"]
    if fixed["ratio"] is not None:
        rows.append(
            [
                "fixed cost: reference refresh (`make run FORCE=1`) / bare `dbt build`, same "
                "warehouse, parse cached",
                f"**{fixed['ratio']:.2f}x** ({fixed['refresh_seconds']:.1f} s / "
                f"{fixed['dbt_build_seconds']:.1f} s)" + _cpu_note(fixed.get("cpu_ratio")),
                f"<= {fixed['goal']}x",
                _verdict(fixed["met"]),
            ]
        )
    for m in s["marginal"]:
        if m["ratio"] is None:
            continue
        rows.append(
            [
                f"marginal cost, + {m['n']:,} police respondents: (refresh - reference refresh) "
                "/ DuckDB load + unpivot + aggregate",
                f"**{m['ratio']:.2f}x** (({m['refresh_seconds']:.1f} - "
                f"{m['reference_refresh_seconds']:.1f}) s / {m['baseline_seconds']:.1f} s)"
                + _cpu_note(m.get("cpu_ratio")),
                f"<= {m['goal']}x",
                _verdict(m["met"]),
            ]
        )
    if "peak_rss" in s:
        p = s["peak_rss"]
        rows.append(
            [
                f"peak RSS of the process tree at {p['n']:,}",
                f"{p['mb'] / 1024:.2f} GB",
                f"<= {p['goal_mb'] / 1024:.0f} GB at {p['goal_n']:,}",
                _verdict(p["met"])
                + ("" if p["n"] >= p["goal_n"] else f" (at {p['n']:,}; 1M: `BENCH_FULL=1`)"),
            ]
        )
    t = s["make_test"]
    rows.append(
        [
            "`make test`, whole suite, 2 cores",
            f"{t['seconds'] / 60:.1f} min" if t["seconds"] is not None else "not recorded",
            f"<= {t['goal_seconds'] // 60} min",
            _verdict(t["met"]) if t["seconds"] is not None else "",
        ]
    )
    growth = s.get("growth", {})
    per_1k = growth.get("marginal_seconds_per_1k", {})
    if per_1k:
        text = ", ".join(f"{float(v):.3f} s at {int(n):,}" for n, v in per_1k.items())
        cpu = growth.get("marginal_cpu_seconds_per_1k")
        if cpu:
            text += " (CPU: " + ", ".join(f"{float(v):.3f} s" for v in cpu.values()) + ")"
        rows.append(
            [
                "growth: marginal seconds per 1,000 respondents",
                text,
                f"linear (largest within {LINEAR_WITHIN}x of smallest"
                + (", CPU)" if growth.get("judged_on") == "cpu" else ")"),
                _verdict(growth["linear"]) if "linear" in growth else "one size only",
            ]
        )
    return rows


def _cpu_note(ratio: float | None) -> str:
    return "" if ratio is None else f"; CPU {ratio:.2f}x"


def markdown(table: list[list[str]], right_from: int = 1) -> str:
    head, *body = table
    align = ["---" if i < right_from else "---:" for i in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def run_line(results: dict) -> str:
    m = results["machine"]
    sizes = ", ".join(f"{s['n']:,}" for s in results.get("sizes", []))
    return (
        f"`make bench` at commit `{m['git_commit']}`, "
        f"{results['started_at'][:16].replace('T', ' ')} UTC (sizes: {sizes or 'none'}): "
        f"{m['logical_cores']} cores, {m['memory_gb']} GB, "
        f"load average {m['load_average_at_start'][0]} at the start and "
        f"{results.get('load_average_at_end', ['?'])[0]} at the end; Python {m['python']}, "
        f"DuckDB {m['duckdb']}, Dagster {m['dagster']}, dbt-core {m['dbt_core']}."
    )


def readme_summary(results: dict) -> str:
    s = results["summary"]
    recon = s.get("reconciliation") or {}
    lines = [
        run_line(results),
        "",
        markdown(goals_table(results)),
        "",
        "Marts equal the baseline at every size: "
        + ("yes" if s["marts_equal_baseline"] else "**no**")
        + "; reconciliation on the reference extracts: "
        + ", ".join(f"{count} {status}" for status, count in sorted(recon.items()))
        + (
            f"; Great Expectations takes {s['gx_seconds_reference']:.1f} s of the "
            "reference refresh."
            if s.get("gx_seconds_reference") is not None
            else "."
        ),
    ]
    return "\n".join(lines)


def bench_stages(results: dict) -> str:
    lines = [
        "Seconds per stage in that run (the median run of the reference refreshes and of the bare "
        "dbt builds, the faster of two; dbt's rows from its run_results.json, node counts in "
        "brackets):",
        "",
        markdown(stage_table(results)),
    ]
    sizes = results.get("sizes", [])
    if sizes:
        lines += [
            "",
            "The baseline script (`bench/baseline.py`, one process, in memory):",
            "",
            markdown(
                [
                    ["N police", "file", "load s", "unpivot + aggregate s", "wall s", "peak RSS"],
                    *(
                        [
                            f"{s['n']:,}",
                            f"{s['police_file_mb']:.0f} MB",
                            _seconds(s["baseline"]["load_seconds"]),
                            _seconds(s["baseline"]["aggregate_seconds"]),
                            _seconds(s["baseline"]["wall_seconds"]),
                            f"{s['baseline']['peak_rss_mb']:,.0f} MB",
                        ]
                        for s in sizes
                    ),
                ]
            ),
        ]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# Printing and rewriting the READMEs
# ------------------------------------------------------------------------------------------


def print_report(results: dict) -> None:
    print("\n=== stages (seconds) ===")
    table = stage_table(results)
    plain = [[c.replace("&nbsp;", " ").replace("**", "") for c in row] for row in table]
    widths = [max(len(row[i]) for row in plain) for i in range(len(plain[0]))]
    for cells in plain:
        print(
            "  "
            + cells[0].ljust(widths[0])
            + "".join(c.rjust(w + 2) for c, w in zip(cells[1:], widths[1:], strict=True))
        )
    print("\n=== ratios ===")
    for row in goals_table(results)[1:]:
        measured, verdict = row[1].replace("**", ""), row[3].replace("**", "")
        print(f"  {row[0]}\n      {measured}  (goal {row[2]}: {verdict})")
    s = results["summary"]
    print(f"  marts equal the baseline at every size: {s['marts_equal_baseline']}")
    print(f"  reconciliation: {s.get('reconciliation')}")
    if s.get("gx_seconds_reference") is not None:
        print(f"  Great Expectations in the reference refresh: {s['gx_seconds_reference']:.2f} s")


def replace_between(text: str, name: str, body: str) -> str:
    pattern = re.compile(
        rf"(<!-- bench:{name}:start -->\n).*?(<!-- bench:{name}:end -->)", re.DOTALL
    )
    if not pattern.search(text):
        raise SystemExit(f"marker <!-- bench:{name}:start --> ... end --> not found")
    return pattern.sub(lambda m: m[1] + body.rstrip() + "\n" + m[2], text)


def with_make_test(results: dict) -> dict:
    """The results with the last `make test` timing (bench/results/make_test.json), if any."""
    if MAKE_TEST.exists():
        results = {**results, "make_test": json.loads(MAKE_TEST.read_text())}
    return results


def rewrite_readmes(results: dict) -> int:
    results = with_make_test(results)
    results["summary"] = summary(results)  # from the measurements, by this code
    readme = README.read_text()
    README.write_text(replace_between(readme, "summary", readme_summary(results)))
    bench = BENCH_README.read_text()
    bench = replace_between(bench, "summary", readme_summary(results))
    bench = replace_between(bench, "stages", bench_stages(results))
    BENCH_README.write_text(bench)
    print(f"rewrote the bench tables of {README} and {BENCH_README}")
    return 0
