"""dbt unit tests (the inclusion rule, the coding rules) run from pytest.

dbt unit tests need the relations upstream of the tested models to exist, so the test builds
a throwaway DuckDB file: empty raw tables with the contract's headers, the seeds, and every
model with `--empty` (schema only), then runs `dbt test --select test_type:unit`.
"""

from __future__ import annotations

import duckdb
import pytest

from orchestration.domain.contract import HEADERS
from tests.support.pipeline import invoke_dbt

pytest.importorskip("dbt.cli.main")

RAW_METADATA_COLUMNS = (
    '"_delivery_sha256" varchar, "_file_name" varchar, "_survey_version" varchar, '
    '"_exported_at" timestamp, "_loaded_at" timestamptz, "_row_number" bigint'
)


def _create_empty_raw_layer(path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema raw")
        con.execute(
            "create table raw.deliveries (sha256 varchar, file_name varchar, "
            "survey_version varchar, exported_at timestamp, file_format varchar, "
            "size_bytes bigint, row_count bigint, archive_path varchar, loaded_at timestamptz, "
            "wave varchar, first_started_at timestamp, last_started_at timestamp)"
        )
        for version, headers in HEADERS.items():
            columns = ", ".join('"' + header.replace('"', '""') + '" varchar' for header in headers)
            con.execute(f"create table raw.{version}_responses ({RAW_METADATA_COLUMNS}, {columns})")
    finally:
        con.close()


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
