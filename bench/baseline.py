"""The yardstick: `marts.area_of_work` computed from the CSV exports by a plain DuckDB script.

    python bench/baseline.py police_20171031.csv national_20171020.csv [--json]

What a team without this project would write to get Table 1 from the exports: load each CSV
into an in-memory DuckDB table, unpivot its question columns into long form, and aggregate. No
Dagster, no dbt, no archive, no validation, nothing persisted. Same rules as the dbt project:
- of several exports of a version, only the latest (file-name stamp) counts: a full snapshot;
- a response is included when any cell from Q4 on holds anything but white space (no data and
  identity only are excluded), whatever its Status;
- a tick is a grid cell holding anything but white space;
- areas are named and ordered as in seeds/curated/areas.csv (the report's spelling); rank is
  `rank() over (order by total desc)`.
`make bench` divides the refresh's marginal cost by this script's wall time (its `load_seconds`
and `aggregate_seconds` split it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from orchestration.domain.contract import (  # noqa: E402
    AREAS,
    FILE_NAME_PATTERN,
    GRID_OPTIONS,
    HEADERS,
    VERSIONS,
)
from orchestration.runtime.sql_text import quote_ident, quote_literal  # noqa: E402

AREAS_SEED = ROOT / "seeds" / "curated" / "areas.csv"
COLUMNS = ("area", "completed", "active", "future", "total", "rank")
# The dbt project's "answered": anything but white space (RE2 \s, no-break space, BOM).
ANSWERED = r"'[^\s\x{00A0}\x{FEFF}]'"


def latest_exports(paths: list[Path]) -> dict[str, Path]:
    """The latest CSV export of each version among paths (files or folders)."""
    files = [f for p in paths for f in (sorted(p.glob("*.csv")) if p.is_dir() else [p])]
    latest: dict[str, tuple[str, Path]] = {}
    for path in files:
        match = FILE_NAME_PATTERN.match(path.name)
        if not match or match["version"] not in VERSIONS or match["ext"] != "csv":
            continue
        stamp = match["date"] + (match["time"] or "000000")
        if match["version"] not in latest or stamp > latest[match["version"]][0]:
            latest[match["version"]] = (stamp, path)
    return {version: path for version, (_, path) in sorted(latest.items())}


def _load_sql(version: str, path: Path) -> str:
    return f"""
        create table {version}_export as
        select row_number() over () as row_id, *
        from read_csv({quote_literal(str(path))}, header = true, all_varchar = true,
                      delim = ',', quote = '"', escape = '"')
    """


def _tick_counts_sql(version: str) -> str:
    """Unpivot the answers from Q4 on, keep included responses' grid ticks, count per column."""
    later = [h for h in HEADERS[version][5:] if not h.startswith(("Q1.", "Q2.", "Q3."))]
    return f"""
        with answers as (
            unpivot (select row_id, {", ".join(map(quote_ident, later))} from {version}_export)
            on columns(* exclude (row_id)) into name column_name value answer
        ),
        answered as (
            select row_id, column_name from answers where regexp_matches(answer, {ANSWERED})
        ),
        included as (select distinct row_id from answered)
        select column_name, count(*) as ticks
        from answered semi join included using (row_id)
        where column_name like 'Q4. %'
        group by column_name
    """


def area_of_work(
    paths: list[Path], con: duckdb.DuckDBPyConnection | None = None, timings: dict | None = None
) -> list[tuple]:
    """Rows (area, completed, active, future, total, rank), ordered by rank then area order.

    timings, when given, receives load_seconds and aggregate_seconds.
    """
    exports = latest_exports(paths)
    own = con is None
    con = con or duckdb.connect()
    try:
        started = time.perf_counter()
        for version, path in exports.items():
            con.execute(_load_sql(version, path))
        loaded = time.perf_counter()
        ticks: dict[str, int] = {}
        for version in exports:
            for column, count in con.execute(_tick_counts_sql(version)).fetchall():
                ticks[column] = ticks.get(column, 0) + count
        values = ", ".join(
            f"({quote_literal(area)}, "
            + ", ".join(str(ticks.get(f"Q4. {area}: {option}", 0)) for option in GRID_OPTIONS)
            + ")"
            for area in AREAS
        )
        rows = con.execute(
            f"""
            with ticks (questionnaire_area, completed, active, future) as (values {values}),
            areas as (select * from read_csv({quote_literal(str(AREAS_SEED))}, header = true))
            select areas.report_area as area, completed, active, future,
                   completed + active + future as total,
                   rank() over (order by completed + active + future desc) as rank
            from ticks join areas using (questionnaire_area)
            order by rank, areas.area_order
            """
        ).fetchall()
        if timings is not None:
            timings["load_seconds"] = round(loaded - started, 3)
            timings["aggregate_seconds"] = round(time.perf_counter() - loaded, 3)
        return rows
    finally:
        if own:
            con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="CSV exports, or folders of them")
    parser.add_argument("--json", action="store_true", help="print rows and timing as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    timings: dict = {}
    rows = area_of_work(args.paths, timings=timings)
    seconds = time.perf_counter() - started
    if args.json:
        print(
            json.dumps(
                {
                    "files": {v: str(p) for v, p in latest_exports(args.paths).items()},
                    "query_seconds": round(seconds, 3),
                    **timings,
                    "columns": list(COLUMNS),
                    "rows": [list(row) for row in rows],
                }
            )
        )
        return 0
    print(" | ".join(COLUMNS))
    for row in rows:
        print(" | ".join(str(value) for value in row))
    print(f"({seconds:.2f} s: load {timings['load_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
