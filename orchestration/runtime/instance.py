"""The Dagster instance: run history, schedules and sensor state, and how runs are watched.

Its `dagster.yaml` is written here from the settings, into DAGSTER_HOME (by default
PHC_DATA_DIR/dagster_home, owner-only):
- storage: SQLite files in DAGSTER_HOME (embedded default), or PostgreSQL when
  PHC_DAGSTER_POSTGRES_URL is set (the URL is read from the environment by Dagster, `env:`, so
  no password is written to disk);
- one run at a time (the queued run coordinator), as DuckDB has one writer per file;
- run monitoring: the daemon marks a run whose process died as failed (`launcher.py` tells);
- no telemetry.

A dagster.yaml that a data engineer wrote (e.g. from `deploy/dagster.yaml`) is left alone: only
a file that starts with GENERATED is rewritten when the settings change.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.runtime.permissions import private_dir, private_file
from orchestration.runtime.settings import Settings

GENERATED = "# Written by phc from the settings (orchestration/runtime/instance.py)."

# How often the daemon checks that running runs still have a process, and how long a run may
# take to start before it is failed. A run whose process died is marked failed within
# RUN_MONITORING_POLL_SECONDS (plus a daemon iteration), then alerted by
# `alert_on_refresh_failure`.
RUN_MONITORING_POLL_SECONDS = 15
RUN_START_TIMEOUT_SECONDS = 300


def dagster_yaml(postgres: bool) -> str:
    """The instance configuration (PostgreSQL storage read from PHC_DAGSTER_POSTGRES_URL)."""
    storage = (
        """\
storage:
  postgres:
    postgres_url:
      env: PHC_DAGSTER_POSTGRES_URL
"""
        if postgres
        else ""
    )
    return f"""\
{storage}run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
run_launcher:
  module: orchestration.runtime.launcher
  class: WarehouseRunLauncher
run_monitoring:
  enabled: true
  start_timeout_seconds: {RUN_START_TIMEOUT_SECONDS}
  poll_interval_seconds: {RUN_MONITORING_POLL_SECONDS}
  max_resume_run_attempts: 0
telemetry:
  enabled: false
"""


# The embedded default (tests and tools that write a DAGSTER_HOME of their own use it).
DAGSTER_YAML = dagster_yaml(postgres=False)
# What earlier versions wrote, without the GENERATED line: replaced too.
_EARLIER = (
    "telemetry:\n  enabled: false\nrun_coordinator:\n  module: dagster._core.run_coordinator\n"
    "  class: QueuedRunCoordinator\n  config:\n    max_concurrent_runs: 1\n"
)


def ensure_dagster_home(settings: Settings) -> Path:
    """DAGSTER_HOME, owner-only, with the dagster.yaml the settings call for."""
    home = private_dir(settings.dagster_home)
    config = home / "dagster.yaml"
    wanted = f"{GENERATED}\n{dagster_yaml(settings.dagster_postgres_url is not None)}"
    existing = config.read_text() if config.exists() else None
    ours = existing is None or existing.startswith(GENERATED) or existing == _EARLIER
    if ours and existing != wanted:
        config.write_text(wanted)
    private_file(config)
    return home


def get_instance(settings: Settings) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(ensure_dagster_home(settings)))
