"""Running as a service: the Dagster instance the settings call for, the deploy/ files, and the
real daemon on a real PostgreSQL server (a throwaway cluster), with run monitoring."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from orchestration.runtime.instance import GENERATED, dagster_yaml, ensure_dagster_home
from orchestration.runtime.launcher import WORKER_TAG, worker_alive, worker_tags
from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT, ConfigError, Settings
from tests.support.pipeline import ensure_manifest
from tests.support.warehouse import copy_warehouse, logged_alerts, phc_env

DEPLOY = REPO_ROOT / "deploy"


# --- configuration -------------------------------------------------------------------------


def test_postgres_setting_is_checked_and_its_password_never_shown(tmp_path):
    env = {"PHC_DATA_DIR": str(tmp_path)}
    for bad in (
        "mysql://u:secret@h/db",
        "postgresql+psycopg2://u:secret@/db",
        "postgresql+psycopg2://u:secret@h",
        "postgresql://u:secret@h/db",  # SQLAlchemy 2.1 would pick psycopg 3: driver named
    ):
        with pytest.raises(ConfigError, match="PHC_DAGSTER_POSTGRES_URL") as raised:
            Settings.from_env({**env, "PHC_DAGSTER_POSTGRES_URL": bad})
        assert "secret" not in str(raised.value)
    url = "postgresql+psycopg2://phc:s3cret@db.example.org:5432/phc_dagster"
    settings = Settings.from_env({**env, "PHC_DAGSTER_POSTGRES_URL": url})
    assert settings.dagster_postgres_url == url and "s3cret" not in repr(settings)
    assert Settings.from_env(env).dagster_postgres_url is None


def test_the_instance_follows_the_settings_and_is_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    url = "postgresql+psycopg2://phc:s3cret@localhost:5432/phc_dagster"
    sqlite = Settings.from_env({"PHC_DATA_DIR": str(tmp_path / "data")})
    home = ensure_dagster_home(sqlite)
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    assert "storage" not in config  # SQLite files in DAGSTER_HOME: the embedded default
    assert config["telemetry"] == {"enabled": False}
    assert config["run_monitoring"]["enabled"] is True
    assert config["run_launcher"]["class"] == "WarehouseRunLauncher"
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "dagster.yaml").stat().st_mode) == 0o600

    postgres = Settings.from_env(
        {"PHC_DATA_DIR": str(tmp_path / "data"), "PHC_DAGSTER_POSTGRES_URL": url}
    )
    ensure_dagster_home(postgres)  # the generated file follows the setting
    text = (home / "dagster.yaml").read_text()
    assert yaml.safe_load(text)["storage"] == {
        "postgres": {"postgres_url": {"env": "PHC_DAGSTER_POSTGRES_URL"}}
    }
    assert "s3cret" not in text  # Dagster reads the URL from the environment

    (home / "dagster.yaml").write_text("# mine\ntelemetry:\n  enabled: false\n")
    ensure_dagster_home(postgres)  # a data engineer's own file is left alone
    assert (home / "dagster.yaml").read_text().startswith("# mine")


def test_deploy_folder_matches_what_phc_writes():
    deployed = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    assert deployed == yaml.safe_load(dagster_yaml(postgres=True))
    assert not (DEPLOY / "dagster.yaml").read_text().startswith(GENERATED)
    for unit, command in (
        ("phc-dagster-daemon.service", "dagster-daemon run -m orchestration.definitions"),
        ("phc-dagster-webserver.service", "dagster-webserver -m orchestration.definitions"),
    ):
        text = (DEPLOY / unit).read_text()
        assert "UMask=0077" in text and "EnvironmentFile=" in text and command in text, unit
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / "phc.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    settings = Settings.from_env(example)  # every example value is a valid setting
    assert settings.analyst_group and settings.dagster_postgres_url
    assert Path(example["DAGSTER_HOME"]).is_relative_to(settings.data_dir)


def test_the_code_location_loads_as_the_daemon_and_web_server_load_it():
    """`dagster-daemon run -m orchestration.definitions`: exactly one Definitions object."""
    from dagster._core.workspace.autodiscovery import loadable_targets_from_python_module

    ensure_manifest()
    (target,) = loadable_targets_from_python_module("orchestration.definitions", None)
    assert target.attribute == "defs"


def test_a_worker_is_alive_until_its_process_ends():
    assert worker_alive(worker_tags()[WORKER_TAG]) is True
    child = subprocess.Popen(["sleep", "30"])
    tag = worker_tags(child.pid)[WORKER_TAG]
    assert worker_alive(tag) is True
    child.kill()
    child.wait()
    assert worker_alive(tag) is False
    host, pid, ticks = worker_tags()[WORKER_TAG].split("/")
    assert worker_alive(f"{host}/{pid}/{int(ticks) + 1}") is False  # a reused pid
    assert worker_alive(f"another-host/{pid}/{ticks}") is None  # cannot tell: not failed


# --- the daemon on PostgreSQL ---------------------------------------------------------------


def start_daemon(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("dagster-daemon")),
            "run",
            "-m",
            "orchestration.definitions",
        ],  # fmt: skip
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the code server and runs with it
    )


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the daemon, its code server and a run it started: `make dev` or the machine
    stopped."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    raise AssertionError("the daemon's processes did not all end")


def wait_for(condition, what: str, timeout: float, log: Path, daemon=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if daemon is not None and daemon.poll() is not None:
            raise AssertionError(
                f"the daemon exited ({daemon.returncode}) waiting for {what}\n"
                f"{log.read_text()[-4000:]}"
            )
        time.sleep(1)
    raise AssertionError(
        f"timed out after {timeout:.0f}s waiting for {what}\n{log.read_text()[-4000:]}"
    )


def sensor_skips(url: str) -> list[str]:
    import psycopg2

    libpq = url.replace("postgresql+psycopg2://", "postgresql://")  # psycopg2 itself: no driver
    with psycopg2.connect(libpq) as con, con.cursor() as cursor:
        cursor.execute("select tick_body from job_ticks order by id")
        bodies = [json.loads(body) for (body,) in cursor.fetchall()]
    return [
        body.get("skip_reason") or ""
        for body in bodies
        if body.get("job_name") == "landing_folder_sensor"
    ]


def run_failed_alerts(data: Path, run_id: str) -> list[dict]:
    return [
        alert
        for alert in logged_alerts(data)
        if alert["kind"] == "run_failed" and alert["run_id"] == run_id
    ]


SENSOR_INTERVAL = 3  # seconds between the sensors' looks (PHC_SENSOR_INTERVAL_SECONDS)


@pytest.mark.slow
def test_daemon_on_postgres_skips_marks_a_killed_run_failed_and_keeps_history(
    postgres, reference_refresh: Settings, tmp_path: Path, monkeypatch
):
    """The deployment recipe end to end: deploy/dagster.yaml, PostgreSQL, the real daemon."""
    import dagster as dg

    ensure_manifest()
    data = copy_warehouse(reference_refresh, tmp_path / "data")  # published, current
    landing = tmp_path / "landing"
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)
    home = tmp_path / "dagster_home"
    home.mkdir(mode=0o700)
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")  # as the README says
    env = phc_env(
        data,
        landing,
        DAGSTER_HOME=str(home),
        PHC_DAGSTER_POSTGRES_URL=postgres.url,
        PHC_LANDING_SETTLE_SECONDS="1",
        PHC_SENSOR_INTERVAL_SECONDS=str(SENSOR_INTERVAL),
    )
    log = tmp_path / "daemon.log"
    monkeypatch.setenv("PHC_DAGSTER_POSTGRES_URL", postgres.url)
    instance = dg.DagsterInstance.from_config(str(home))

    daemon = start_daemon({**env, "PHC_PAUSE_AT": "ingest", "PHC_PAUSE_SECONDS": "600"}, log)
    try:
        # A folder `make run` has just published: the sensor says so, and starts nothing.
        wait_for(
            lambda: any(s.startswith("Nothing new") for s in sensor_skips(postgres.url)),
            "the sensor's 'Nothing new' tick",
            180,
            log,
            daemon,
        )
        assert instance.get_runs() == []

        # A new export: the sensor starts a refresh, recorded in PostgreSQL; it pauses at
        # the ingest, and then `make dev` (daemon, code server, run) is killed.
        new = landing / "police_20171101.csv"
        new.write_bytes((landing / "police_20171020.csv").read_bytes() + b"\r\n")
        wait_for((data / ".paused-ingest").exists, "the sensor's run to start", 240, log, daemon)
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.STARTED and WORKER_TAG in run.tags
        assert run.tags.get("dagster/sensor_name") == "landing_folder_sensor"
        kill_group(daemon)
        killed = time.monotonic()
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.STARTED

        # Back up: the history is still there, and run monitoring fails the dead run.
        daemon = start_daemon(env, log)
        failed = wait_for(
            lambda: instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE,
            "run monitoring to mark the killed run failed",
            180,
            log,
            daemon,
        )
        assert failed
        marked_after = time.monotonic() - killed
        wait_for(
            lambda: run_failed_alerts(data, run.run_id), "the run_failed alert", 120, log, daemon
        )
        # The sensor does not start the same refresh again by itself, and says why.
        wait_for(
            lambda: any(s.startswith("A refresh of exactly") for s in sensor_skips(postgres.url)),
            "the sensor's 'already started' tick",
            120,
            log,
            daemon,
        )
        time.sleep(SENSOR_INTERVAL + 1)  # one more pass of the run-failure sensor
        alerts = run_failed_alerts(data, run.run_id)
        assert len(alerts) == 1, alerts
        assert "is gone" in alerts[0]["what_broke"], alerts[0]
        assert [r.run_id for r in instance.get_runs()] == [run.run_id]
        print(f"killed run marked failed {marked_after:.0f} s after the kill, restart included")
    finally:
        kill_group(daemon)
        instance.dispose()

    # Dagster kept nothing in SQLite: the run history lives in PostgreSQL.
    assert not list(home.rglob("*.db"))
    # What the daemon's run wrote is owner-only (umask 077 in the executor).
    archived = next(
        path
        for path in (data / "archive").glob("*/*.csv")
        if json.loads(path.with_suffix(".json").read_text())["original_name"] == new.name
    )
    assert stat.S_IMODE(archived.stat().st_mode) == 0o400
    assert stat.S_IMODE(archived.parent.stat().st_mode) == 0o700
