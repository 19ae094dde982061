"""dbt unit tests (the inclusion rule, the coding rules) run from pytest.

dbt unit tests need the relations upstream of the tested models to exist, so the test builds
a throwaway DuckDB file: the empty raw tables the ingest creates, the seeds, and every
model with `--empty` (schema only), then runs `dbt test --select test_type:unit`.
"""

from __future__ import annotations

import duckdb
import pytest

from orchestration.ingest.raw_tables import ensure_raw_tables
from tests.pipeline import invoke_dbt

pytest.importorskip("dbt.cli.main")


def _create_empty_raw_layer(path) -> None:
    """The raw tables exactly as the ingest creates them (no DDL re-typed here)."""
    with duckdb.connect(str(path)) as con:
        ensure_raw_tables(con)


def _dbt(args: list[str], tmp_path) -> None:
    result = invoke_dbt(args, tmp_path / "target")
    assert result.success, f"dbt {' '.join(args)} failed: {result.exception or result.result}"


def test_dbt_unit_tests_pass(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    _create_empty_raw_layer(warehouse)
    monkeypatch.setenv("PHC_WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    _dbt(["seed"], tmp_path)
    _dbt(["run", "--empty"], tmp_path)
    _dbt(["test", "--select", "test_type:unit"], tmp_path)
