"""The Dagster code location: `dagster dev` / `make dev` load `defs` from here."""

import dagster as dg

from orchestration.assets.dbt import dbt_resource, warehouse_dbt_assets
from orchestration.assets.ingest import ingest_survey_extracts
from orchestration.assets.publish import publish_for_analysts
from orchestration.assets.quality import mart_quality_checks, raw_contract_checks
from orchestration.automation import alert_on_refresh_failure, landing_sensor, refresh_schedule
from orchestration.refresh_lock import serialized_in_process_executor

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest the landing folder, build and test the dbt project, run the Great "
    "Expectations checks, publish the marts for analysts, write the report exports.",
)

rebuild_job = dg.define_asset_job(
    "rebuild",
    selection=dg.AssetSelection.all(),
    description="Rebuild the warehouse, the published file and the exports from the immutable "
    "archive alone (every archived export verified against its hash). `make rebuild` first "
    "moves the working file aside.",
    config={"ops": {"ingest_survey_extracts": {"config": {"source": "archive"}}}},
)

defs = dg.Definitions(
    assets=[ingest_survey_extracts, warehouse_dbt_assets, publish_for_analysts],
    asset_checks=[raw_contract_checks, mart_quality_checks],
    jobs=[refresh_job, rebuild_job],
    schedules=[refresh_schedule(refresh_job)],
    sensors=[landing_sensor(refresh_job), alert_on_refresh_failure],
    resources={"dbt": dbt_resource()},
    # In process (a subprocess per step costs seconds and could open two DuckDB writers) and
    # one run at a time per data folder (see refresh_lock.py).
    executor=serialized_in_process_executor,
)
