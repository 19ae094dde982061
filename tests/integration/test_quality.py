"""The publish gate's Great Expectations suites on a real warehouse: a copy of the reference
refresh's DuckDB file (built by `phc run`), its marts broken on purpose with SQL, validated by
the real GX worker. Each suite passes on the real marts and fails, naming the offending
values, on each fault it guards against."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.privacy import PERSONAL_HEADERS
from orchestration.quality.defs import GATE_SUITES
from orchestration.quality.suites import (
    SAMPLE_LIMIT,
    SuiteOutcome,
    build_data_docs,
    load_suite,
    run_suite,
)
from orchestration.runtime.settings import EXPECTATIONS_DIR, Settings
from tests.support.warehouse import copy_warehouse, phc_env

pytestmark = pytest.mark.slow


@pytest.fixture
def gate(reference_refresh: Settings, tmp_path: Path) -> Settings:
    """A private copy of the reference refresh's data folder (working and published files)."""
    data = copy_warehouse(reference_refresh, tmp_path / "data")
    return Settings.from_env(phc_env(data, reference_refresh.landing_dir))


def check(settings: Settings, suite: str, *faults: str, **options) -> SuiteOutcome:
    """Run `suite` on the working file after the fault SQL, as the refresh's gate does (on a
    read-only connection, comparing with the published file)."""
    with duckdb.connect(str(settings.warehouse_path)) as con:
        for fault in faults:
            con.execute(fault)
    options.setdefault("published_path", settings.published_path)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return run_suite(con, suite, **options)


def personal_values(settings: Settings) -> list[str]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return [
            value
            for (value,) in con.execute(
                """select distinct trim("Q3. Email") from raw.police_responses
                   where "Q3. Email" like '%@%'
                   union select distinct trim("IP Address") from raw.police_responses
                   where "IP Address" is not null"""
            ).fetchall()
        ]


def assert_fails_with(outcome: SuiteOutcome, expectation: str, **values: object) -> None:
    """The suite failed, blocking, on `expectation`; its sample holds a row with these values."""
    assert not outcome.success and outcome.blocking
    assert any(e.startswith(expectation) for e in outcome.failed_expectations), outcome.results
    rows = [r for r in outcome.failing_values if r["expectation"].startswith(expectation)]
    assert any(values.items() <= row.items() for row in rows), outcome.failing_values
    json.dumps(outcome.metadata())  # Dagster-ready: plain JSON


# --- the suite files ---------------------------------------------------------------------------


def test_every_suite_file_is_in_the_gate_loads_and_says_what_it_protects() -> None:
    files = {p.stem for p in EXPECTATIONS_DIR.glob("*.json")}
    assert files == set(GATE_SUITES)
    queries = {p.name for p in (EXPECTATIONS_DIR / "queries").glob("*.sql")}
    used = set()
    for name in files:
        suite = load_suite(name)
        assert suite["meta"]["protects"] and suite["expectations"] and suite["meta"]["blocking"]
        if "query" in suite["meta"]["batch"]:
            used.add(Path(suite["meta"]["batch"]["query"]).name)
    assert used == queries  # no query left behind by a removed suite


# --- the real marts pass -----------------------------------------------------------------------


def test_every_gate_suite_passes_on_the_reference_warehouse(gate: Settings) -> None:
    for name in GATE_SUITES:
        outcome = check(gate, name)
        assert outcome.success, (name, outcome.failed_expectations, outcome.failing_values)
        assert outcome.failing_values == () and outcome.blocking
        assert outcome.results and outcome.error is None


# --- marts_respondent_bounds -------------------------------------------------------------------

