"""Each mart as CSV and Parquet, written by DuckDB's own COPY (no pandas round trip)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.runtime.sql_text import quote_ident, quote_literal

MARTS_SCHEMA = "marts"


def list_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by table_name",
            [MARTS_SCHEMA],
        ).fetchall()
    ]


def has_mart(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return name in list_marts(con)


def copy_table(con: duckdb.DuckDBPyConnection, table: str, out_dir: Path) -> None:
    """Both files of one mart. Rows are sorted on every column, so a run's files are stable."""
    parquet = out_dir / f"{table}.parquet"
    con.execute(
        f"copy (select * from {MARTS_SCHEMA}.{quote_ident(table)} order by all) "
        f"to {quote_literal(str(parquet))} (format parquet, compression zstd)"
    )
    # The CSV from the sorted Parquet file, whose order DuckDB keeps: one sort, not two (at 1M
    # respondents the sort of coded_answers' 1.3M rows is ~0.9 s of the CSV's 1.7 s).
    con.execute(
        f"copy (from read_parquet({quote_literal(str(parquet))})) "
        f"to {quote_literal(str(out_dir / f'{table}.csv'))} (header)"
    )


def export_marts(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write `<mart>.csv` and `<mart>.parquet` for every mart; returns mart -> row count."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in list_marts(con):
        copy_table(con, table, out_dir)
        counts[table] = con.execute(
            f"select count(*) from {MARTS_SCHEMA}.{quote_ident(table)}"
        ).fetchone()[0]
    return counts
