"""The yardstick: `marts.area_of_work` computed straight from the CSV exports by plain DuckDB.

    python bench/baseline.py police_20171020.csv national_20171020.csv [--json]

No Dagster, no dbt, no archive, no validation: one DuckDB query per file that reads it once,
applies the contract's inclusion rule and counts the Q4 ticks, then one small query that adds
the versions up and ranks the areas. Same rules as the dbt project:
- of several exports of a version, only the latest (file-name stamp) counts: a full snapshot;
- a response is included when any cell from Q4 on holds anything but white space (no data and
  identity only are excluded), whatever its Status;
- a tick is a grid cell holding anything but white space;
- areas are named and ordered as in seeds/curated/areas.csv (the report's spelling); rank is
  `rank() over (order by total desc)`.
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


def _tick_counts_sql(version: str, path: Path) -> str:
    """One pass over one export: 72 filtered counts over its included responses."""
    headers = HEADERS[version]
    later = [h for h in headers[5:] if not h.startswith(("Q1.", "Q2.", "Q3."))]
    answered = ANSWERED
    counts = ", ".join(
        f"count(*) filter (where included and regexp_matches({quote_ident(h)}, {answered})) "
        f"as {quote_ident(h)}"
        for h in headers
        if h.startswith("Q4. ")
    )
    return f"""
        select {counts}
        from (
            select *, coalesce(regexp_matches(concat_ws('', {", ".join(map(quote_ident, later))}),
                                              {answered}), false) as included
            from read_csv({quote_literal(str(path))}, header = true, all_varchar = true,
                          delim = ',', quote = '"', escape = '"')
        )
    """


def area_of_work(paths: list[Path], con: duckdb.DuckDBPyConnection | None = None) -> list[tuple]:
    """Rows (area, completed, active, future, total, rank), ordered by rank then area order."""
    exports = latest_exports(paths)
    own = con is None
    con = con or duckdb.connect()
    try:
        ticks: dict[str, int] = {}
        for version, path in exports.items():
            row = con.execute(_tick_counts_sql(version, path)).fetchone()
            names = [d[0] for d in con.description]
            for name, count in zip(names, row, strict=True):
                ticks[name] = ticks.get(name, 0) + count
        values = ", ".join(
            f"({quote_literal(area)}, "
            + ", ".join(str(ticks.get(f"Q4. {area}: {option}", 0)) for option in GRID_OPTIONS)
            + ")"
            for area in AREAS
        )
        return con.execute(
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
    finally:
        if own:
            con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="CSV exports, or folders of them")
    parser.add_argument("--json", action="store_true", help="print rows and timing as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = area_of_work(args.paths)
    seconds = time.perf_counter() - started
    if args.json:
        print(
            json.dumps(
                {
                    "files": {v: str(p) for v, p in latest_exports(args.paths).items()},
                    "query_seconds": round(seconds, 3),
                    "columns": list(COLUMNS),
                    "rows": [list(row) for row in rows],
                }
            )
        )
        return 0
    print(" | ".join(COLUMNS))
    for row in rows:
        print(" | ".join(str(value) for value in row))
    print(f"({seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
