"""The publish gate: Great Expectations suites as one Dagster step of blocking asset checks.

The audit step of write-audit-publish, and the only Great Expectations step: response counts
and totals across the marts, against the published file analysts read now, and against the
report. The export contract is the ingest's (a broken file never loads), what must hold of a
model's rows is dbt's data tests, and how a model computes a column is its dbt unit test.
A failed blocking check stops everything downstream (the publish and the exports), so analysts
keep the last published warehouse; each failure is alerted with a sample of values.
"""

import dagster as dg
import duckdb

from orchestration.runtime.alerts import Alert, send_alert
from orchestration.runtime.settings import Settings

# Every suite the gate runs (expectations/<suite>.json), and the mart its result is shown on.
GATE_SUITES: dict[str, tuple[str, str]] = {
    "marts_respondent_bounds": ("marts", "responses"),
    "marts_vs_previous_publish": ("marts", "responses"),
    "marts_coding_totals": ("marts", "coding_queue"),
    "marts_reconciliation": ("marts", "reconciliation"),
}


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name=suite,
            asset=dg.AssetKey(list(key)),
            blocking=True,
            description=f"Great Expectations suite expectations/{suite}.json",
        )
        for suite, key in GATE_SUITES.items()
    ],
    name="publish_gate",
)
def publish_gate(context: dg.AssetCheckExecutionContext):
    """Response counts and totals of the marts, against the last publish and the report."""
    from orchestration.quality.suites import build_data_docs, run_suite  # pandas: when it runs

    settings = Settings.from_env()
    with duckdb.connect(
        str(settings.warehouse_path), read_only=True, config=settings.duckdb_config()
    ) as con:
        outcomes = [
            run_suite(con, suite, published_path=settings.published_path) for suite in GATE_SUITES
        ]
    docs = build_data_docs(outcomes, settings)
    for outcome in outcomes:
        key = GATE_SUITES[outcome.suite_name]
        if outcome.blocking and not outcome.success:
            _alert(context, outcome, ".".join(key), docs.parent, settings)
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(list(key)),
            check_name=outcome.suite_name,
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.blocking
            else dg.AssetCheckSeverity.WARN,
            metadata={**outcome.metadata(), "data_docs": dg.MetadataValue.path(str(docs))},
        )


def _alert(context, outcome, table: str, docs_dir, settings: Settings) -> None:
    send_alert(
        Alert(
            kind="check_failed",
            title=f"Blocking check {outcome.suite_name} failed on {table}",
            what_broke=outcome.protects + (f" Error: {outcome.error}" if outcome.error else ""),
            where=table,
            failing_values=list(outcome.failing_values),
            what_to_do=(
                "The published warehouse was NOT replaced: analysts still see the last good "
                "refresh. Look at the failing values (and the data docs in "
                f"{docs_dir}); fix the export or the model, then refresh again."
            ),
            run_id=context.run.run_id,
            incident_key=f"check_failed:{outcome.suite_name}",
        ),
        settings,
    )


defs = dg.Definitions(asset_checks=[publish_gate])
