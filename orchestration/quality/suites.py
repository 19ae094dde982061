"""The publish gate: run a reviewable Great Expectations suite of `expectations/` on the marts.

A suite file is GX 1.x JSON (`name`, `expectations`, `meta`). Its `meta` says what it protects,
whether a failure is `blocking`, which rows the batch holds (`batch.table`, or `batch.query`: a
`.sql` file beside the suites that lines up the numbers of a cross-table check), which columns
identify a failing row in the sample (`sample_columns`), and whether the query reads the file
analysts read now (`previous_publish`: attached read-only as the catalog `previous_publish`).
Which suites a refresh runs, and on which mart, is `GATE_SUITES` in quality/defs.py.

Pandas batches, not a SQL datasource: every batch is a query's few hundred rows at most.
Measured on this machine (GX 1.24.1, DuckDB 2.0.1, pandas 3.1):
- `import great_expectations`: 3.9-4.1 s, hence only in a worker process started early in the
  refresh (quality/gx_worker.py; the GX calls themselves are in quality/gx_calls.py);
- ephemeral context: 0.06-0.08 s; DuckDB query -> DataFrame 0.02 s;
- SQL datasource: GX has no DuckDB datasource; duckdb-engine 0.17.0 is on PyPI but not
  installed. Tried from a scratch directory with SQLAlchemy 2.1.9: every expectation failed
  after 0.7-1.0 s with MetricResolutionError ('list index out of range' in GX's bundled metric
  query). Not usable, and it would also need a second connection to a DuckDB file the refresh
  holds open.

Personal data (`IP Address`, `Q3.` contact columns) never enters a batch: table batches select
every other column, and a query returning one of them is refused. The failing-value sample is
built from batch columns only, so it cannot carry personal data either.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
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
from orchestration.runtime.sql_text import quote_ident, quote_literal

# The catalog a `previous_publish` suite's query reads the published file through.
PREVIOUS_PUBLISH = "previous_publish"


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
    if len(batch) != 1 or not batch.keys() <= {"table", "query"}:
        raise ValueError(f"{path}: meta.batch needs exactly one of 'table' or 'query'")
    if meta.get("previous_publish") and "query" not in batch:
        raise ValueError(f"{path}: meta.previous_publish needs a batch query that reads it")
    return suite


def run_suite(
    con: duckdb.DuckDBPyConnection,
    suite_name: str,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    reference_dir: Path = REFERENCE_EXTRACTS_DIR,
    published_path: Path | None = None,
) -> SuiteOutcome:
    """Validate one suite on the data `con` sees. Bad data (or a missing table) gives a failed
    outcome; only a bad suite file raises. A `previous_publish` suite compares with the file at
    `published_path` (with none there, the marts are compared with themselves)."""
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
        if meta.get("previous_publish"):
            with _previous_publish_attached(con, suite, expectations_dir, published_path):
                frame = _batch_frame(con, suite, expectations_dir)
        else:
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
        # (the one home of the current-delivery rule); the publish gate, which calls this,
        # runs after dbt built it. Later waves do not move the reconciled figures (they are
        # the report wave's only), so they do not make the reconciliation advisory.
        current = dict(
            con.execute(
                "select survey, sha256 from staging.stg_raw__deliveries "
                "where is_current and is_report_wave"
            ).fetchall()
        )
    except duckdb.Error:
        return False
    return bool(final) and current == final


def build_data_docs(outcomes: Iterable[SuiteOutcome], settings: Settings) -> Path:
    """Write GX's HTML data docs under `settings.data_docs_dir` and return its index.html.

    The outcomes are kept as JSON in `_results/` (only these: a suite no longer in the gate
    leaves the site) and the site is rebuilt from them, with no history piling up.
    """
    docs_dir = settings.data_docs_dir
    saved = docs_dir / RESULTS_DIRNAME
    if saved.is_dir():
        shutil.rmtree(saved)
    saved.mkdir(parents=True)
    for outcome in outcomes:
        record = {
            "suite": outcome.suite,
            "checked_at": outcome.checked_at,
            "validation_result": outcome.validation_result,
        }
        (saved / f"{outcome.suite_name}.json").write_text(json.dumps(record), encoding="utf-8")
    gx_worker.call("render_data_docs", docs_dir)
    return docs_dir / "index.html"


# --- internals -------------------------------------------------------------------------------


@contextlib.contextmanager
def _previous_publish_attached(
    con: duckdb.DuckDBPyConnection,
    suite: Mapping[str, Any],
    suites_dir: Path,
    published_path: Path | None,
) -> Iterator[None]:
    """The published file attached read-only as PREVIOUS_PUBLISH for the block.

    With no published file yet (the first publish), or one the query cannot read (written by
    a version of the project whose marts lacked a column it compares), the working warehouse
    itself stands in: every comparison is then with itself, and passes. (DuckDB attaches a
    file a second time only when `con` is read-only, as the gate's connection is.)
    """
    (own_path,) = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()

    def attach(path: Path | str) -> None:
        con.execute(f"attach {quote_literal(str(path))} as {PREVIOUS_PUBLISH} (read_only)")

    stand_in = True
    if published_path is not None and published_path.is_file():
        attach(published_path)
        try:
            con.execute(f"select * from ({_query_text(suite, suites_dir)}) limit 0")
            stand_in = False
        except duckdb.Error:
            con.execute(f"detach {PREVIOUS_PUBLISH}")
    if stand_in:
        attach(own_path)
    try:
        yield
    finally:
        con.execute(f"detach {PREVIOUS_PUBLISH}")


def _query_text(suite: Mapping[str, Any], suites_dir: Path) -> str:
    return (suites_dir / suite["meta"]["batch"]["query"]).read_text(encoding="utf-8")


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
        sql = f"select {', '.join(quote_ident(c) for c in columns)} from {source}"
    else:
        sql = _query_text(suite, suites_dir)
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
    if details.get("partial_unexpected_list"):  # each value once
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
