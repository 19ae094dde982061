"""The dbt project as Dagster assets: every model and seed an asset; `dbt build` runs them and
their tests in one step."""

import os

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.runtime.alerts import send_alert
from orchestration.runtime.settings import Settings
from orchestration.transform.dbt_cli import (
    DBT_PROJECT,
    KEEP_DBT_RUNS,
    dbt_resource,
    prune_run_folders,
    reuse_partial_parse,
)
from orchestration.transform.results import summarize_run_results
from orchestration.transform.translator import TRANSLATOR


class ManifestMissing(FileNotFoundError):
    pass


def manifest_path() -> os.PathLike:
    path = DBT_PROJECT.manifest_path
    if not path.exists():
        raise ManifestMissing(
            f"The dbt manifest {path} does not exist. Build it with `make manifest` "
            "(`make run`, `make test` and `make dev` do it for you)."
        )
    return path


# dbt's unit tests check the SQL, not the data: `make test` runs them
# (tests/integration/test_dbt_unit.py), as dbt advises, rather than every refresh
# (4 unit tests: ~1 s a refresh).
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


@dbt_assets(manifest=manifest_path(), dagster_dbt_translator=TRANSLATOR)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: seeds, staging, intermediate and marts, and their data tests."""
    settings = Settings.from_env()
    # The dbt subprocess inherits this process's environment: give it the shared DuckDB path.
    os.environ.update(settings.dbt_env())
    # Each run's dbt artifacts go under the data folder, not the source tree; keep a few.
    target = settings.dbt_runs_dir / context.run.run_id
    reuse_partial_parse(settings.dbt_runs_dir, target)
    try:
        invocation = dbt.cli(BUILD_ARGS, context=context, target_path=target, raise_on_error=False)
        for event in invocation.stream():
            if not isinstance(event, dg.AssetObservation):  # observations: test results
                yield event
        outcome = summarize_run_results(target / "run_results.json")
        if not invocation.is_successful():
            # Alert here, naming the failed tests: the run-failure alert would only say
            # which step failed.
            send_alert(outcome.alert(target, context.run.run_id), settings)
            raise dg.Failure(
                description=outcome.failure_message(target),
                metadata=outcome.metadata(),
            )
        context.log.info(outcome.summary())
    finally:
        prune_run_folders(settings.dbt_runs_dir, keep=KEEP_DBT_RUNS)




def mart_keys() -> list[dg.AssetKey]:
    """The marts' asset keys, in name order: what the publish stage copies for analysts."""
    return sorted(
        (key for key in warehouse_dbt_assets.keys if key.path[0] == "marts"),
        key=lambda key: key.to_user_string(),
    )


defs = dg.Definitions(assets=[warehouse_dbt_assets], resources={"dbt": dbt_resource()})
