"""`make dev`: the Dagster UI (and daemon, for schedules and sensors) on localhost."""

from __future__ import annotations

import os
import sys

from orchestration.runtime.instance import ensure_dagster_home
from orchestration.runtime.permissions import restrict_umask
from orchestration.runtime.settings import ConfigError, Settings


def main() -> None:
    try:
        settings = Settings.from_env()
        settings.check_ready()
    except ConfigError as error:
        raise SystemExit(f"Configuration error: {error}") from None
    restrict_umask()  # the daemon, web server and their runs create owner-only files
    os.environ["DAGSTER_HOME"] = str(ensure_dagster_home(settings))
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    port = str(settings.dagster_port)
    os.execv(
        dagster, [dagster, "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", port]
    )
