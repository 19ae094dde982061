"""The Dagster code location: `make dev` and the daemon load `defs` from here.

Each stage package owns its Dagster definitions; this module merges them and adds what spans
the stages: the two jobs and the executor.
"""

import dagster as dg

# The stages' modules, not their Definitions: Dagster refuses a code location module with
# more than one Definitions object at module scope (`dagster-daemon run -m ...` would fail).
from orchestration.automation.defs import build_defs as automation_defs
from orchestration.ingest import defs as ingest_stage
from orchestration.publish.defs import build_defs as publish_defs
from orchestration.quality import defs as quality_stage
from orchestration.quality import gx_worker
from orchestration.runtime.executor import serialized_in_process_executor
from orchestration.transform import defs as transform_stage
from orchestration.transform.defs import mart_keys

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

defs = dg.Definitions.merge(
    ingest_stage.defs,
    transform_stage.defs,
    quality_stage.defs,
    publish_defs(mart_keys()),
    automation_defs(refresh_job),
    dg.Definitions(
        jobs=[refresh_job, rebuild_job],
        # In process, one run at a time per data folder; the GX worker starts first, so its
        # import overlaps the ingest (runs launched by the UI or the daemon).
        executor=serialized_in_process_executor(before_run=gx_worker.start),
    ),
)
