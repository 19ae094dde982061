"""End to end with the real Dagster daemon: the landing sensor refreshes and publishes; a
broken export raises an alert and leaves the published marts as they were."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.runtime.instance import DAGSTER_YAML
from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT
from reference.rows import response, write_extract
from tests.support.pipeline import ensure_manifest
from tests.support.warehouse import logged_alerts

pytestmark = pytest.mark.slow

DEADLINE_SECONDS = 300


def wait_for(condition, what: str, timeout: float = DEADLINE_SECONDS, daemon=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if daemon is not None and daemon.poll() is not None:
            raise AssertionError(f"the daemon exited ({daemon.returncode}) waiting for {what}")
        time.sleep(2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def deliver(source: Path, landing: Path, name: str) -> None:
    """Copy in under a hidden name, then rename: how a careful data engineer drops a file."""
    temp = landing / f".{name}.part"
    shutil.copy(source, temp)
    os.replace(temp, landing / name)


def alerts(data_dir: Path) -> list[dict]:
    return logged_alerts(data_dir)


def test_daemon_sensor_refreshes_publishes_and_alerts(tmp_path: Path):
    ensure_manifest()
    home, data, landing = tmp_path / "dagster_home", tmp_path / "data", tmp_path / "landing"
    home.mkdir()
    landing.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PHC_DATA_DIR": str(data),
        "PHC_LANDING_DIR": str(landing),
        "PHC_LANDING_SETTLE_SECONDS": "1",
        "PHC_SENSOR_INTERVAL_SECONDS": "3",  # the sensor looks every 3 s, not 15
        "DO_NOT_TRACK": "1",
    }
    log = (tmp_path / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("dagster-daemon")),
            "run",
            "-m",
            "orchestration.definitions",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the daemon ignores SIGTERM
    )
    published = data / "published" / "warehouse.duckdb"
    try:
        for name in ("police_20171020.csv", "national_20171020.csv"):
            deliver(REFERENCE_EXTRACTS_DIR / name, landing, name)
        wait_for(published.exists, "the sensor's refresh to publish", daemon=daemon)
        with duckdb.connect(str(published), read_only=True) as con:
            assert con.execute(
                "select included from marts.responses where survey = 'police'"
            ).fetchone() == (40,)
        before = published.read_bytes()

        broken = tmp_path / "broken.csv"
        write_extract(broken, "police", [response(1, "Done")])
        deliver(broken, landing, "police_20171101.csv")
        wait_for(
            lambda: any(a["kind"] == "file_rejected" for a in alerts(data)),
            "the rejection alert",
            daemon=daemon,
        )
        rejected = next(a for a in alerts(data) if a["kind"] == "file_rejected")
        assert "police_20171101.csv" in rejected["where"]
        assert "Done" in json.dumps(rejected["failing_values"])
        assert published.read_bytes() == before
    finally:
        os.killpg(daemon.pid, signal.SIGKILL)
        daemon.wait(timeout=30)
        log.close()
