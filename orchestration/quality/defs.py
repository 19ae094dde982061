"""Great Expectations suites as Dagster asset checks: the audit step of write-audit-publish.

Blocking checks stop everything downstream (the publish and the exports) when they fail, so
analysts keep the last published warehouse; each failure is alerted with a sample of values.
"""

from collections.abc import Iterator

import dagster as dg
import duckdb

from orchestration.runtime.alerts import Alert, send_alert
from orchestration.runtime.settings import Settings

RAW_SUITE_ASSETS = {
    "raw_police_responses": ["raw", "police_responses"],
    "raw_national_responses": ["raw", "national_responses"],
    "raw_response_ids": ["raw", "deliveries"],
    "raw_deliveries_monotonic": ["raw", "deliveries"],
}
MART_SUITE_ASSETS = {
    "marts_responses": ["marts", "responses"],
    "marts_area_of_work": ["marts", "area_of_work"],
    "marts_area_of_work_vs_surveys": ["marts", "area_of_work"],
    "marts_area_of_work_by_survey": ["marts", "area_of_work_by_survey"],
    "marts_question_responses": ["marts", "question_responses"],
    "marts_coding_totals": ["marts", "coding_queue"],
    "marts_reconciliation": ["marts", "reconciliation"],
}


def _specs(suites: dict[str, list[str]]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            name=suite,
            asset=dg.AssetKey(key),
            blocking=True,
            description=f"Great Expectations suite expectations/{suite}.json",
        )
        for suite, key in suites.items()
    ]


def _run_suites(
    context: dg.AssetCheckExecutionContext, suites: dict[str, list[str]], *, render_docs: bool
) -> Iterator[dg.AssetCheckResult]:
    from orchestration.quality.suites import build_data_docs, run_suite  # pandas: when checks run

    settings = Settings.from_env()
    outcomes = []
    with duckdb.connect(
        str(settings.warehouse_path), read_only=True, config=settings.duckdb_config()
    ) as con:
        for suite in suites:
            outcomes.append(run_suite(con, suite))
    # The raw checks leave the site to the mart checks that follow, unless they stop the run.
    stops_the_run = any(o.blocking and not o.success for o in outcomes)
    docs = build_data_docs(outcomes, settings, render=render_docs or stops_the_run)
    for suite, outcome in zip(suites, outcomes, strict=True):
        failed_blocking = outcome.blocking and not outcome.success
        metadata = {**outcome.metadata(), "data_docs": dg.MetadataValue.path(str(docs))}
        if failed_blocking:
            table = ".".join(suites[suite])
            send_alert(
                Alert(
                    kind="check_failed",
                    title=f"Blocking check {suite} failed on {table}",
                    what_broke=outcome.protects
                    + (f" Error: {outcome.error}" if outcome.error else ""),
                    where=table,
                    failing_values=list(outcome.failing_values),
                    what_to_do=(
                        "The published warehouse was NOT replaced: analysts still see the last "
                        "good refresh. Look at the failing values (and the data docs in "
                        f"{docs.parent}); fix the export or the model, then refresh again."
                    ),
                    run_id=context.run.run_id,
                    incident_key=f"check_failed:{suite}",
                ),
                settings,
            )
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(suites[suite]),
            check_name=suite,
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.blocking
            else dg.AssetCheckSeverity.WARN,
            metadata=metadata,
        )


@dg.multi_asset_check(specs=_specs(RAW_SUITE_ASSETS), name="raw_contract_checks")
def raw_contract_checks(context: dg.AssetCheckExecutionContext):
    """The export contract and full-snapshot rule on everything in `raw`."""
    yield from _run_suites(context, RAW_SUITE_ASSETS, render_docs=False)


@dg.multi_asset_check(specs=_specs(MART_SUITE_ASSETS), name="mart_quality_checks")
def mart_quality_checks(context: dg.AssetCheckExecutionContext):
    """Response counts and totals of the marts, and the reconciliation with the report."""
    yield from _run_suites(context, MART_SUITE_ASSETS, render_docs=True)


defs = dg.Definitions(asset_checks=[raw_contract_checks, mart_quality_checks])
