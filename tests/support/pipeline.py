"""Run the whole refresh (real Dagster, real dbt, real DuckDB) from tests."""

from __future__ import annotations

import functools
import importlib
import os
import shutil
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.runtime.settings import DBT_PROJECT_DIR
from orchestration.transform import dbt_build, manifest


@functools.cache
def ensure_manifest() -> None:
    """Build the dbt manifest (if stale) before definitions are loaded; once per process."""
    if manifest.ensure_manifest() != 0:
        raise RuntimeError(f"dbt parse failed in {DBT_PROJECT_DIR}")


def definitions() -> dg.Definitions:
    ensure_manifest()
    return importlib.import_module("orchestration.definitions").defs


def run_refresh(instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    job = definitions().resolve_job_def("refresh")
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False
    )


def run_build(instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    """The refresh job's first two steps only, ingest and `dbt build` (real Dagster, dbt and
    DuckDB), for tests that read the working warehouse: the publish gate, the publish and the
    exports add ~4 s of CPU a refresh and nothing those tests look at."""
    from orchestration.ingest.defs import ingest_survey_extracts
    from orchestration.transform.defs import warehouse_dbt_assets

    job = definitions().resolve_job_def("refresh")
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        asset_selection=[*ingest_survey_extracts.keys, *warehouse_dbt_assets.keys],
    )


def invoke_dbt(args: list[str], target: Path, project_dir: Path = DBT_PROJECT_DIR) -> Any:
    """dbt in this process (`dbt_build.run`) on the project (or a copy of it in `project_dir`),
    with its artifacts and logs in `target`; the warehouse is whatever PHC_WAREHOUSE_PATH names.
    Returns dbt's result.

    As the refresh runs it (`Settings.dbt_env`): in the warehouse's folder, the profile naming
    the file relative to it, and from the project's last parse when `target` has none, so dbt
    parses only what changed instead of the whole project."""
    warehouse = Path(os.environ["PHC_WAREHOUSE_PATH"])
    parse = DBT_PROJECT_DIR / "target" / dbt_build.PARTIAL_PARSE
    if not (target / dbt_build.PARTIAL_PARSE).exists() and parse.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(parse, target / dbt_build.PARTIAL_PARSE)
    os.environ["PHC_WAREHOUSE_PATH"] = warehouse.name
    try:
        # dbt_build.run closes dbt-duckdb's DuckDB instance, kept for the process and keyed by
        # the profile: the next call, in another folder with the same relative path, would
        # otherwise reuse this one's file.
        return dbt_build.run(args, target, project_dir, cwd=warehouse.parent)
    finally:
        os.environ["PHC_WAREHOUSE_PATH"] = str(warehouse)
