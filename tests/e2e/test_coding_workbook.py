"""The analyst's round trip with the coding workbook, end to end, as an analyst does it.

A real `phc run` on the reference extracts plus an export whose answers need a person writes
exports/latest/coding_workbook.xlsx; the test fills it in with openpyxl as an analyst would in
Excel, drops it into the coding folder (PHC_CODING_DIR) and refreshes (the refresh job, in this
process): the codes apply, the queue and the marts change, `phc run` then finds nothing new,
`phc rebuild` gives the same, and a later export that changes a coded answer sends it back to
the queue. Every kind of bad workbook is rejected whole, with
every problem listed, and the published marts stay as they were.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from orchestration.ingest.coding_folder import ingest_coding_folder
from orchestration.ingest.load import REJECTED
from orchestration.runtime.settings import Settings
from tests.support.coding_fixture import change_first_lead_agency, phc
from tests.support.pipeline import run_refresh
from tests.support.warehouse import logged_alerts, phc_env, table_fingerprints

pytestmark = pytest.mark.slow

CODER = "A. Analyst"
RETURNED = "coded by the team.xlsx"


@pytest.fixture
def warehouse(queued_refresh, tmp_path) -> tuple[Path, Path, Path, list[int]]:
    """A copy of the refreshed folders: (data, landing, coding folder, the new response ids)."""
    root, ids = queued_refresh
    shutil.copytree(root / "data", tmp_path / "data", symlinks=True)
    shutil.copytree(root / "landing", tmp_path / "landing")
    (tmp_path / "coding").mkdir()
    return tmp_path / "data", tmp_path / "landing", tmp_path / "coding", ids


def published(data: Path, query: str, *params) -> list[tuple]:
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def queue(data: Path) -> set[tuple]:
    return set(
        published(data, "select response_id, question_key, queue_reason from marts.coding_queue")
    )


def alerts(data: Path, kind: str) -> list[dict]:
    return [r for r in logged_alerts(data) if r["kind"] == kind]


def rows_of(sheet) -> dict[tuple, int]:
    """(response_id) -> sheet row number, for the queued rows of a question's sheet."""
    header = [c.value for c in sheet[1]]
    at = header.index("response_id") + 1
    return {
        sheet.cell(row=r, column=at).value: r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=at).value is not None
    }


def set_cell(sheet, row: int, header: str, value) -> None:
    columns = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=columns.index(header) + 1).value = value


def exported_workbook(data: Path):
    return load_workbook(data / "exports" / "latest" / "coding_workbook.xlsx")


def fill(data: Path, ids: list[int]):
    """The analyst's work: four of the five queued answers coded, one left for later."""
    first = ids[0]
    book = exported_workbook(data)
    codes = {
        "lead_agency": ["Public health / health"],
        "funding": ["Home Office"],
        "priorities": ["mental health problems", "vulnerability"],
        "demand": ["violent and abusive crimes"],
    }
    for question, categories in codes.items():
        sheet = book[question]
        row = rows_of(sheet)[first]
        for header, category in zip(("category", "category 2"), categories, strict=False):
            set_cell(sheet, row, header, category)
        set_cell(sheet, row, "coder", CODER)
    return book


def test_the_workbook_is_written_with_the_queue_and_alerted_once(warehouse, queued_refresh):
    data, landing, coding, ids = warehouse
    written_for = queued_refresh[0] / "coding"  # the coding folder of the refresh that wrote it
    first, second = ids
    assert queue(data) == {
        (first, "lead_agency", "several categories matched"),
        (second, "lead_agency", "no rule matched"),
        (first, "funding", "no rule matched"),
        (first, "priorities", "part of a list answer left uncoded"),
        (first, "demand", "no rule matched"),
    }
    book = exported_workbook(data)
    assert book.sheetnames == [
        "Instructions",
        "lead_agency",
        "funding",
        "priorities",
        "demand",
        "Categories",
    ]
    lead = book["lead_agency"]
    assert [c.value for c in lead[1]] == [
        "wave",
        "survey",
        "response_id",
        "answer",
        "why it needs you",
        "suggested categories",
        "parts no rule reads",
        "category",
        "coder",
    ]
    row = rows_of(lead)[first]
    assert [lead.cell(row=row, column=c).value for c in (1, 2, 4, 6)] == [
        "2017",
        "police",
        "NHS and Home Office together",
        "Home office; Public health / health",
    ]
    (validation,) = lead.data_validations.dataValidation
    assert validation.type == "list" and "H2" in str(validation.sqref)
    listed = [c.value for c in book["Categories"]["A"][1:] if c.value]
    assert "Police and other" in listed and "[non-health partner]" not in listed
    assert len(listed) == 8
    instructions = " ".join(str(c.value) for c in book["Instructions"]["A"] if c.value)
    assert "5 answer(s) await coding" in instructions and str(written_for) in instructions
    # the coded marts count what waits, and the page says so
    assert set(published(data, "select awaiting_coding from marts.lead_agency")) == {(2,)}
    assert set(published(data, "select awaiting_coding from marts.funding")) == {(1,)}
    assert published(
        data, "select distinct awaiting_coding from marts.priorities where survey = 'all'"
    ) == [(1,)]
    page = (data / "exports" / "latest" / "report.html").read_text()
    assert 'data-awaiting-coding="5"' in page
    # one alert for the new answers (a refresh that queues no new answer alerts no more: the
    # next test's refresh after the analyst's codes shows it)
    (alert,) = alerts(data, "coding_needed")
    assert alert["title"].startswith("5 new answer(s) await coding")
    again = phc("run", data, landing, coding)
    assert again.returncode == 0 and "Nothing new" in again.stdout
    assert len(alerts(data, "coding_needed")) == 1


