"""The Dagster code location: `dagster dev` / `dg` load `defs` from here."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import dbt_resource, warehouse_dbt_assets
from orchestration.assets.ingest import ingest_survey_extracts

# One in-process executor: DuckDB allows one writer per file, and a subprocess per step would
# cost seconds each and could open two writers at once.
refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest the landing folder, build and test the dbt project.",
)

defs = dg.Definitions(
    assets=[ingest_survey_extracts, warehouse_dbt_assets],
    jobs=[refresh_job],
    resources={"dbt": dbt_resource()},
    executor=dg.in_process_executor,
)