BOUNDS = [
    (
        "update marts.responses set exported = exported - 1 where survey = 'national'",
        "expect_column_pair_values_to_be_equal(exported, delivered)",
        {"wave": "2017", "survey": "national", "delivered": 28, "exported": 27},
    ),
    (
        "update marts.responses set included = exported + 1 where survey = 'police'",
        "expect_column_pair_values_a_to_be_greater_than_b(exported, included)",
        {"wave": "2017", "survey": "police", "exported": 131, "included": 132},
    ),
    (
        "update marts.question_responses set answered = answered + 500"
        " where survey = 'police' and question = 7",
        "expect_column_pair_values_a_to_be_greater_than_b(included, max_answered)",
        {"wave": "2017", "survey": "police"},
    ),
    (
        "update marts.question_responses set response_total = answered + 1"
        " where survey = 'national' and question = 7",
        "expect_column_values_to_be_in_set(items_above_answered)",
        {"wave": "2017", "survey": "national"},
    ),
    (
        "update marts.area_of_work_by_survey set active = 500"
        " where survey = 'police' and area = 'Obesity'",
        "expect_column_pair_values_a_to_be_greater_than_b(q4_answered, max_area_count)",
        {"wave": "2017", "survey": "police"},
    ),
    (
        "update marts.area_of_work set future = 500 where area = 'Neglect'",
        "expect_column_pair_values_a_to_be_greater_than_b(wave_q4_answered, "
        "table_1_max_area_count)",
        {"wave": "2017"},
    ),
]


@pytest.mark.parametrize(("fault", "expectation", "values"), BOUNDS)
def test_respondent_bounds_name_the_wave_and_survey_that_breaks_them(
    gate: Settings, fault: str, expectation: str, values: dict
) -> None:
    assert_fails_with(check(gate, "marts_respondent_bounds", fault), expectation, **values)


# --- marts_vs_previous_publish -----------------------------------------------------------------

POLICE_2017 = "survey = 'police' and wave = '2017'"
LOWER = "expect_column_pair_values_a_to_be_greater_than_b(exported, lowest_allowed)"
MOVED = "expect_column_values_to_be_in_set(moved_without_new_export)"


def test_fewer_responses_than_published_from_the_same_export_fail(gate: Settings) -> None:
    outcome = check(
        gate,
        "marts_vs_previous_publish",
        f"update marts.responses set exported = exported - 2, completed = completed - 2"
        f" where {POLICE_2017}",
    )
    assert_fails_with(
        outcome,
        LOWER,
        wave="2017",
        survey="police",
        previous_file="police_20171020.csv",
        current_file="police_20171020.csv",
        previous_exported=131,
        exported=129,
    )
    assert_fails_with(outcome, MOVED, wave="2017", survey="police")


def test_counts_of_an_export_nothing_re_delivered_do_not_move(gate: Settings) -> None:
    outcome = check(
        gate,
        "marts_vs_previous_publish",
        f"update marts.responses set completed = completed - 1, partial = partial + 1"
        f" where {POLICE_2017}",
    )
    assert_fails_with(outcome, MOVED, wave="2017", survey="police", exported=131)
    assert LOWER not in {e.split(")")[0] + ")" for e in outcome.failed_expectations}


@pytest.mark.parametrize("change", [3, -2], ids=["more responses", "fewer, as delivered"])
def test_a_new_export_may_move_its_counts_as_it_says(gate: Settings, change: int) -> None:
    outcome = check(
        gate,
        "marts_vs_previous_publish",
        f"update marts.source_exports set sha256 = 'a new export', row_count = row_count"
        f" + {change} where is_current and {POLICE_2017}",
        f"update marts.responses set exported = exported + {change},"
        f" completed = completed + {change} where {POLICE_2017}",
    )
    assert outcome.success, outcome.failing_values


def test_the_first_publish_or_an_older_published_layout_compares_with_itself(
    gate: Settings, tmp_path: Path
) -> None:
    fault = f"update marts.responses set exported = 1 where {POLICE_2017}"
    nothing = tmp_path / "never-published.duckdb"
    assert check(gate, "marts_vs_previous_publish", fault, published_path=nothing).success
    with duckdb.connect(str(gate.published_path)) as con:  # as published before waves
        con.execute("alter table marts.responses drop column wave")
    assert check(gate, "marts_vs_previous_publish").success


# --- marts_coding_totals and marts_reconciliation ----------------------------------------------


def test_a_coded_answer_counted_twice_fails_the_coding_totals(gate: Settings) -> None:
    outcome = check(
        gate,
        "marts_coding_totals",
        "update marts.lead_agency set projects = projects + 1"
        " where rowid = (select min(rowid) from marts.lead_agency)",
    )
    assert_fails_with(
        outcome,
        "expect_column_pair_values_to_be_equal(answers, accounted)",
        wave="2017",
        question_key="lead_agency",
    )


def test_a_coded_question_missing_fails_the_coding_totals(gate: Settings) -> None:
    outcome = check(
        gate,
        "marts_coding_totals",
        "delete from seeds.question_map where question_key = 'funding'",
    )
    assert_fails_with(outcome, "expect_column_distinct_values_to_equal_set(question_key)")


