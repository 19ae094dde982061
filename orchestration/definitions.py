"""The Dagster code location: `make dev` and the daemon load `defs` from here.

Each stage package owns its Dagster definitions; this module merges them and adds what spans
the stages: the two jobs and the executor.
"""

import dagster as dg

# Modules, not their `defs`: Dagster refuses a code location with several Definitions objects
# at module scope.
from orchestration.automation import defs as automation
from orchestration.ingest import defs as ingest
from orchestration.publish import defs as publish
from orchestration.quality import defs as quality
from orchestration.quality import gx_worker
from orchestration.runtime.executor import serialized_in_process_executor
from orchestration.transform import defs as transform

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

# Great Expectations' import (~3 s of CPU, in the GX worker process) starts once the ingest has
# succeeded: it then overlaps the dbt build on the other core, and a refresh that rejects a file
# never pays for it. `make run` does the same through its run watcher (cli/progress.py).
START_CHECKS_AFTER = ("ingest_survey_extracts", gx_worker.start)

defs = dg.Definitions.merge(
    ingest.defs,
    transform.defs,
    quality.defs,
    publish.build_defs(transform.mart_keys()),
    automation.build_defs(refresh_job),
    dg.Definitions(
        jobs=[refresh_job, rebuild_job],
        # In process, one run at a time per data folder (runs launched by the UI or the
        # daemon; `make run` brings its own executor).
        executor=serialized_in_process_executor(after_step=START_CHECKS_AFTER),
    ),
)
