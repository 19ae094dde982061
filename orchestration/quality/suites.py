"""Great Expectations gates: run a reviewable suite of `expectations/` against the warehouse.

A suite file is GX 1.x JSON (`name`, `expectations`, `meta`). Its `meta` says what it protects,
whether a failure is `blocking`, which rows the batch holds (`batch.table`, or `batch.query`: a
`.sql` file beside the suites that lines up the numbers of a cross-table check) and which
columns identify a failing row in the sample (`sample_columns`).

Pandas batches, not a SQL datasource. Measured on this machine (GX 1.24.1, DuckDB 2.0.1, pandas
3.1; raw.police_responses with 310 rows x 143 columns, the 76 expectations of its suite):
- `import great_expectations`: 3.9-4.1 s, hence only in a worker process started early in the
  refresh (quality/gx_worker.py; the GX calls themselves are in quality/gx_calls.py);
- ephemeral context: 0.06-0.08 s;
- pandas batch: DuckDB query -> DataFrame 0.02 s; validate 1.5-2.1 s;
- SQL datasource: GX has no DuckDB datasource; duckdb-engine 0.17.0 is on PyPI but not
  installed. Tried from a scratch directory with SQLAlchemy 2.1.9: every expectation failed
  after 0.7-1.0 s with MetricResolutionError ('list index out of range' in GX's bundled metric
  query) and GX dropped the schema of `raw.police_responses`. Not usable, and it would also
  need a second connection to a DuckDB file the refresh holds open.
Mart batches are a few hundred rows. Raw batches grow with the survey, so they are never
copied row for row: a `distinct_values` batch is each column's distinct values (one DuckDB
pass), and counts such as duplicate Response IDs come from a `.sql` query. Measured at 1M
police respondents: the row-for-row pandas batch took 111 s and 4.5 GB; the distinct-values
batch takes about a second and a few MB.

Personal data (`IP Address`, `Q3.` contact columns) never enters a batch: table batches select
every other column, and a query returning one of them is refused. The failing-value sample is
built from batch columns only, so it cannot carry personal data either.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from orchestration.domain.privacy import PERSONAL_HEADERS
from orchestration.quality import gx_worker
from orchestration.quality.outcomes import (
    RESULTS_DIRNAME,
    SAMPLE_LIMIT,
    ExpectationOutcome,
    SuiteOutcome,
    plain,
)
from orchestration.runtime.hashing import sha256_file
from orchestration.runtime.settings import EXPECTATIONS_DIR, REFERENCE_EXTRACTS_DIR, Settings
from orchestration.runtime.sql_text import quote_ident

# Whole suites, in the order a refresh meets their tables.
RAW_SUITES = (
    "raw_police_responses",
    "raw_national_responses",
    "raw_response_ids",
    "raw_deliveries_monotonic",
)
MART_SUITES = (
    "marts_responses",
    "marts_area_of_work",
    "marts_area_of_work_by_survey",
    "marts_area_of_work_vs_surveys",
    "marts_question_responses",
    "marts_coding_totals",
    "marts_reconciliation",
)


def load_suite(suite_name: str, expectations_dir: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    path = expectations_dir / f"{suite_name}.json"
    if not path.is_file():
        known = sorted(p.stem for p in expectations_dir.glob("*.json"))
        raise ValueError(f"no suite {suite_name!r} in {expectations_dir}; known: {known}")
    suite = json.loads(path.read_text(encoding="utf-8"))
    meta = suite.get("meta", {})
    batch = meta.get("batch", {})
    if suite.get("name") != suite_name or not isinstance(meta.get("blocking"), bool):
        raise ValueError(f"{path}: needs name {suite_name!r} and a boolean meta.blocking")
    if (
        len({"table", "query"} & batch.keys()) != 1
        or not batch.keys() <= {"table", "query", "where", "distinct_values"}
        or (batch.keys() & {"where", "distinct_values"} and "table" not in batch)
    ):
        raise ValueError(
            f"{path}: meta.batch needs exactly one of 'table' or 'query' ('where' and "
            "'distinct_values' only with a table)"
        )
    return suite


def run_suite(
    con: duckdb.DuckDBPyConnection,
    suite_name: str,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    reference_dir: Path = REFERENCE_EXTRACTS_DIR,
) -> SuiteOutcome:
    """Validate one suite on the data `con` sees. Bad data (or a missing table) gives a failed
    outcome; only a bad suite file raises."""
    started = time.perf_counter()
    checked_at = datetime.now(UTC).isoformat()
    suite = load_suite(suite_name, expectations_dir)
    meta = suite["meta"]
    blocking = meta["blocking"]
    if meta.get("blocking_only_when") == "reference_extracts_loaded":
        blocking = blocking and reference_extracts_loaded(con, reference_dir)

    def outcome(**fields: Any) -> SuiteOutcome:
        return SuiteOutcome(
            suite_name=suite_name,
            blocking=blocking,
            protects=meta.get("protects", ""),
            suite=suite,
            checked_at=checked_at,
            seconds=time.perf_counter() - started,
            **fields,
        )

    try:
        frame = _batch_frame(con, suite, expectations_dir)
    except duckdb.Error as exc:
        # Typically a table not built yet: a failed check that says which, not a crashed step.
        message = f"could not read the batch {meta['batch']}: {exc}".splitlines()[0]
        return outcome(
            success=False,
            results=(),
            failing_values=({"expectation": "batch", "error": message},),
            error=message,
            validation_result=None,
        )

    gx_result = _validate(frame, suite)
    results = tuple(_expectation_outcome(r) for r in gx_result["results"])
    return outcome(
        success=all(r.success for r in results),
        results=results,
        failing_values=_sample(gx_result["results"]),
        error=None,
        validation_result=gx_result,
    )


def reference_extracts_loaded(
    con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_EXTRACTS_DIR
) -> bool:
    """True when the marts read exactly the final reference extracts, one per version.

    Only then must marts.reconciliation match the report: an earlier snapshot (such as the
    reference's own national_20170929.xlsx) or any new export legitimately moves figures.
    """
    from orchestration.domain.deliveries import discover

    final: dict[str, str] = {}
    if reference_dir.is_dir():
        for landed in discover(reference_dir):  # oldest export first: the last one wins
            if landed.version is not None:
                final[landed.version] = sha256_file(landed.path)
    try:
        # The current exports of the report's wave as dbt's stg_raw__deliveries decides them
        # (the one home of the current-delivery rule); the mart checks that call this run after
        # dbt built it. Later waves do not move the reconciled figures (they are the report
        # wave's only), so they do not make the reconciliation advisory.
        current = dict(
            con.execute(
                "select survey, sha256 from staging.stg_raw__deliveries "
                "where is_current and is_report_wave"
            ).fetchall()
        )
    except duckdb.Error:
        return False
    return bool(final) and current == final


def build_data_docs(
    outcomes: Iterable[SuiteOutcome], settings: Settings, *, render: bool = True
) -> Path:
    """Write GX's HTML data docs under `settings.data_docs_dir` and return its index.html.

    Each suite's latest outcome is kept as JSON in `_results/` and the site is rebuilt from all
    of them, so the raw checks and the mart checks (separate Dagster steps) can each call this
    and the site shows every suite's last result, with no history piling up. With
    `render=False` only the outcomes are saved, for the next call to show (rendering the site
    takes about a second).
    """
    docs_dir = settings.data_docs_dir
    saved = docs_dir / RESULTS_DIRNAME
    saved.mkdir(parents=True, exist_ok=True)
    for outcome in outcomes:
        record = {
            "suite": outcome.suite,
            "checked_at": outcome.checked_at,
            "validation_result": outcome.validation_result,
        }
        (saved / f"{outcome.suite_name}.json").write_text(json.dumps(record), encoding="utf-8")
    if not render:
        return docs_dir / "index.html"
    gx_worker.call("render_data_docs", docs_dir)
    return docs_dir / "index.html"


# --- internals -------------------------------------------------------------------------------


def _value_columns(suite: Mapping[str, Any], expectation_type: str | None = None) -> set[str]:
    """The columns whose values the suite's expectations (of one type, if given) read."""
    return {
        e["kwargs"]["column"]
        for e in suite["expectations"]
        if "column" in e.get("kwargs", {}) and expectation_type in (None, e["type"])
    }


def _batch_frame(
    con: duckdb.DuckDBPyConnection, suite: Mapping[str, Any], suites_dir: Path
) -> pd.DataFrame:
    """The rows the suite validates, as its `meta.batch` says."""
    batch = suite["meta"]["batch"]
    if "table" in batch:
        schema, _, table = batch["table"].rpartition(".")
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [schema or "main", table],
            ).fetchall()
            if name not in PERSONAL_HEADERS
        ]
        if not columns:
            raise duckdb.CatalogException(f"table {batch['table']} does not exist")
        source = f"{quote_ident(schema or 'main')}.{quote_ident(table)}"
        if "where" in batch:  # e.g. only the current delivery: earlier ones were checked before
            source += f" where {batch['where']}"
        if batch.get("distinct_values"):
            return _distinct_values_frame(
                con,
                source,
                columns,
                _value_columns(suite),
                _value_columns(suite, "expect_column_values_to_not_be_null"),
            )
        sql = f"select {', '.join(quote_ident(c) for c in columns)} from {source}"
    else:
        sql = (suites_dir / batch["query"]).read_text(encoding="utf-8")
    frame = con.sql(sql).df()
    # Integer columns holding NULL arrive as pandas' nullable Int64, whose NA makes GX's
    # comparisons raise ("boolean value of NA is ambiguous"): use float NaN instead.
    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_extension_array_dtype(dtype) and pd.api.types.is_numeric_dtype(dtype):
            frame[column] = frame[column].astype("float64")
    personal = sorted(set(frame.columns) & set(PERSONAL_HEADERS))
    if personal:  # a reviewed query must never select them; refuse rather than drop silently
        raise ValueError(f"{batch} returns personal columns {personal}: remove them from it")
    return frame


