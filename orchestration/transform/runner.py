"""Run dbt with the warehouse's settings: `phc dbt parse` (`make manifest`).

The Makefile builds the manifest through this, so dbt sees the same DuckDB path as Dagster
without the path being written anywhere else.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration.runtime.settings import DBT_PROJECT_DIR, Settings


def dbt_command(args: list[str]) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
    ]


def run_dbt(args: list[str], settings: Settings | None = None) -> int:
    """dbt as a process, in the data folder (created if missing), where the profile's
    warehouse path points (`Settings.dbt_env`)."""
    settings = settings or Settings.from_env()
    settings.dbt_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.call(dbt_command(args), env=settings.dbt_env(), cwd=settings.dbt_dir)
