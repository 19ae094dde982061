"""The Dagster instance (run history, schedules, sensors) kept under the data folder."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.runtime.settings import Settings

# No telemetry leaves the machine.
DAGSTER_YAML = """\
telemetry:
  enabled: false
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
"""


def ensure_dagster_home(settings: Settings) -> Path:
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return home


def get_instance(settings: Settings) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(ensure_dagster_home(settings)))
