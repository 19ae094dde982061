"""A failing dbt test names itself: the merged not-null test says which columns hold NULL, and
the refresh's failure message (from run_results.json) names every failed node and where to
look."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.runtime.settings import Settings
from orchestration.transform.results import summarize_run_results
from tests.support.pipeline import invoke_dbt
from tests.support.warehouse import copy_warehouse, read_alerts

pytestmark = pytest.mark.slow


def _dbt_test(select: str, target) -> bool:
    return invoke_dbt(["test", "--select", select], target).success


def test_null_in_a_mart_fails_its_not_null_test_and_is_named(
    reference_refresh: Settings, tmp_path, monkeypatch
):
    data = copy_warehouse(reference_refresh, tmp_path / "data")
    warehouse = data / "warehouse.duckdb"
    monkeypatch.setenv("PHC_WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    target = tmp_path / "target"

    assert _dbt_test("area_of_work", target)
    passed = summarize_run_results(target / "run_results.json")
    # not_null_columns, unique, relationships (its formula is a unit test, not a data test)
    assert passed.failures == () and passed.counts["test"]["pass"] >= 3
    assert "tests (" in passed.summary() and "pass" in passed.summary()

    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.area_of_work set total = null where area = 'Drugs'")
        con.execute("update marts.area_of_work set rank = null")
        null_columns = con.execute(
            (next((target / "compiled").rglob("not_null_columns_area_of_work*.sql"))).read_text()
        ).fetchall()
    assert sorted(null_columns) == [("rank", 24), ("total", 1)]

    assert not _dbt_test("area_of_work", target)
    failed = summarize_run_results(target / "run_results.json")
    names = [f.name for f in failed.failures]
    assert any(name.startswith("not_null_columns_area_of_work") for name in names)
    message = failed.failure_message(target)
    assert "not_null_columns_area_of_work" in message and "2 failing row(s)" in message
    assert "NOT replaced" in message and str(target / "compiled") in message


def test_no_run_results_says_where_to_look(tmp_path):
    outcome = summarize_run_results(tmp_path / "run_results.json")
    assert not outcome.found
    assert "before it wrote run_results.json" in outcome.failure_message(tmp_path)


def test_failed_dbt_test_stops_the_publish_and_alerts_naming_it(
    reference_refresh: Settings, warehouse_env: Settings
):
    """Through the real refresh: a dbt test fails (here the source test that every raw row
    belongs to a delivery: the GX suites read only current deliveries), the published file is
    kept and the alert names the test."""
    from tests.support.pipeline import run_refresh

    copy_warehouse(reference_refresh, warehouse_env.data_dir)
    before = warehouse_env.published_path.read_bytes()
    with duckdb.connect(str(warehouse_env.warehouse_path)) as con:
        con.execute("""insert into raw.police_responses select * replace ('no-such-delivery'
                       as _delivery_sha256) from raw.police_responses limit 1""")

    result = run_refresh()

    assert not result.success
    assert warehouse_env.published_path.read_bytes() == before
    alerts = read_alerts(warehouse_env)
    assert [a["kind"] for a in alerts] == ["check_failed"]  # and no second, vaguer run alert
    (alert,) = alerts
    assert alert["title"].startswith("dbt build failed: 1 node(s)")
    (failed,) = alert["failing_values"]
    assert failed["node"].startswith("source_relationships_raw_police_responses__delivery")
    assert failed["kind"] == "test" and failed["failing_rows"] == 1
    assert "NOT replaced" in alert["what_to_do"] and "run_results.json" in alert["where"]
