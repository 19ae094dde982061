"""The Great Expectations suites on a small warehouse built here: each passes on good data and
fails, naming the offending values, on data broken on purpose."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.contract import AREAS, GRID_HEADERS, HEADERS, HWB_HEADER
from orchestration.domain.privacy import PERSONAL_HEADERS
from orchestration.ingest.raw_tables import METADATA_COLUMNS
from orchestration.quality.suites import (
    MART_SUITES,
    RAW_SUITES,
    SAMPLE_LIMIT,
    SuiteOutcome,
    build_data_docs,
    load_suite,
    run_suite,
)
from orchestration.runtime.settings import EXPECTATIONS_DIR, Settings
from orchestration.runtime.sql_text import quote_ident
from tests.support.schemas import WAREHOUSE, copy_file, insert_tuples

EMAIL = "jo.bloggs@example.org"
IP = "198.51.100.77"
NAME = "Jo Bloggs"
PHONE = "07700 900123"
PERSONAL_VALUES = (EMAIL, IP, NAME, PHONE)

# The newest export of each version, as the bytes a reference extract would have.
NEWEST = {"police": b"police extract of 15 September", "national": b"national extract"}
OLDER_POLICE = b"police extract of 1 September"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def insert(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, object]) -> None:
    columns = ", ".join(quote_ident(c) for c in row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"insert into {table} ({columns}) values ({marks})", list(row.values()))


def add_delivery(
    con: duckdb.DuckDBPyConnection,
    version: str,
    content: bytes,
    file_name: str,
    exported_at: str,
    rows: list[dict[str, str]],
) -> None:
    insert(
        con,
        "raw.deliveries",
        {
            "sha256": sha(content),
            "file_name": file_name,
            "survey_version": version,
            "exported_at": exported_at,
            "file_format": "csv",
            "size_bytes": len(content),
            "row_count": len(rows),
            "archive_path": f"archive/{file_name}",
            "loaded_at": exported_at,
            "wave": "2017",  # the ingest records the wave every delivery fits
        },
    )
    for number, answers in enumerate(rows, start=1):
        insert(
            con,
            f"raw.{version}_responses",
            {
                "_delivery_sha256": sha(content),
                "_file_name": file_name,
                "_survey_version": version,
                "_exported_at": exported_at,
                "_loaded_at": exported_at,
                "_row_number": number,
                **{h: "" for h in HEADERS[version]},
                "IP Address": IP,
                "Q3. Name": NAME,
                "Q3. Phone number": PHONE,
                "Q3. Email": EMAIL,
                **answers,
            },
        )


def respondent(response_id: int, status: str = "Completed", **answers: str) -> dict[str, str]:
    return {"Response ID": str(response_id), "Status": status, **answers}




def build_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """Rows in a copy of the session's warehouse template (the raw tables by the ingest's DDL,
    every other table as dbt builds it): raw deliveries and marts, all consistent."""
    mental_active = "Q4. Mental Health: Active work"
    police = [
        respondent(1, **{mental_active: "Active work", HWB_HEADER: "Yes"}),
        respondent(2, **{"Q4. Drugs: Completed work": "Completed work"}),
        respondent(3, "Partial", **{"Q4. Alcohol: Possible future work": "Possible future work"}),
    ]
    add_delivery(con, "police", OLDER_POLICE, "police_20170901.csv", "2017-09-01", police)
    # The next full snapshot: the same ids again (unique per delivery, not across) plus one.
    add_delivery(
        con,
        "police",
        NEWEST["police"],
        "police_20170915.csv",
        "2017-09-15",
        [*police, respondent(4, "Partial")],
    )
    add_delivery(
        con,
        "national",
        NEWEST["national"],
        "national_20170915.csv",
        "2017-09-15",
        [respondent(1, **{mental_active: "Active work"}), respondent(2)],
    )

    # dbt's stg_raw__deliveries (where the current-delivery rule lives), as it would flag these.
    newest = ", ".join(f"'{sha(content)}'" for content in NEWEST.values())
    con.execute(f"""insert into staging.stg_raw__deliveries by name
                    select sha256, survey_version as survey, wave,
                           survey_version || '_' || wave as questionnaire,
                           true as is_report_wave, file_name, file_format, exported_at,
                           size_bytes, row_count, loaded_at, sha256 in ({newest}) as is_current
                    from raw.deliveries""")
    counts = "completed, active, future, total"
    by_survey = {"police": (1, 2, 0), "national": (0, 1, 1)}
    insert_tuples(
        con,
        "marts.area_of_work_by_survey",
        f"survey, area, {counts}",
        [(survey, area, *c, sum(c)) for survey, c in by_survey.items() for area in AREAS],
    )
    # Table 1 spells some areas differently (Mental health): the comparison ignores case.
    insert_tuples(
        con,
        "marts.area_of_work",
        f"area, {counts}, rank",
        [(area.capitalize() if area == "Mental Health" else area, 1, 3, 1, 5, 1) for area in AREAS],
    )
    q4_answered = {"police": 3, "national": 2}
    insert_tuples(
        con,
        "marts.question_responses",
        "survey, question, item, response_total, answered, response_percent",
        [(s, 4, area, sum(by_survey[s]), q4_answered[s], None) for s in by_survey for area in AREAS]
        + [
            ("police", 5, "Lead Agency", 2, 2, 100.0),
            ("police", 5, "Funding", 2, 2, 100.0),
            ("national", 6, "Lead Agency", 1, 1, 100.0),
            ("national", 6, "Funding", 1, 1, 100.0),
            ("police", 7, "Priorities", 2, 3, 66.67),
            ("national", 7, "Priorities", 0, 0, None),
        ],
    )
    insert_tuples(
        con,
        "marts.responses",
        "survey, exported, completed, partial, excluded_no_data, excluded_identity_only,"
        " partial_included, included",
        [("police", 4, 2, 2, 1, 0, 1, 3), ("national", 2, 2, 0, 0, 0, 0, 2)],
    )
    con.execute("delete from seeds.question_map")  # this warehouse's questions only
    insert_tuples(
        con,
        "seeds.question_map",
        "survey, question_number, question_key, item",
        [
            ("police", 5, "lead_agency", "Lead Agency"),
            ("police", 5, "funding", "Funding"),
            ("national", 6, "lead_agency", "Lead Agency"),
            ("national", 6, "funding", "Funding"),
        ],
    )
    # 3 lead agency answers: 2 coded + 1 NA; 3 funding answers: 1 coded + 1 not stated + 1 queued.
    insert_tuples(con, "marts.lead_agency", "lead_agency, projects", [("Police", 2), ("OPCC", 0)])
    insert_tuples(
        con,
        "marts.funding",
        "funding_source, projects",
        [("jointly funded", 1), ("not stated", 1)],
    )
    insert_tuples(
        con,
        "intermediate.int_coded_answers",
        "survey, response_id, question_key, category, coding_method",
        [
            ("police", 1, "lead_agency", "Police", "rule"),
            ("police", 2, "lead_agency", "Police", "rule"),
            ("national", 1, "lead_agency", None, "not stated"),
        ],
    )
    insert_tuples(
        con,
        "marts.coding_queue",
        "survey, response_id, question_key, question_number, answer",
        [("national", 1, "funding", 6, "a grant, we think")],
    )
    insert_tuples(
        con,
        "marts.reconciliation",
        "figure_id, published, computed, status, reason",
        [
            ("responses.police", 3, 3, "match", None),
            ("responses.national_orgs_invited", 7, None, "known discrepancy", "not in the data"),
        ],
    )
    # Every mart and delivery has its survey wave: this warehouse holds the report's (2017) only.
    for table in (
        "marts.area_of_work",
        "marts.area_of_work_by_survey",
        "marts.question_responses",
        "marts.responses",
        "marts.lead_agency",
        "marts.funding",
        "marts.coding_queue",
        "intermediate.int_coded_answers",
    ):
        con.execute(f"update {table} set wave = '2017'")
    for table in ("marts.question_responses", "seeds.question_map"):
        con.execute(f"update {table} set questionnaire = survey || '_2017'")


@pytest.fixture
def con(tmp_path: Path, warehouse_template: Path):
    warehouse = copy_file(warehouse_template / WAREHOUSE, tmp_path / "warehouse.duckdb")
    connection = duckdb.connect(str(warehouse))
    build_warehouse(connection)
    yield connection
    connection.close()


@pytest.fixture
def reference_dir(tmp_path: Path) -> Path:
    """A reference folder holding exactly the newest loaded exports."""
    folder = tmp_path / "reference"
    folder.mkdir()
    for version, content in NEWEST.items():
        (folder / f"{version}_20170915.csv").write_bytes(content)
    return folder


def assert_fails_with(outcome: SuiteOutcome, expectation: str, **values: object) -> None:
    """The suite failed on `expectation` and its sample holds a row with these values."""
    assert not outcome.success
    assert any(e.startswith(expectation) for e in outcome.failed_expectations), outcome.results
    rows = [r for r in outcome.failing_values if r["expectation"].startswith(expectation)]
    assert any(values.items() <= row.items() for row in rows), outcome.failing_values
    dumped = json.dumps(outcome.metadata())  # Dagster-ready: plain JSON
    assert not [v for v in PERSONAL_VALUES if v in dumped]


# --- the suite files ---------------------------------------------------------------------------


def test_every_suite_file_is_listed_loads_and_says_what_it_protects() -> None:
    files = {p.stem for p in EXPECTATIONS_DIR.glob("*.json")}
    assert files == set(RAW_SUITES) | set(MART_SUITES)
    for name in files:
        suite = load_suite(name)
        assert suite["meta"]["protects"] and suite["expectations"]
        if "query" in suite["meta"]["batch"]:
            assert (EXPECTATIONS_DIR / suite["meta"]["batch"]["query"]).is_file()


@pytest.mark.parametrize("version", ["police", "national"])
def test_raw_suites_follow_the_contract(version: str) -> None:
    """The raw suites were written from domain/contract.py: a contract change must update them."""
    expectations = load_suite(f"raw_{version}_responses")["expectations"]
    column_sets = [
        e["kwargs"]["column_set"]
        for e in expectations
        if e["type"] == "expect_table_columns_to_match_set"
    ]
    assert column_sets == [
        [name for name, _ in METADATA_COLUMNS]
        + [h for h in HEADERS[version] if h not in PERSONAL_HEADERS]
    ]
    value_sets = {
        e["kwargs"]["column"]: e["kwargs"]["value_set"]
        for e in expectations
        if e["type"] == "expect_column_values_to_be_in_set"
    }
    for header in GRID_HEADERS:
        assert value_sets[header] == [header.rsplit(": ", 1)[1], ""]
    assert value_sets["Status"] == ["Completed", "Partial"]
    assert (HWB_HEADER in value_sets) == (version == "police")


# --- good data ---------------------------------------------------------------------------------


def test_every_suite_passes_on_good_data(con, reference_dir: Path) -> None:
    for name in (*RAW_SUITES, *MART_SUITES):
        outcome = run_suite(con, name, reference_dir=reference_dir)
        assert outcome.success, (name, outcome.failed_expectations, outcome.failing_values)
        assert outcome.failing_values == () and outcome.blocking
        assert outcome.results and outcome.error is None


# --- data broken on purpose --------------------------------------------------------------------


def test_raw_bad_status_grid_and_q9_values_are_named(con) -> None:
    con.execute("""update raw.police_responses set "Status" = 'Done'
                   where "Response ID" = '2' and _file_name = 'police_20170915.csv'""")
    con.execute("""update raw.police_responses set "Q4. Drugs: Completed work" = 'Yes'
                   where "Response ID" = '1'""")
    con.execute("""update raw.police_responses set "Q9. Health and Wellbeing Board" = 'Maybe'""")
    outcome = run_suite(con, "raw_police_responses")
    assert outcome.blocking
    # The batch is each column's distinct values: a failure names each bad value once.
    assert_fails_with(outcome, "expect_column_values_to_be_in_set(Status)", value="Done")
    assert_fails_with(
        outcome, "expect_column_values_to_be_in_set(Q4. Drugs: Completed work)", value="Yes"
    )
    assert_fails_with(outcome, f"expect_column_values_to_be_in_set({HWB_HEADER})", value="Maybe")
    assert [r["value"] for r in outcome.failing_values].count("Maybe") == 1
    failed = {r.expectation: r.unexpected_count for r in outcome.results if not r.success}
    assert failed[f"expect_column_values_to_be_in_set({HWB_HEADER})"] == 1  # distinct values
    assert run_suite(con, "raw_national_responses").success  # the other version is untouched


def test_raw_missing_status_is_named(con) -> None:
    con.execute("""update raw.police_responses set "Status" = null where "Response ID" = '1'""")
    assert_fails_with(
        run_suite(con, "raw_police_responses"), "expect_column_values_to_not_be_null(Status)"
    )


def test_raw_distinct_values_batch_is_small_at_any_size(con) -> None:
    """The batch a raw suite validates does not grow with the respondents: 10,000 copies of
    the current delivery give the same few rows."""
    before = _batch_rows(con)
    con.execute("""insert into raw.police_responses select p.* replace ("Response ID" || '0' ||
                   r.i as "Response ID") from raw.police_responses as p, range(10000) as r(i)
                   where p._file_name = 'police_20170915.csv'""")
    assert _batch_rows(con) == before <= 3
    assert run_suite(con, "raw_police_responses").success


def _batch_rows(con) -> int:
    from orchestration.quality.suites import _batch_frame

    suite = load_suite("raw_police_responses")
    frame = _batch_frame(con, suite, EXPECTATIONS_DIR)
    assert list(frame.columns) == suite["expectations"][0]["kwargs"]["column_set"]
    return len(frame)


def test_raw_duplicate_response_id_within_a_delivery(con) -> None:
    con.execute("""update raw.national_responses set "Response ID" = '1'""")
    assert_fails_with(
        run_suite(con, "raw_response_ids"),
        "expect_column_pair_values_to_be_equal(responses, distinct_response_ids)",
        survey_version="national",
        distinct_response_ids=1,
    )


def test_raw_missing_and_malformed_response_ids(con) -> None:
    con.execute("""update raw.police_responses set "Response ID" = null
                   where "Response ID" = '1' and _file_name = 'police_20170915.csv'""")
    con.execute("""update raw.police_responses set "Response ID" = 'R2'
                   where "Response ID" = '2' and _file_name = 'police_20170915.csv'""")
    outcome = run_suite(con, "raw_response_ids")
    assert outcome.blocking
    assert_fails_with(
        outcome,
        "expect_column_values_to_be_in_set(missing_response_ids)",
        survey_version="police",
        file_name="police_20170915.csv",
        missing_response_ids=1,
    )
    assert_fails_with(
        outcome,
        "expect_column_values_to_be_in_set(malformed_response_ids)",
        malformed_response_ids=1,
    )


def test_raw_missing_contract_column(con) -> None:
    con.execute('alter table raw.national_responses drop column "Q12. Further comments"')
    outcome = run_suite(con, "raw_national_responses")
    assert_fails_with(outcome, "expect_table_columns_to_match_set")
    assert "Q12. Further comments" in json.dumps(outcome.failing_values)


def test_sample_is_capped_and_shares_out_failing_expectations(con) -> None:
    con.execute("""insert into raw.police_responses select * replace ("Response ID" ||
                    '0' || _row_number as "Response ID") from raw.police_responses""")  # 14 rows
    con.execute(f"""update raw.police_responses set "Status" = 'Done' || rowid,
                    {quote_ident(GRID_HEADERS[0])} = 'x' || rowid,
                    {quote_ident(GRID_HEADERS[1])} = 'y' || rowid""")  # 14 bad values each
    outcome = run_suite(con, "raw_police_responses")
    assert len(outcome.failing_values) == SAMPLE_LIMIT
    assert {r["expectation"] for r in outcome.failing_values} >= {
        "expect_column_values_to_be_in_set(Status)",
        f"expect_column_values_to_be_in_set({GRID_HEADERS[0]})",
        f"expect_column_values_to_be_in_set({GRID_HEADERS[1]})",
    }


def test_shrinking_export_is_named(con) -> None:
    add_delivery(
        con,
        "police",
        b"a short police export",
        "police_20171001.csv",
        "2017-10-01",
        [respondent(1), respondent(2)],
    )
    outcome = run_suite(con, "raw_deliveries_monotonic")
    assert outcome.blocking
    assert_fails_with(
        outcome,
        "expect_column_pair_values_a_to_be_greater_than_b",
        file_name="police_20171001.csv",
        row_count=2,
        largest_earlier_file="police_20170915.csv",
        largest_earlier_row_count=4,
    )


def test_response_counts_that_do_not_add_up(con) -> None:
    con.execute("update marts.responses set included = 4 where survey = 'police'")
    assert_fails_with(
        run_suite(con, "marts_responses"),
        "expect_column_pair_values_to_be_equal(included, exported_less_excluded)",
        survey="police",
        included=4,
        exported_less_excluded=3,
    )


def test_area_total_that_is_not_the_sum_of_its_measures(con) -> None:
    con.execute("update marts.area_of_work set total = 6 where area = 'Drugs'")
    assert_fails_with(
        run_suite(con, "marts_area_of_work"),
        "expect_column_pair_values_to_be_equal(total, completed_active_future)",
        area="Drugs",
        total=6,
        completed_active_future=5,
    )


def test_area_count_above_the_respondents_who_answered_q4(con) -> None:
    con.execute("""update marts.area_of_work_by_survey set active = 4, total = 5
                   where survey = 'police' and area = 'Obesity'""")
    assert_fails_with(
        run_suite(con, "marts_area_of_work_by_survey"),
        "expect_column_pair_values_a_to_be_greater_than_b(q4_answered, active)",
        survey="police",
        area="Obesity",
        active=4,
        q4_answered=3,
    )


def test_area_of_work_that_is_not_the_sum_over_surveys(con) -> None:
    con.execute("update marts.area_of_work set future = 2, total = 6 where area = 'Neglect'")
    con.execute("delete from marts.area_of_work where area = 'Dementia'")
    outcome = run_suite(con, "marts_area_of_work_vs_surveys")
    assert_fails_with(
        outcome,
        "expect_column_pair_values_to_be_equal(future, surveys_future)",
        area="Neglect",
        future=2,
        surveys_future=1,
    )
    assert_fails_with(
        outcome,
        "expect_column_pair_values_to_be_equal(total, surveys_total)",
        area="Dementia",
        total=None,
        surveys_total=5,
    )


def test_response_percent_that_is_not_the_rounded_ratio(con) -> None:
    con.execute("update marts.question_responses set response_percent = 66.66 where question = 7")
    assert_fails_with(
        run_suite(con, "marts_question_responses"),
        "expect_column_values_to_be_between(percent_error)",
        survey="police",
        question=7,
        item="Priorities",
        response_percent=66.66,
        expected_percent=66.67,
    )


def test_coded_answer_lost_between_codes_and_queue(con) -> None:
    con.execute("delete from marts.coding_queue")
    assert_fails_with(
        run_suite(con, "marts_coding_totals"),
        "expect_column_pair_values_to_be_equal(answers, accounted)",
        question_key="funding",
        answers=3,
        accounted=2,
        queued=0,
    )


def test_reconciliation_mismatch_blocks_only_on_the_reference_extracts(
    con, reference_dir: Path, tmp_path: Path
) -> None:
    con.execute(
        "update marts.reconciliation set computed = 4, status = 'mismatch',"
        " reason = 'computed value differs' where figure_id = 'responses.police'"
    )
    outcome = run_suite(con, "marts_reconciliation", reference_dir=reference_dir)
    assert outcome.blocking
    assert_fails_with(
        outcome,
        "expect_column_values_to_not_be_in_set(status)",
        figure_id="responses.police",
        published=3,
        computed=4,
        status="mismatch",
    )
    # New exports move the figures: the same failure is then reported, not blocking.
    other = tmp_path / "other_reference"
    other.mkdir()
    outcome = run_suite(con, "marts_reconciliation", reference_dir=other)
    assert not outcome.success and not outcome.blocking


def test_missing_table_is_a_failed_check_that_names_it(con) -> None:
    con.execute("drop table marts.responses")
    outcome = run_suite(con, "marts_responses")
    assert not outcome.success and outcome.blocking
    assert "responses_balance.sql" in outcome.error and "responses does not exist" in outcome.error
    assert outcome.failing_values


def test_personal_columns_never_reach_a_batch(con, tmp_path: Path) -> None:
    suites = tmp_path / "suites"
    (suites / "queries").mkdir(parents=True)
    (suites / "queries" / "leak.sql").write_text(
        'select "Response ID", "Q3. Email" from raw.police_responses'
    )
    for name, batch in (
        ("leak", {"query": "queries/leak.sql"}),
        ("whole", {"table": "raw.police_responses"}),
    ):
        (suites / f"{name}.json").write_text(
            json.dumps(
                {
                    "name": name,
                    "meta": {"protects": "test", "blocking": True, "batch": batch},
                    "expectations": [
                        {
                            "type": "expect_column_values_to_be_null",
                            "kwargs": {"column": "Response ID"},
                        }
                    ],
                }
            )
        )
    with pytest.raises(ValueError, match="personal columns"):
        run_suite(con, "leak", expectations_dir=suites)
    whole = run_suite(con, "whole", expectations_dir=suites)  # fails: ids are not null
    assert not whole.success
    dumped = json.dumps(whole.validation_result)
    assert not [v for v in PERSONAL_VALUES if v in dumped]
    assert not [h for h in PERSONAL_HEADERS if h in dumped]


def test_data_docs_are_built_under_the_data_dir(con, tmp_path: Path) -> None:
    con.execute("update marts.responses set included = 4 where survey = 'police'")
    con.execute("drop table marts.reconciliation")
    settings = Settings(data_dir=tmp_path / "data", landing_dir=tmp_path / "landing")
    (settings.data_docs_dir / "stale").mkdir(parents=True)  # a previous site: replaced
    # Two calls, as the raw checks (saving only) and the mart checks make: the site shows both.
    build_data_docs([run_suite(con, "raw_police_responses")], settings, render=False)
    assert not (settings.data_docs_dir / "index.html").exists()
    assert (settings.data_docs_dir / "stale").exists()  # untouched until the site is rendered
    index = build_data_docs(
        [run_suite(con, name) for name in ("marts_responses", "marts_reconciliation")], settings
    )
    assert index == settings.data_docs_dir / "index.html" and index.is_file()
    assert not (settings.data_docs_dir / "stale").exists()
    pages = list(settings.data_docs_dir.rglob("*.html"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    index_text = index.read_text(encoding="utf-8")
    for name in ("raw_police_responses", "marts_responses", "marts_reconciliation"):
        assert name in index_text
    assert len([p for p in pages if "validations" in p.parts]) == 2  # reconciliation: no batch
    assert not [v for v in PERSONAL_VALUES if v in text]
    # Nothing written beside the data dir (the database and the reference folder are the test's).
    assert {p.name for p in tmp_path.iterdir()} <= {
        "data",
        "reference",
        "warehouse.duckdb",
        "warehouse.duckdb.wal",
    }
