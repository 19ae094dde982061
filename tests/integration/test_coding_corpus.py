"""The coding model on answers phrased the way respondents write (tests/support/corpus/).

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

import pytest

from tests.support.coding_models import QUESTION_NUMBERS, code_answers

pytest.importorskip("dbt.cli.main")

CORPUS = Path(__file__).parents[1] / "support" / "corpus" / "free_text_corpus.csv"
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
    """Every corpus answer through the real coding models: row number -> [(category, method)]."""
    rows = read_corpus()
    answers = [("police", i, r["question_key"], r["answer"]) for i, r in enumerate(rows, start=1)]
    codes = code_answers(answers, tmp_path_factory.mktemp("corpus"))
    return {rid: found for (_, rid, _), found in codes.items()}


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
