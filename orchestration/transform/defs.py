"""The dbt project as Dagster assets: every model and seed an asset; `dbt build` runs them and
their tests in one step, in the refresh's own process (transform/dbt_build.py)."""

import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject, dbt_assets
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context

from orchestration.runtime.alerts import send_alert
from orchestration.runtime.settings import DBT_PROJECT_DIR, Settings
from orchestration.transform import dbt_build
from orchestration.transform.results import summarize_run_results
from orchestration.transform.translator import TRANSLATOR

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
KEEP_DBT_RUNS = 10


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
def warehouse_dbt_assets(context: dg.AssetExecutionContext):
    """`dbt build`: seeds, staging, intermediate and marts, and their data tests."""
    settings = Settings.from_env()
    # dbt's profile reads the shared DuckDB path from the environment.
    os.environ.update(settings.dbt_env())
    # Each run's dbt artifacts go under the data folder, not the source tree; keep a few.
    target = settings.dbt_runs_dir / context.run.run_id
    dbt_build.reuse_partial_parse(settings.dbt_runs_dir, target)
    # The models of this run's asset selection (all of them in a refresh), as dagster-dbt
    # would pass them to a dbt subprocess.
    params = get_updated_cli_invocation_params_for_context(
        context=context, manifest={}, dagster_dbt_translator=TRANSLATOR
    )
    project_dir = Path(params.dbt_project.project_dir) if params.dbt_project else DBT_PROJECT_DIR
    indirect = ["--indirect-selection", params.indirect_selection] * bool(params.indirect_selection)
    try:
        success, error = dbt_build.invoke(
            [*BUILD_ARGS, *params.selection_args, *indirect], target, project_dir, settings.dbt_dir
        )
        results = target / "run_results.json"
        selected = context.selected_asset_keys
        for key in dbt_build.built_assets(results, params.manifest, TRANSLATOR.get_asset_key):
            if key in selected:
                yield dg.MaterializeResult(asset_key=key)
        outcome = summarize_run_results(results)
        if not success:
            # Alert here, naming the failed tests: the run-failure alert would only say
            # which step failed.
            send_alert(outcome.alert(target, context.run.run_id), settings)
            raise dg.Failure(
                description=outcome.failure_message(target)
                + (f"\n{error.__class__.__name__}: {error}" if error else ""),
                metadata=outcome.metadata(),
            )
        context.log.info(outcome.summary())
    finally:
        dbt_build.prune_run_folders(settings.dbt_runs_dir, keep=KEEP_DBT_RUNS)


def mart_keys() -> list[dg.AssetKey]:
    """The marts' asset keys, in name order: what the publish stage copies for analysts."""
    return sorted(
        (key for key in warehouse_dbt_assets.keys if key.path[0] == "marts"),
        key=lambda key: key.to_user_string(),
    )


defs = dg.Definitions(assets=[warehouse_dbt_assets])
