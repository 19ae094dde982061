"""The dbt command line as this project runs it: dies with the refresh, starts fast, keeps the
artifacts of the last few refreshes under the data folder."""

import importlib.metadata
import shutil
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.runtime.settings import DBT_PROJECT_DIR

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


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
    # makes it die with the refresh (see transform/child.py).
    dbt = Path(sys.executable).with_name("phc-dbt")
    return WarehouseDbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(dbt))
