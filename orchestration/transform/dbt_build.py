"""`dbt build` in the refresh's own process (dbt's `dbtRunner`), not a dbt subprocess.

The refresh has imported dbt-core already (dagster-dbt reads the manifest with it), so a dbt
subprocess paid Python's start, dbt's import and its set-up a second time, and dagster-dbt then
parsed every line of dbt's JSON log in this process to learn which models were built. In-process,
dbt starts from the imported modules and the previous run's parse; what was built is read once
from dbt's own run_results.json. dbt's log lines go to this process's output (the refresh's full
log). dbt dies with the refresh, whatever kills it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.runtime.settings import DBT_PROJECT_DIR

KEEP_DBT_RUNS = 10
PARTIAL_PARSE = "partial_parse.msgpack"


def reuse_partial_parse(runs_dir: Path, target: Path) -> None:
    """Start dbt from the previous run's parse state.

    dbt drops its partial parse when the profile differs, and the profile holds the warehouse
    path: the project's own state (built by `make manifest` for the default data folder) is
    useless to any other PHC_DATA_DIR, which then paid a full parse (3-4 s) on every refresh.
    The last run in the same data folder has the same profile; dbt re-parses whatever files
    changed since. Without one (the first refresh of a data folder), the project's own state.
    """
    previous = (
        sorted(runs_dir.glob(f"*/{PARTIAL_PARSE}"), key=lambda path: path.stat().st_mtime)
        if runs_dir.exists()
        else []
    )
    previous = previous or [
        path for path in [DBT_PROJECT_DIR / "target" / PARTIAL_PARSE] if path.exists()
    ]
    if previous:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(previous[-1], target / PARTIAL_PARSE)


def prune_run_folders(folder: Path, keep: int) -> None:
    runs = (
        sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime) if folder.exists() else []
    )
    for old in runs[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


# The node types that are Dagster assets (dbt's tests are not: see translator.py).
ASSET_RESOURCE_TYPES = ("model", "seed", "snapshot")


def run(
    args: Sequence[str], target: Path, project_dir: Path = DBT_PROJECT_DIR, cwd: Path | None = None
):
    """Run dbt with args in this process, in folder `cwd` (the data folder: the warehouse path
    in dbt's profile is relative to it, see `Settings.dbt_env`); its artifacts and log go to
    target. Every other path dbt gets is absolute. Returns dbt's `dbtRunnerResult`."""
    from dbt.cli.main import dbtRunner

    before = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(project_dir),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(target),
                "--log-path",
                str(target),
                "--no-use-colors",  # plain text in the refresh's log file
            ]
        )
    finally:
        close_warehouse()
        os.chdir(before)


def invoke(
    args: Sequence[str], target: Path, project_dir: Path = DBT_PROJECT_DIR, cwd: Path | None = None
) -> tuple[bool, BaseException | None]:
    """`run`, for the refresh: whether dbt succeeded, and the exception it ended with."""
    result = run(args, target, project_dir, cwd)
    return result.success, result.exception


def close_warehouse() -> None:
    """Close dbt-duckdb's cached DuckDB instance: the checks and the publish open the same
    file next, in this process, with their own configuration (DuckDB refuses a second instance
    of one file with a different one)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def built_assets(
    run_results: Path, manifest: Mapping[str, Any], asset_key: Any
) -> Iterator[dg.AssetKey]:
    """The asset keys of the models and seeds dbt built successfully, in the order it did."""
    if not run_results.exists():
        return
    for result in json.loads(run_results.read_text())["results"]:
        node = manifest["nodes"].get(result["unique_id"])
        if node and node["resource_type"] in ASSET_RESOURCE_TYPES and result["status"] == "success":
            yield asset_key(node)
