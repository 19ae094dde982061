"""The coding model on answers phrased the way respondents write (tests/corpus/).

`free_text_corpus.csv` holds answers written for this test, not drawn from the reference
generator's pools: abbreviations (PCC, CCG, MH, DV, IOM, VAWG ...), organisation names that
contain another category's keyword, lists, run-on sentences and typos, each with its true
categories. The real dbt models (int_free_text_answers -> int_coding_parts -> int_coded_answers,
with the curated seeds) code them, and the shares must hold: at least 90% coded right without a
person, at most 2% coded wrong without being queued. An answer no category fits has no true
categories: the right outcome for it is the queue.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.raw_tables import ensure_raw_tables
from tests.pipeline import invoke_dbt

pytest.importorskip("dbt.cli.main")

CORPUS = Path(__file__).parent / "corpus" / "free_text_corpus.csv"
QUESTION_NUMBERS = {"lead_agency": 5, "funding": 5, "priorities": 7, "demand": 8}
NOT_STATED = "(not stated)"


def read_corpus() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def truth(row: dict[str, str]) -> frozenset[str]:
    return frozenset(c for c in row["true_categories"].split("|") if c)


def outcome(row: dict[str, str], codes: list[tuple[str | None, str]]) -> str:
    """right, queued or wrong: what the model did with one answer."""
    methods = {method for _, method in codes}
    categories = frozenset(c for c, _ in codes if c is not None)
    expected = truth(row)
    if expected == {NOT_STATED}:
        if methods == {"not stated"} or (
            row["question_key"] == "funding" and categories == {"not stated"}
        ):
            return "right"
        return "queued" if "queued" in methods else "wrong"
    if "queued" in methods:
        return "queued"
    if (
        row["question_key"] == "funding"
        and expected == {"not stated"}
        and methods == {"not stated"}
    ):
        return "right"
    return "right" if categories == expected and expected else "wrong"


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> dict[int, list[tuple[str | None, str]]]:
    """Every corpus answer through the real coding models: response id -> [(category, method)]."""
    tmp = tmp_path_factory.mktemp("corpus")
    warehouse = tmp / "warehouse.duckdb"
    rows = read_corpus()
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_tables(con)  # raw.analyst_codes, empty: no analyst has coded anything
        con.execute("create schema intermediate")
        con.execute(
            "create table intermediate.int_survey_answers (wave varchar, survey varchar, "
            "response_id bigint, question_key varchar, question_number integer, item varchar, "
            "answer_kind varchar, answer varchar, answer_trimmed varchar, is_answered boolean)"
        )
        con.executemany(
            "insert into intermediate.int_survey_answers values "
            "('2017', 'police', ?, ?, ?, ?, 'free_text', ?, trim(?), true)",
            [
                (
                    i,
                    r["question_key"],
                    QUESTION_NUMBERS[r["question_key"]],
                    r["question_key"],
                    r["answer"],
                    r["answer"],
                )
                for i, r in enumerate(rows, start=1)
            ],
        )
        con.execute(
            "create table intermediate.int_respondents as select distinct wave, survey, "
            "response_id, true as is_included from intermediate.int_survey_answers"
        )
    target = tmp / "target"
    env = pytest.MonkeyPatch()
    env.setenv("PHC_WAREHOUSE_PATH", str(warehouse))
    env.setenv("DO_NOT_TRACK", "1")
    try:
        for args in (
            ["seed", "--select", "tag:curated_seed"],
            [
                "run",
                "--select",
                "int_free_text_answers int_coding_parts stg_raw__analyst_codes int_coded_answers",
            ],
        ):
            result = invoke_dbt(args, target)
            assert result.success, (
                f"dbt {' '.join(args)} failed: {result.exception or result.result}"
            )
    finally:
        env.undo()
    with duckdb.connect(str(warehouse)) as con:  # as dbt (in this process) opened it
        found = con.execute(
            "select response_id, category, coding_method from intermediate.int_coded_answers"
        ).fetchall()
    codes: dict[int, list[tuple[str | None, str]]] = {}
    for response_id, category, method in found:
        codes.setdefault(response_id, []).append((category, method))
    return codes


def test_the_corpus_is_big_enough_and_spread_over_the_questions():
    rows = read_corpus()
    assert len(rows) >= 150
    per_question = {q: sum(r["question_key"] == q for r in rows) for q in QUESTION_NUMBERS}
    assert min(per_question.values()) >= 35, per_question


def test_every_corpus_answer_is_coded_queued_or_not_stated(coded):
    rows = read_corpus()
    assert set(coded) == set(range(1, len(rows) + 1))  # nothing dropped


def test_most_answers_code_right_without_a_person_and_few_wrong(coded, capsys):
    rows = read_corpus()
    outcomes = {i: outcome(r, coded[i]) for i, r in enumerate(rows, start=1)}
    shares = {
        kind: sum(o == kind for o in outcomes.values()) / len(rows)
        for kind in ("right", "queued", "wrong")
    }
    wrong = [
        (rows[i - 1]["question_key"], rows[i - 1]["answer"], sorted(truth(rows[i - 1])), coded[i])
        for i, o in outcomes.items()
        if o == "wrong"
    ]
    queued = [
        (rows[i - 1]["question_key"], rows[i - 1]["answer"])
        for i, o in outcomes.items()
        if o == "queued"
    ]
    with capsys.disabled():
        print(
            f"\ncorpus of {len(rows)} answers: right {shares['right']:.1%}, queued "
            f"{shares['queued']:.1%}, wrong {shares['wrong']:.1%}"
        )
        for item in wrong:
            print("  wrong:", item)
        for item in queued:
            print("  queued:", item)
    assert shares["right"] >= 0.90, (shares, wrong, queued)
    assert shares["wrong"] <= 0.02, (shares, wrong)