def refresh_in_process(monkeypatch, data: Path, landing: Path, coding: Path) -> None:
    """The refresh job materialized in this process, on these folders: what `phc run` runs,
    without a process start and its imports (the `phc` commands around it are processes)."""
    for name, value in phc_env(data, landing, PHC_CODING_DIR=str(coding)).items():
        if name.startswith("PHC_"):
            monkeypatch.setenv(name, value)
    result = run_refresh()
    assert result.success, [e.message for e in result.all_events if e.is_failure]


def test_an_analyst_codes_the_queue_and_it_survives_rebuilds_until_the_answer_changes(
    warehouse, monkeypatch
):
    data, landing, coding, ids = warehouse
    first, second = ids
    projects = dict(published(data, "select lead_agency, projects from marts.lead_agency"))
    funding = dict(published(data, "select funding_source, projects from marts.funding"))
    priorities = dict(
        published(data, "select theme, respondents from marts.priorities where survey = 'all'")
    )

    fill(data, ids).save(coding / RETURNED)
    refresh_in_process(monkeypatch, data, landing, coding)

    # only the answer left uncoded waits; the codes are the analyst's, with who and where
    assert queue(data) == {(second, "lead_agency", "no rule matched")}
    coded = published(
        data,
        "select question_key, category, coding_method, coder, coding_source, workbook_sha256 "
        "is not null, coded_at is not null from marts.coded_answers where response_id = ? "
        "order by all",
        first,
    )
    assert coded == [
        ("demand", "violent and abusive crimes", "analyst", CODER, RETURNED, True, True),
        ("funding", "Home Office", "analyst", CODER, RETURNED, True, True),
        ("lead_agency", "Public health / health", "analyst", CODER, RETURNED, True, True),
        ("priorities", "mental health problems", "analyst", CODER, RETURNED, True, True),
        ("priorities", "vulnerability", "analyst", CODER, RETURNED, True, True),
    ]
    after = dict(published(data, "select lead_agency, projects from marts.lead_agency"))
    assert after == {**projects, "Public health / health": projects["Public health / health"] + 1}
    assert set(published(data, "select awaiting_coding from marts.lead_agency")) == {(1,)}
    assert dict(published(data, "select funding_source, projects from marts.funding")) == {
        **funding,
        "Home Office": funding["Home Office"] + 1,
    }
    assert dict(
        published(data, "select theme, respondents from marts.priorities where survey = 'all'")
    ) == {**priorities, "vulnerability": priorities["vulnerability"] + 1}
    assert len(alerts(data, "coding_needed")) == 1  # nothing new waits

    # the same workbook again changes nothing
    assert "Nothing new" in phc("run", data, landing, coding).stdout

    # a rebuild from the archive alone replays the workbook: the same marts
    marts = table_fingerprints(data / "warehouse.duckdb", ("marts",))
    shutil.rmtree(coding)
    coding.mkdir()
    (data / "warehouse.duckdb").unlink()
    rebuilt = phc("rebuild", data, landing, coding)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:] + rebuilt.stderr[-3000:]
    assert table_fingerprints(data / "warehouse.duckdb", ("marts",)) == marts

    # a later export changes the lead agency answer: the code stops applying, the answer waits
    change_first_lead_agency(landing)
    refresh_in_process(monkeypatch, data, landing, coding)
    reasons = {(rid, q): reason for rid, q, reason in queue(data)}
    assert set(reasons) == {(first, "lead_agency"), (second, "lead_agency")}
    assert reasons[(first, "lead_agency")].startswith(
        f"answer changed since it was coded: {CODER} coded it Public health / health in "
        f"{RETURNED} on "
    )
    assert published(
        data,
        "select count(*) from marts.coded_answers where response_id = ? and coding_method = "
        "'analyst'",
        first,
    ) == [(4,)]
    assert len(alerts(data, "coding_needed")) == 2  # the returned answer is new to the queue


# ---------------------------------------------------------------- rejected workbooks


