"""Run the whole refresh (real Dagster, real dbt, real DuckDB) from tests."""

from __future__ import annotations

import functools
import importlib

import dagster as dg

from orchestration.config import DBT_PROJECT_DIR
from orchestration.dbt_runner import run_dbt


@functools.cache
def ensure_manifest() -> None:
    """Build the dbt manifest once per test session, before definitions are loaded."""
    if run_dbt(["parse", "--quiet"]) != 0:
        raise RuntimeError(f"dbt parse failed in {DBT_PROJECT_DIR}")


def definitions() -> dg.Definitions:
    ensure_manifest()
    return importlib.import_module("orchestration.definitions").defs


def run_refresh(instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    job = definitions().resolve_job_def("refresh")
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
