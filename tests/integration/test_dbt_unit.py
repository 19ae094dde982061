"""dbt unit tests (the inclusion rule, the coding rules) run from pytest.

dbt unit tests need the relations upstream of the tested models to exist: they run on a copy
of the session's `warehouse_template` (the ingest's raw tables, the seeds and every model
built with `dbt build --empty`).
"""

from __future__ import annotations

import pytest

from tests.support.pipeline import invoke_dbt
from tests.support.schemas import WAREHOUSE, copy_file

pytest.importorskip("dbt.cli.main")


def test_dbt_unit_tests_pass(warehouse_template, tmp_path, monkeypatch):
    warehouse = copy_file(warehouse_template / WAREHOUSE, tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PHC_WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    result = invoke_dbt(["test", "--select", "test_type:unit"], tmp_path / "target")
    assert result.success, f"dbt unit tests failed: {result.exception or result.result}"
    assert len(result.result) >= 10  # every unit test beside the models ran
