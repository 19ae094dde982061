"""The dbt project as Dagster assets: every model and seed an asset, every dbt test a check."""

import importlib.metadata
import os
import shutil
import sys
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from orchestration.config import DBT_PROJECT_DIR, Settings

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


@dbt_assets(manifest=manifest_path(), dagster_dbt_translator=WarehouseTranslator())
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: seeds, staging, intermediate and marts, with their tests as checks."""
    settings = Settings.from_env()
    # The dbt subprocess inherits this process's environment: give it the shared DuckDB path.
    os.environ.update(settings.dbt_env())
    # Each run's dbt artifacts go under the data folder, not the source tree; keep a few.
    target = settings.dbt_runs_dir / context.run.run_id
    try:
        yield from dbt.cli(["build"], context=context, target_path=target).stream()
    finally:
        prune_run_folders(settings.dbt_runs_dir, keep=KEEP_DBT_RUNS)


KEEP_DBT_RUNS = 10


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


def dbt_resource() -> DbtCliResource:
    # The dbt of this virtualenv (whether or not its bin/ is on PATH), through a wrapper that
    # makes it die with the refresh (see dbt_child.py).
    dbt = Path(sys.executable).with_name("phc-dbt")
    return WarehouseDbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(dbt))