def _distinct_values_frame(
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: list[str],
    value_columns: set[str],
    not_null_columns: set[str],
) -> pd.DataFrame:
    """Each column's distinct values (NULL included), as text, in one DuckDB pass.

    Whether every value is in a set, matches a pattern or is not null depends only on which
    values occur, so GX gets the same verdicts from a frame of a few rows as from the table,
    at any size (1M rows x 140 columns would be gigabytes in pandas). A shorter column is
    padded with NULL, which value checks skip, or, if a not-null check reads it, with its
    commonest value: neither changes a verdict. Keep high-cardinality columns (Response ID) out
    of such a suite: count them in a query instead. A failure names the offending values, not
    the rows: the ingest report names the rows.
    """
    checked = [c for c in columns if c in value_columns]
    if not checked:
        return pd.DataFrame({c: pd.Series([None], dtype=object) for c in columns})
    # UNPIVOT + GROUP BY, not list(distinct ...): a grouping spills to disk under DuckDB's
    # memory limit; 80 distinct-lists over 1M rows ran out of a 1 GB limit.
    texts = ", ".join(f"cast({quote_ident(c)} as varchar) as {quote_ident(c)}" for c in checked)
    rows = con.execute(
        f"""
        select column_name, value
        from (select {texts} from {source})
        unpivot include nulls (value for column_name in ({", ".join(map(quote_ident, checked))}))
        group by all
        order by column_name, count(*) desc, value
        """
    ).fetchall()
    values: dict[str, list[str | None]] = {c: [] for c in checked}
    for column, value in rows:  # a few rows per column, at any number of respondents
        values[column].append(value)
    height = max(len(v) for v in values.values())
    padded = {}
    for column in columns:
        present = values.get(column, [])
        filler = present[0] if column in not_null_columns and present else None
        padded[column] = present + [filler] * (height - len(present))
    return pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in padded.items()})


