"""Ingest: real Dagster materializations of the ingest asset into a real DuckDB file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.domain.contract import HEADERS, POLICE_HEADERS
from orchestration.ingest.defs import ingest_survey_extracts
from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, Settings
from reference.rows import extract_text, response, write_extract
from tests.support.warehouse import table_fingerprints


def materialize_ingest(instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [ingest_survey_extracts],
        instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def good_rows() -> list[dict[str, str]]:
    return [
        response(
            101,
            answers={
                "Q1. Police Force": "Kent Police",
                "Q2. Role/rank": "Inspector",
                "Q4. Drugs: Active work": "Active work",
                "Q7. Priorities": 'Mental health, "vulnerability"\nand drugs',
            },
        ),
        response(102, "Partial", answers={"Q1. Police Force": "Essex Police"}),
        response(103, "Partial"),
    ]


def raw_count(settings: Settings, version: str) -> int:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(f"select count(*) from raw.{version}_responses").fetchone()[0]


def test_reference_extracts_load_with_counts(warehouse_env: Settings, tmp_path: Path):
    for path in REFERENCE_EXTRACTS_DIR.iterdir():
        shutil.copy(path, warehouse_env.landing_dir)
    result = materialize_ingest()
    assert result.success
    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        deliveries = con.execute(
            "select file_name, survey_version, row_count from raw.deliveries order by all"
        ).fetchall()
        statuses = con.execute(
            """select _file_name, "Status", count(*) from raw.police_responses
               group by all order by all"""
        ).fetchall()
    by_file = {name: rows for name, _, rows in deliveries}
    assert by_file["police_20171020.csv"] == 131
    assert by_file["national_20171020.csv"] == 28
    assert 0 < by_file["national_20170929.xlsx"] < 28
    assert statuses == [
        ("police_20171020.csv", "Completed", 32),
        ("police_20171020.csv", "Partial", 99),
    ]
    # Delivery metadata on every row, the archive copy named by its hash.
    materialization = result.asset_materializations_for_node("ingest_survey_extracts")[0]
    assert materialization.metadata["rows"].value == 131
    sha = materialization.metadata["sha256"].value
    assert (warehouse_env.archive_dir / sha[:2] / f"{sha}.csv").read_bytes() == (
        warehouse_env.landing_dir / "police_20171020.csv"
    ).read_bytes()


def test_redelivery_is_a_no_op(warehouse_env: Settings):
    write_extract(warehouse_env.landing_dir / "police_20170901.csv", "police", good_rows())
    assert materialize_ingest().success
    before = table_fingerprints(warehouse_env.warehouse_path)
    # Same bytes again, even under another name: nothing changes.
    shutil.copy(
        warehouse_env.landing_dir / "police_20170901.csv",
        warehouse_env.landing_dir / "police_20170901_120000.csv",
    )
    result = materialize_ingest()
    assert result.success
    assert table_fingerprints(warehouse_env.warehouse_path) == before
    assert raw_count(warehouse_env, "police") == 3


def test_newer_export_is_kept_beside_the_older(warehouse_env: Settings):
    write_extract(warehouse_env.landing_dir / "police_20170901.csv", "police", good_rows()[:2])
    assert materialize_ingest().success
    write_extract(warehouse_env.landing_dir / "police_20170915_083000.csv", "police", good_rows())
    assert materialize_ingest().success
    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select file_name, exported_at::varchar, row_count from raw.deliveries order by 2"
        ).fetchall()
    assert rows == [
        ("police_20170901.csv", "2017-09-01 00:00:00", 2),
        ("police_20170915_083000.csv", "2017-09-15 08:30:00", 3),
    ]


def _with(rows: list[dict[str, str]], index: int, **changes: str) -> list[dict[str, str]]:
    rows = [dict(row) for row in rows]
    rows[index].update({key.replace("_", " "): value for key, value in changes.items()})
    return rows


def _bad_grid_rows() -> list[dict[str, str]]:
    rows = good_rows()
    rows[1]["Q4. Mental Health: Possible future work"] = "Yes"
    return rows


def _bad_q9_rows() -> list[dict[str, str]]:
    rows = good_rows()
    rows[0]["Q9. Health and Wellbeing Board"] = "Maybe"
    return rows


renamed = [h if h != "Q7. Priorities" else "Q7 Priorities" for h in POLICE_HEADERS]

BAD_FILES = {
    # case: (file name, bytes, words the message must contain)
    "missing column": (
        "police_20171001.csv",
        extract_text("police", good_rows(), [h for h in POLICE_HEADERS if h != "Status"]),
        ["column 'Status'", "missing"],
    ),
    "renamed column": (
        "police_20171001.csv",
        extract_text("police", good_rows(), renamed),
        ["'Q7 Priorities'", "did you mean 'Q7. Priorities'"],
    ),
    "duplicate id": (
        "police_20171001.csv",
        extract_text("police", _with(good_rows(), 2, Response_ID="101")),
        ["row 3", "'Response ID'", "found '101'", "also on row 1"],
    ),
    "bad tick value": (
        "police_20171001.csv",
        extract_text("police", _bad_grid_rows()),
        [
            "row 2",
            "Q4. Mental Health: Possible future work",
            "found 'Yes'",
            "exactly 'Possible future work'",
        ],
    ),
    "bad date": (
        "police_20171001.csv",
        extract_text("police", _with(good_rows(), 0, Started="2017-09-01 10:00")),
        ["row 1", "'Started'", "found '2017-09-01 10:00'", "DD/MM/YYYY HH:MM:SS"],
    ),
    "bad status": (
        "police_20171001.csv",
        extract_text("police", _with(good_rows(), 1, Status="Done")),
        ["row 2", "'Status'", "found 'Done'", "Completed, Partial"],
    ),
    "bad hwb value": (
        "police_20171001.csv",
        extract_text("police", _bad_q9_rows()),
        ["row 1", "Q9. Health and Wellbeing Board", "found 'Maybe'", "Not known"],
    ),
    "unknown version": (
        "regional_20171001.csv",
        extract_text("police", good_rows()[:2]),
        ["'regional' is not a survey version"],
    ),
    "empty file": ("police_20171001.csv", "", ["the file is empty"]),
    "header only": (
        "police_20171001.csv",
        extract_text("police", []),
        ["at least one response", "has none"],
    ),
    "non-utf8 bytes": (
        "police_20171001.csv",
        extract_text("police", good_rows()).encode("utf-8").replace(b"Essex", b"Ess\xe9x"),
        ["UTF-8", "line 4", "b'\\xe9'"],
    ),
    "unterminated quote": (
        "police_20171001.csv",
        extract_text("police", good_rows()) + '104,01/09/2017 09:00:00,,Partial,"192.0.2.1\n',
        ["quote", "line"],
    ),
    "wrong version's columns": (
        "police_20171001.csv",
        extract_text("national", []) + "",
        ["columns of the national version"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_rejected_quarantined_and_changes_nothing(case: str, warehouse_env: Settings):
    # A warehouse with one good export loaded.
    write_extract(warehouse_env.landing_dir / "police_20170901.csv", "police", good_rows())
    assert materialize_ingest().success
    before = table_fingerprints(warehouse_env.warehouse_path)

    name, content, words = BAD_FILES[case]
    data = content.encode("utf-8") if isinstance(content, str) else content
    (warehouse_env.landing_dir / name).write_bytes(data)
    # A valid file of the other version delivered in the same run still loads.
    write_extract(
        warehouse_env.landing_dir / "national_20171001.csv",
        "national",
        [response(7, answers={"Q1. Organisation / Agency": "College of Policing"})],
    )
    result = materialize_ingest()

    assert not result.success
    failure = result.failure_data_for_node("ingest_survey_extracts")
    message = failure.user_failure_data.description
    assert name in message
    for word in words:
        assert word in message, f"{word!r} not in:\n{message}"
    # Quarantined with a report beside it.
    reports = list(warehouse_env.quarantine_dir.glob("*/report.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    assert report["file"] == name and report["problem_count"] >= 1
    assert (reports[0].parent / name).read_bytes() == data
    assert (reports[0].parent / "report.md").exists()
    # The already loaded police data is exactly as it was; the national file was loaded.
    after = table_fingerprints(warehouse_env.warehouse_path)
    assert after["raw.police_responses"] == before["raw.police_responses"]
    assert raw_count(warehouse_env, "national") == 1
    # The same bad file is reported once, not on every refresh.
    assert materialize_ingest().success


def test_many_problems_are_all_counted_and_the_list_is_capped(warehouse_env: Settings):
    rows = [response(i, "Done") for i in range(1, 201)]
    write_extract(warehouse_env.landing_dir / "police_20171001.csv", "police", rows)
    result = materialize_ingest()
    assert not result.success
    message = result.failure_data_for_node("ingest_survey_extracts").user_failure_data.description
    assert "(200 problem(s))" in message
    assert "... and 150 more" in message


def test_personal_values_never_appear_in_messages(warehouse_env: Settings):
    headers = [h for h in HEADERS["police"] if h != "Status"]
    rows = [response(1, answers={"Q3. Email": "jo.bloggs@example.org"})]
    write_extract(warehouse_env.landing_dir / "police_20171001.csv", "police", rows, headers)
    dup = [response(1, answers={"Q3. Email": "a@example.org"}), response(1)]
    write_extract(warehouse_env.landing_dir / "police_20171002.csv", "police", dup)
    result = materialize_ingest()
    message = result.failure_data_for_node("ingest_survey_extracts").user_failure_data.description
    reports = "".join(p.read_text() for p in warehouse_env.quarantine_dir.glob("*/report.*"))
    for text in (message, reports):
        assert "example.org" not in text and "192.0.2.10" not in text


def test_raw_tables_hold_every_questionnaires_columns_and_nothing_else(tmp_path: Path):
    """The raw layout is the contract's: a table made before a questionnaire existed gets its
    columns; a column no questionnaire has stops the ingest with what to do."""
    from orchestration.domain.contract import all_headers
    from orchestration.ingest.raw_tables import (
        RawTableLayoutError,
        ensure_raw_tables,
        expected_columns,
    )

    county_lines = "Q4. County lines: Active work"
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        ensure_raw_tables(con)
        con.execute(f'alter table raw.police_responses drop column "{county_lines}"')
        ensure_raw_tables(con)  # an older table: the 2019 questionnaire's columns are added
        columns = [r[0] for r in con.execute("describe raw.police_responses").fetchall()]
        assert sorted(columns) == sorted(expected_columns("police"))
        assert county_lines in all_headers("police") and county_lines not in HEADERS["police"]

        con.execute('alter table raw.national_responses add column "Q99. Extra" varchar')
        with pytest.raises(RawTableLayoutError) as raised:
            ensure_raw_tables(con)
    message = str(raised.value)
    assert (
        "raw.national_responses has column(s) no national questionnaire has: ['Q99. Extra']"
        in message
    )
    assert "orchestration/domain/contract.py" in message and "make rebuild" in message


def test_a_raw_layout_that_breaks_the_contract_fails_the_ingest_step(warehouse_env: Settings):
    warehouse_env.warehouse_path.parent.mkdir(parents=True)
    with duckdb.connect(str(warehouse_env.warehouse_path)) as con:
        con.execute("create schema raw")
        con.execute('create table raw.police_responses ("Response ID" varchar, "Q99" varchar)')
    write_extract(warehouse_env.landing_dir / "police_20170915.csv", "police", good_rows())
    result = materialize_ingest()
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    description = failure.step_failure_data.user_failure_data.description
    assert "raw.police_responses has column(s) no police questionnaire has: ['Q99']" in description
    assert "lacks column(s) of the police contract" in description