def _unknown_category(book, first):
    sheet = book["lead_agency"]
    row = rows_of(sheet)[first]
    set_cell(sheet, row, "category", "Polise")
    set_cell(sheet, row, "coder", CODER)
    return [("lead_agency / category", row, "Polise")]


def _unknown_answer(book, first):
    sheet = book["funding"]
    row = rows_of(sheet)[first]
    set_cell(sheet, row, "response_id", 123)
    set_cell(sheet, row, "category", "health")
    set_cell(sheet, row, "coder", CODER)
    return [("funding / response_id", row, "2017 / police / 123")]


def _changed_answer(book, first):
    sheet = book["demand"]
    row = rows_of(sheet)[first]
    set_cell(sheet, row, "answer", "Hate crime and more")
    set_cell(sheet, row, "category", "violent and abusive crimes")
    set_cell(sheet, row, "coder", CODER)
    return [("demand / answer", row, "Hate crime and more")]


def _two_codes(book, first):
    sheet = book["lead_agency"]
    row = rows_of(sheet)[first]
    set_cell(sheet, row, "category", "Home office")
    set_cell(sheet, row, "coder", CODER)
    copy = sheet.max_row + 1
    for column in range(1, sheet.max_column + 1):
        sheet.cell(row=copy, column=column).value = sheet.cell(row=row, column=column).value
    set_cell(sheet, copy, "category", "Public health / health")
    return [
        ("lead_agency / category", row, "Home office"),
        ("lead_agency / category", copy, "Public health / health"),
    ]


def _missing_coder(book, first):
    sheet = book["priorities"]
    row = rows_of(sheet)[first]
    set_cell(sheet, row, "category", "mental health problems")
    set_cell(sheet, row, "coder", "  ")  # blank: who coded it is not said
    return [("priorities / coder", row, None)]


CASES = {
    "unknown category": (_unknown_category, "a category of the question"),
    "unknown answer": (_unknown_answer, "an answer of the warehouse"),
    "answer changed": (_changed_answer, "the answer changed since this workbook was written"),
    "two codes for a one-category answer": (_two_codes, "one category for this answer"),
    "missing coder": (_missing_coder, "the coder's name or initials"),
}


def assert_rejected_and_nothing_changed(data, landing, coding, name: str) -> dict:
    before = table_fingerprints(data / "published" / "warehouse.duckdb", ("marts",))
    done = phc("run", data, landing, coding)
    assert done.returncode != 0
    assert f"{name} was rejected" in done.stdout + done.stderr
    assert table_fingerprints(data / "published" / "warehouse.duckdb", ("marts",)) == before
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.analyst_codes").fetchone() == (0,)
    (folder,) = [p for p in (data / "quarantine").iterdir() if (p / name).exists()]
    report = json.loads((folder / "report.json").read_text())
    assert report["kind"] == "coding workbook" and (folder / "report.md").exists()
    (alert,) = alerts(data, "file_rejected")
    assert alert["title"] == f"Coding workbook rejected: {name}"
    assert not list((data / "archive").glob("coding/*/*.xlsx"))  # nothing applied, nothing kept
    return report


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_workbook_is_rejected_whole(warehouse, case):
    """Each kind of problem, as the coding folder's ingest finds it (called here in-process:
    the refresh around it, the alert and the unchanged published marts are the next test's)."""
    data, landing, coding, ids = warehouse
    mutate, expected = CASES[case]
    book = fill(data, ids)  # four good codes beside the bad one: none of them may apply
    listed = mutate(book, ids[0])
    book.save(coding / "returned.xlsx")
    settings = Settings.from_env(phc_env(data, landing, PHC_CODING_DIR=str(coding)))
    (outcome,) = ingest_coding_folder(settings)
    assert outcome.status == REJECTED
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.analyst_codes").fetchone() == (0,)
    assert not list((data / "archive").glob("coding/*/*.xlsx"))  # nothing applied, nothing kept
    report = json.loads((Path(outcome.quarantine_path) / "report.json").read_text())
    problems = [p for p in report["problems"] if expected in p["expected"]]
    assert [(p["column"], p["row"], p["value"]) for p in problems] == listed


def test_every_problem_of_a_workbook_is_listed(warehouse):
    data, landing, coding, ids = warehouse
    book = exported_workbook(data)
    for case, (mutate, _) in CASES.items():
        # the second respondent's lead agency row takes the unknown category, so the first's
        # can take the two codes
        mutate(book, ids[1] if case == "unknown category" else ids[0])
    book.save(coding / "returned.xlsx")
    report = assert_rejected_and_nothing_changed(data, landing, coding, "returned.xlsx")
    for _, expected in CASES.values():
        assert any(expected in p["expected"] for p in report["problems"]), expected
    md = next((data / "quarantine").glob("*/report.md")).read_text()
    assert "Rejected coding workbook: returned.xlsx" in md and "lead_agency / category" in md
