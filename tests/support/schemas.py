"""Schemas taken from the project, never re-typed: the ingest's DDL for the raw layer and a
warehouse dbt builds with `--empty` (every model's relation, no rows) for the rest.

`empty_warehouse` is built once per test session (conftest's `warehouse_template`); a test
copies it and inserts the few rows it needs by column name, so a column dbt adds or renames
reaches the tests without anyone editing them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb

from orchestration.ingest.raw_tables import ensure_raw_tables
from orchestration.publish.warehouse_copy import publish
from orchestration.runtime.settings import REPO_ROOT
from orchestration.runtime.sql_text import quote_ident

WAREHOUSE = "warehouse.duckdb"
PUBLISHED = "published.duckdb"


def build_empty_warehouse(folder: Path) -> None:
    """folder/warehouse.duckdb: the raw tables as the ingest creates them, the seeds, and every
    dbt model with `dbt build --empty` (schema only; no data test: on empty tables they prove
    nothing a refresh does not; the unit tests run in test_dbt_unit on a copy);
    folder/published.duckdb: its marts as `publish()` copies them.

    dbt runs in a child process, which closes the file when it ends: dbt-duckdb keeps its
    connection open for the life of the process that ran it."""
    from tests.support.pipeline import ensure_manifest

    ensure_manifest()
    warehouse = folder / WAREHOUSE
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_tables(con)
    child = (
        "import sys; from pathlib import Path; from tests.support.pipeline import invoke_dbt; "
        "args = ['build', '--empty', '--exclude-resource-type', 'test', "
        "'--exclude-resource-type', 'unit_test']; "
        "sys.exit(0 if invoke_dbt(args, Path(sys.argv[1])).success else 1)"
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(folder / "target")],
        cwd=REPO_ROOT,
        env={**os.environ, "PHC_WAREHOUSE_PATH": str(warehouse), "DO_NOT_TRACK": "1"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"dbt build --empty failed:\n{done.stdout[-4000:]}{done.stderr}"
    publish(warehouse, folder / PUBLISHED)


def copy_file(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return target


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, object]]
) -> None:
    """Insert rows given by column name into the project's table; other columns stay NULL."""
    for row in rows:
        columns = ", ".join(quote_ident(column) for column in row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into {table} ({columns}) values ({marks})", list(row.values()))


def insert_tuples(
    con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: Iterable[tuple]
) -> None:
    """Insert rows of values for `columns` (comma-separated names) into the project's table."""
    names = [name.strip() for name in columns.split(",")]
    insert_rows(con, table, (dict(zip(names, row, strict=True)) for row in rows))
