"""The dbt project as Dagster assets: every model and seed an asset; `dbt build` runs them and
their tests in one step."""

import importlib.metadata
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from packaging import version

from orchestration.alerts import send_alert
from orchestration.config import DBT_PROJECT_DIR, Settings
from orchestration.dbt_results import summarize_run_results

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


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


class WarehouseTranslator(DagsterDbtTranslator):
    """Keys `<schema>/<name>` (marts/area_of_work), groups by layer; sources keep raw/<table>."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            schema = dbt_resource_props.get("config", {}).get("schema") or "main"
            return dg.AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


# dbt's data tests run inside `dbt build` and any failure fails this step (so nothing is
# published), but they are not Dagster asset checks: each check costs two events in the run's
# SQLite event log and a place in every run's job snapshot, measured at ~9 s of a 50 s
# reference refresh. The step reports the test results in one summary instead.
TRANSLATOR = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False))


# dbt's unit tests check the SQL, not the data: `make test` runs them (tests/test_dbt_unit.py),
# as dbt advises, rather than every refresh (4 unit tests: ~1 s a refresh).
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


KEEP_DBT_RUNS = 10
PARTIAL_PARSE = "partial_parse.msgpack"


def reuse_partial_parse(runs_dir: Path, target: Path) -> None:
    """Start dbt from the previous run's parse state.

    dbt drops its partial parse when the profile differs, and the profile holds the warehouse
    path: the project's own state (built by `make manifest` for the default data folder) is
    useless to any other PHC_DATA_DIR, which then paid a full parse (3-4 s) on every refresh.
    The last run in the same data folder has the same profile; dbt re-parses whatever files
    changed since. Without one, dagster-dbt copies the project's state as before.
    """
    previous = (
        sorted(runs_dir.glob(f"*/{PARTIAL_PARSE}"), key=lambda path: path.stat().st_mtime)
        if runs_dir.exists()
        else []
    )
    if previous:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(previous[-1], target / PARTIAL_PARSE)


def prune_run_folders(folder: Path, keep: int) -> None:
    runs = (
        sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime) if folder.exists() else []
    )
    for old in runs[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


class WarehouseDbtCliResource(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        # dbt-core is a pinned package of this virtualenv: read its version rather than start
        # `dbt --version` in a subprocess on every refresh (about 2.5 s).
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        # dagster-dbt opens a dbt adapter in this process before every command, only for
        # fetch_row_counts()/fetch_column_metadata(), which this project does not call: 1.7 s
        # per refresh (measured), and a second DuckDB client of the warehouse file.
        return None


def dbt_resource() -> DbtCliResource:
    # The dbt of this virtualenv (whether or not its bin/ is on PATH), through a wrapper that
    # makes it die with the refresh (see dbt_child.py).
    dbt = Path(sys.executable).with_name("phc-dbt")
    return WarehouseDbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(dbt))