def test_reconciliation_mismatch_blocks_only_on_the_reference_extracts(
    gate: Settings, tmp_path: Path
) -> None:
    fault = (
        "update marts.reconciliation set computed = published + 1, status = 'mismatch'"
        " where figure_id = (select min(figure_id) from marts.reconciliation"
        " where status = 'match')"
    )
    outcome = check(gate, "marts_reconciliation", fault)
    assert_fails_with(outcome, "expect_column_values_to_not_be_in_set(status)", status="mismatch")
    # Other exports than the report's move the figures: the same failure is then not blocking.
    elsewhere = tmp_path / "other_reference"
    elsewhere.mkdir()
    outcome = check(gate, "marts_reconciliation", reference_dir=elsewhere)
    assert not outcome.success and not outcome.blocking


# --- how a failure is reported -----------------------------------------------------------------


def test_missing_table_is_a_failed_check_that_names_it(gate: Settings) -> None:
    outcome = check(gate, "marts_respondent_bounds", "drop table marts.area_of_work")
    assert not outcome.success and outcome.blocking
    assert "respondent_bounds.sql" in outcome.error and "area_of_work" in outcome.error
    assert outcome.failing_values


def _suite(folder: Path, name: str, batch: dict, expectations: list[dict], **meta) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"protects": "test", "blocking": True, "batch": batch, **meta}
    suite = {"name": name, "meta": meta, "expectations": expectations}
    (folder / f"{name}.json").write_text(json.dumps(suite))


def test_sample_is_capped_and_shares_out_failing_expectations(gate: Settings, tmp_path) -> None:
    suites = tmp_path / "suites"
    never = [
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": c, "value_set": [-1]}}
        for c in ("response_total", "answered")
    ]
    rows = ["wave", "survey", "question", "item"]  # every failing row is named, hundreds
    _suite(suites, "many", {"table": "marts.question_responses"}, never, sample_columns=rows)
    outcome = check(gate, "many", expectations_dir=suites)
    assert len(outcome.failing_values) == SAMPLE_LIMIT
    assert {r["expectation"] for r in outcome.failing_values} == {
        "expect_column_values_to_be_in_set(response_total)",
        "expect_column_values_to_be_in_set(answered)",
    }


def test_personal_columns_never_reach_a_batch(gate: Settings, tmp_path: Path) -> None:
    suites = tmp_path / "suites"
    (suites / "queries").mkdir(parents=True)
    (suites / "queries" / "leak.sql").write_text(
        'select "Response ID", "Q3. Email" from raw.police_responses'
    )
    not_null = [{"type": "expect_column_values_to_be_null", "kwargs": {"column": "Response ID"}}]
    _suite(suites, "leak", {"query": "queries/leak.sql"}, not_null)
    _suite(suites, "whole", {"table": "raw.police_responses"}, not_null)
    with pytest.raises(ValueError, match="personal columns"):
        check(gate, "leak", expectations_dir=suites)
    whole = check(gate, "whole", expectations_dir=suites)  # fails: ids are not null
    assert not whole.success
    dumped = json.dumps([whole.validation_result, whole.metadata()])
    values = personal_values(gate)
    assert values and not [v for v in values if v in dumped]
    assert not [h for h in PERSONAL_HEADERS if h in dumped]


def test_data_docs_show_the_gate_suites_only(gate: Settings) -> None:
    results = gate.data_docs_dir / "_results"
    (results / "raw_police_responses.json").write_text("{}")  # a suite no longer in the gate
    outcomes = [
        check(gate, "marts_respondent_bounds", "drop table marts.responses"),
        check(gate, "marts_reconciliation"),
    ]
    index = build_data_docs(outcomes, gate)
    assert index == gate.data_docs_dir / "index.html" and index.is_file()
    assert {p.stem for p in results.glob("*.json")} == {
        "marts_respondent_bounds",
        "marts_reconciliation",
    }
    index_text = index.read_text(encoding="utf-8")
    assert "marts_reconciliation" in index_text and "raw_police_responses" not in index_text
    pages = list(gate.data_docs_dir.rglob("*.html"))
    assert len([p for p in pages if "validations" in p.parts]) == 1  # bounds: no batch
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert not [v for v in personal_values(gate) if v in text]