def _validate(frame: pd.DataFrame, suite: Mapping[str, Any]) -> dict[str, Any]:
    return gx_worker.call("validate", frame, suite)  # gx_calls.validate, in the GX worker


def _label(config: Mapping[str, Any]) -> str:
    kwargs = config.get("kwargs", {})
    columns = (
        [kwargs["column"]]
        if "column" in kwargs
        else [kwargs["column_A"], kwargs["column_B"]]
        if "column_A" in kwargs
        else list(kwargs.get("column_list", []))
    )
    return f"{config['type']}({', '.join(columns)})"


def _error(result: Mapping[str, Any]) -> str | None:
    info = result.get("exception_info") or {}
    if "raised_exception" in info:  # one flat record
        info = {"": info}
    messages = [i.get("exception_message") for i in info.values() if i.get("raised_exception")]
    return "; ".join(sorted({str(m) for m in messages})) or None


def _expectation_outcome(result: Mapping[str, Any]) -> ExpectationOutcome:
    details = result.get("result") or {}
    observed = details.get("observed_value")
    if details.get("details"):
        observed = {"observed_value": observed, "details": details["details"]}
    return ExpectationOutcome(
        expectation=_label(result["expectation_config"]),
        success=bool(result["success"]),
        unexpected_count=details.get("unexpected_count"),
        observed=observed,
        error=_error(result),
    )


def _failing_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What failed in one expectation: rows with their identifying columns, values or details."""
    label = _label(result["expectation_config"])
    error = _error(result)
    if error:
        return [{"expectation": label, "error": error[:300]}]
    details = result.get("result") or {}
    rows = details.get("partial_unexpected_index_list") or []
    if rows and all(isinstance(row, Mapping) for row in rows):  # with meta.sample_columns
        return [{"expectation": label, **row} for row in rows]
    if details.get("partial_unexpected_list"):  # each value once (a padded batch repeats)
        values = list(dict.fromkeys(map(json.dumps, plain(details["partial_unexpected_list"]))))
        return [{"expectation": label, "value": json.loads(v)} for v in values]
    observed = {k: details[k] for k in ("observed_value", "details") if k in details}
    return [{"expectation": label, **observed}]


def _sample(results: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    """At most SAMPLE_LIMIT failing rows, taken in turn from each failed expectation so that a
    burst in one column cannot hide the others."""
    queues = [_failing_rows(r) for r in results if not r["success"]]
    sample: list[dict[str, Any]] = []
    depth = 0
    while len(sample) < SAMPLE_LIMIT and any(depth < len(q) for q in queues):
        sample += [q[depth] for q in queues if depth < len(q)]
        depth += 1
    return tuple(sample[:SAMPLE_LIMIT])
