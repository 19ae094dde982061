"""The whole refresh on real files: the marts reproduce the report and follow the data."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, Settings
from reference.rows import response, with_one_more, write_extract
from tests.support.pipeline import run_build, run_refresh
from tests.support.warehouse import copy_warehouse, read_alerts

pytestmark = pytest.mark.slow

PERSONAL_COLUMNS = ('"IP Address"', '"Q3. Name"', '"Q3. Phone number"', '"Q3. Email"')


def personal_values(con: duckdb.DuckDBPyConnection) -> list[str]:
    values: set[str] = set()
    for version in ("police", "national"):
        for column in PERSONAL_COLUMNS:
            rows = con.execute(
                f"select distinct trim({column}) from raw.{version}_responses "
                f"where length(trim({column})) >= 4"
            ).fetchall()
            values.update(row[0] for row in rows)
    return sorted(values)


def tables_holding(con: duckdb.DuckDBPyConnection, values: list[str], skip=("raw",)) -> list[str]:
    """Every non-raw table/view column that contains any of the values."""
    con.execute(
        "create or replace temp table _personal as select unnest($v) as value", {"v": values}
    )
    columns = con.execute(
        """select schema_name, table_name, column_name from duckdb_columns()
           where data_type = 'VARCHAR' and database_name = current_database()
             and schema_name not in (select unnest($skip))""",
        {"skip": list(skip)},
    ).fetchall()
    found = []
    for schema, table, column in columns:
        hits = con.execute(
            f'select count(*) from "{schema}"."{table}" t join _personal p '
            f'on contains(t."{column}", p.value)'
        ).fetchone()[0]
        if hits:
            found.append(f"{schema}.{table}.{column}")
    return found


@pytest.fixture
def reference_warehouse(reference_refresh: Settings) -> Settings:
    return reference_refresh


def test_reference_extracts_reproduce_every_published_figure(reference_warehouse: Settings):
    with duckdb.connect(str(reference_warehouse.warehouse_path), read_only=True) as con:
        statuses = dict(
            con.execute("select status, count(*) from marts.reconciliation group by all").fetchall()
        )
        mismatches = con.execute(
            "select figure_id, published, computed from marts.reconciliation "
            "where status = 'mismatch'"
        ).fetchall()
        figures = con.execute("select count(*) from seeds.published_figures").fetchone()[0]
    assert mismatches == []
    assert sum(statuses.values()) == figures
    assert statuses["match"] >= figures - 5


def test_no_personal_data_outside_raw(reference_warehouse: Settings):
    with duckdb.connect(str(reference_warehouse.warehouse_path), read_only=True) as con:
        values = personal_values(con)
        assert len(values) > 100  # IPs, names, phones and emails of the extracts
        assert tables_holding(con, values) == []


def _row(response_id: int, organisation: str, ticks: list[str], **answers: str) -> dict:
    cells = {f"Q4. {tick}": tick.split(": ")[1] for tick in ticks}
    return response(
        response_id,
        answers={
            "Q1. Police Force": organisation,
            "Q2. Role/rank": "Inspector",
            "Q3. Name": "Test Person",
            "Q3. Email": "t@example.org",
            **cells,
            **{key.replace("_", " "): value for key, value in answers.items()},
        },
    )


def test_marts_follow_the_data_not_the_report(warehouse_env: Settings):
    police = [
        _row(
            11,
            "Kent Police",
            ["Drugs: Active work", "Drugs: Possible future work", "Obesity: Completed work"],
            **{
                "Q5._Lead_Agency": "Kent Police",
                "Q5._Funding": "Jointly funded by CCG and OPCC",
                "Q9._Health_and_Wellbeing_Board": "Yes",
            },
        ),
        _row(
            12,
            "essex police ",
            ["Drugs: Active work"],
            **{"Q5._Lead_Agency": "NA", "Q9._Health_and_Wellbeing_Board": "No"},
        ),
        _row(13, "Sussex Police", []),  # identity only: excluded
        response(14, "Partial"),  # no data: excluded
    ]
    write_extract(warehouse_env.landing_dir / "police_20180101.csv", "police", police)
    result = run_build()
    assert result.success
    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        areas = {
            row[0]: row[1:]
            for row in con.execute(
                "select area, completed, active, future, total from marts.area_of_work"
            ).fetchall()
        }
        responses = con.execute(
            "select exported, completed, excluded_no_data, excluded_identity_only, included "
            "from marts.responses where survey = 'police'"
        ).fetchone()
        lead = dict(
            con.execute(
                "select lead_agency, projects from marts.lead_agency where projects > 0"
            ).fetchall()
        )
        hwb = con.execute("select * from marts.hwb_representation").fetchall()
        mismatches = con.execute(
            "select count(*) from marts.reconciliation where status = 'mismatch'"
        ).fetchone()[0]
    assert areas["Drugs"] == (0, 2, 1, 3)
    assert areas["Obesity"] == (1, 0, 0, 1)
    assert areas["Mental health"] == (0, 0, 0, 0)
    assert responses == (4, 3, 1, 1, 2)
    assert lead == {"Police": 1}
    assert any("Yes" in map(str, row) for row in hwb)
    assert mismatches > 100  # the report's figures are not what this data says


def refreshed_copy(reference: Settings, settings: Settings) -> None:
    """The reference refresh's data folder copied into this test's, and its landing folder."""
    copy_warehouse(reference, settings.data_dir)
    for path in REFERENCE_EXTRACTS_DIR.iterdir():
        if path.suffix in (".csv", ".xlsx"):
            shutil.copy(path, settings.landing_dir)


def test_newer_export_supersedes_the_older(reference_refresh: Settings, warehouse_env: Settings):
    """A refresh after the reference refresh (whose current national export is 20/10, over
    the 29/09 one), with a later national export holding one more respondent."""
    refreshed_copy(reference_refresh, warehouse_env)
    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        before = con.execute(
            "select exported, included from marts.responses where survey = 'national'"
        ).fetchone()
        older = con.execute("select count(*) from raw.national_responses").fetchone()[0]
    with_one_more(
        warehouse_env.landing_dir / "national_20171020.csv",
        warehouse_env.landing_dir / "national_20171101.csv",
        lambda r: r["Status"] == "Completed" and r["Q4. Mental Health: Active work"],
    )
    assert run_build().success
    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        after = con.execute(
            "select exported, included from marts.responses where survey = 'national'"
        ).fetchone()
        history = con.execute("select count(*) from raw.national_responses").fetchone()[0]
    assert before == (28, 14) and after == (29, 15)
    assert history == older + 29  # the older exports are kept beside it


def test_published_file_holds_only_the_described_marts(reference_warehouse: Settings):
    published = reference_warehouse.published_path
    assert published.exists()
    with duckdb.connect(str(reference_warehouse.warehouse_path), read_only=True) as con:
        values = personal_values(con)
    with duckdb.connect(str(published), read_only=True) as con:
        schemas = {
            row[0]
            for row in con.execute("select distinct schema_name from duckdb_tables()").fetchall()
        }
        described = con.execute(
            """select count(*) filter (where comment is not null), count(*)
               from duckdb_columns() where table_name = 'area_of_work'"""
        ).fetchone()
        table1 = con.execute(
            "select area, total from marts.area_of_work order by rank limit 1"
        ).fetchone()
        assert tables_holding(con, values, skip=()) == []
    assert schemas == {"marts"}
    assert described[0] == described[1] > 0
    assert table1 == ("Mental health", 72)


def test_a_failed_gate_keeps_the_published_file_and_alerts(
    reference_refresh: Settings, warehouse_env: Settings
):
    """Rows lost between the export and the marts (here: deleted from raw behind the ingest's
    back) fail the publish gate: nothing is published, and each failed check alerts."""
    refreshed_copy(reference_refresh, warehouse_env)
    assert not warehouse_env.alerts_log_path.exists()  # no alert so far
    before = warehouse_env.published_path.read_bytes()
    with duckdb.connect(str(warehouse_env.warehouse_path)) as con:
        con.execute("delete from raw.national_responses where _row_number > 20")
    result = run_refresh()
    assert not result.success
    assert warehouse_env.published_path.read_bytes() == before
    failed = {
        e.asset_check_evaluation_data.check_name
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.asset_check_evaluation_data.passed
    }
    # The lost rows also move reconciled figures: these are the report's final extracts.
    assert failed == {
        "marts_respondent_bounds",
        "marts_vs_previous_publish",
        "marts_reconciliation",
    }
    alerts = read_alerts(warehouse_env)
    assert sorted(a["title"] for a in alerts) == [
        "Blocking check marts_reconciliation failed on marts.reconciliation",
        "Blocking check marts_respondent_bounds failed on marts.responses",
        "Blocking check marts_vs_previous_publish failed on marts.responses",
    ]
    assert {a["kind"] for a in alerts} == {"check_failed"}
    sample = json.dumps([a["failing_values"] for a in alerts])
    assert '"delivered": 28' in sample and '"exported": 20' in sample
    assert '"previous_exported": 28' in sample
