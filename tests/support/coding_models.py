"""Free-text answers through the real coding models (dbt, on a throwaway DuckDB file).

The answers stand in for `intermediate.int_survey_answers` (and every respondent is included);
dbt loads the curated seeds and builds int_free_text_answers -> int_coding_parts ->
int_coded_answers exactly as a refresh does, with no analyst codes. Used by the corpus test and
by the reference-extract tests, so both measure the coding the warehouse publishes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.ingest.raw_tables import ensure_raw_tables
from tests.support.pipeline import invoke_dbt

QUESTION_NUMBERS = {"lead_agency": 5, "funding": 5, "priorities": 7, "demand": 8}
MODELS = "int_free_text_answers int_coding_parts stg_raw__analyst_codes int_coded_answers"

# (survey, response_id, question_key) -> [(category or None, coding_method)]
Codes = dict[tuple[str, int, str], list[tuple[str | None, str]]]


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def code_answers(
    answers: list[tuple[str, int, str, str]], workdir: Path, project_dir: Path | None = None
) -> Codes:
    """Code (survey, response_id, question_key, answer) rows of wave 2017 with the models."""
    warehouse = workdir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_tables(con)  # raw.analyst_codes, empty: no analyst has coded anything
        con.execute("create schema if not exists intermediate")
        con.execute(
            "create or replace table intermediate.int_survey_answers (wave varchar, "
            "survey varchar, response_id bigint, question_key varchar, question_number integer, "
            "item varchar, answer_kind varchar, answer varchar, answer_trimmed varchar, "
            "is_answered boolean)"
        )
        con.executemany(
            "insert into intermediate.int_survey_answers values "
            "('2017', ?, ?, ?, ?, ?, 'free_text', ?, trim(?), true)",
            [
                (survey, rid, key, QUESTION_NUMBERS[key], key, answer, answer)
                for survey, rid, key, answer in answers
            ],
        )
        con.execute(
            "create or replace table intermediate.int_respondents as select distinct wave, "
            "survey, response_id, true as is_included from intermediate.int_survey_answers"
        )
    target = workdir / "target"
    project = {} if project_dir is None else {"project_dir": project_dir}
    with _environment(PHC_WAREHOUSE_PATH=str(warehouse), DO_NOT_TRACK="1"):
        for args in (["seed", "--select", "tag:curated_seed"], ["run", "--select", MODELS]):
            result = invoke_dbt(args, target, **project)
            assert result.success, f"dbt {' '.join(args)}: {result.exception or result.result}"
    with duckdb.connect(str(warehouse)) as con:  # as dbt (in this process) opened it
        found = con.execute(
            "select survey, response_id, question_key, category, coding_method "
            "from intermediate.int_coded_answers"
        ).fetchall()
    codes: Codes = {}
    for survey, rid, key, category, method in found:
        codes.setdefault((survey, rid, key), []).append((category, method))
    return codes
