"""The landing sensor, the schedule and the run-failure alert, evaluated for real."""

from __future__ import annotations

import json
import os
import shutil
import time

import dagster as dg
import pytest

from orchestration.automation.defs import build_defs, landing_sensor
from orchestration.runtime.alerts import alert_run_failure
from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, ConfigError, Settings
from tests.support.pipeline import definitions
from tests.support.warehouse import read_alerts


def tick(sensor: dg.SensorDefinition, cursor: str | None):
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor)
        result = sensor.evaluate_tick(context)
        return result.run_requests, result.skip_message, result.cursor


def age(path, seconds: float = 60) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_landing_sensor_starts_one_refresh_per_new_content(warehouse_env: Settings, monkeypatch):
    monkeypatch.setenv("PHC_LANDING_SETTLE_SECONDS", "5")
    sensor = landing_sensor(definitions().resolve_job_def("refresh"), 15)
    requests, skip, cursor = tick(sensor, None)
    assert requests == [] and "No export in the landing folder" in skip

    target = warehouse_env.landing_dir / "national_20171020.csv"
    shutil.copy(REFERENCE_EXTRACTS_DIR / "national_20171020.csv", target)
    # Still being copied in (modified just now): wait for it to settle, and say so.
    requests, skip, cursor = tick(sensor, cursor)
    assert requests == [] and "national_20171020.csv" in skip and "settle" in skip
    age(target)
    requests, _, cursor = tick(sensor, cursor)
    assert len(requests) == 1 and "national_20171020.csv" in requests[0].tags["phc/files"]
    key = requests[0].run_key

    # Nothing new: no second run. The same bytes under another name: no run either.
    requests, skip, cursor = tick(sensor, cursor)
    assert requests == [] and key in skip
    copy = warehouse_env.landing_dir / "national_20171020_120000.csv"
    shutil.copy(target, copy)
    age(copy)
    requests, skip, cursor = tick(sensor, cursor)
    assert requests == [] and key in skip

    # Changed content: a new run.
    target.write_bytes(target.read_bytes() + b"\n")
    age(target)
    requests, _, cursor = tick(sensor, cursor)
    assert len(requests) == 1 and requests[0].run_key != key
    # The cursor keeps each file's hash: an unchanged file is not read again.
    assert set(json.loads(cursor)["files"]) == {target.name, copy.name}


def test_sensor_and_schedule_skip_a_published_folder_like_make_run(
    reference_refresh: Settings, tmp_path, monkeypatch
):
    """`make dev` on a data folder that `make run` has just published starts nothing."""
    from orchestration.runtime.freshness import nothing_new
    from tests.support.warehouse import copy_warehouse

    data = copy_warehouse(reference_refresh, tmp_path / "data")
    monkeypatch.setenv("PHC_DATA_DIR", str(data))
    monkeypatch.setenv("PHC_LANDING_DIR", str(REFERENCE_EXTRACTS_DIR))
    settings = Settings.from_env()
    sensor = landing_sensor(definitions().resolve_job_def("refresh"), 15)
    requests, skip, _ = tick(sensor, None)
    assert requests == [] and skip == nothing_new(settings)

    schedule = definitions().resolve_schedule_def("daily_refresh")
    with dg.instance_for_test() as instance:
        result = schedule.evaluate_tick(dg.build_schedule_context(instance=instance))
    assert not result.run_requests and result.skip_message == nothing_new(settings)

    # A new export: both start a refresh.
    landing = tmp_path / "landing"
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)
    new = landing / "police_20171101.csv"
    new.write_bytes((landing / "police_20171020.csv").read_bytes() + b"\r\n")
    age(new)
    monkeypatch.setenv("PHC_LANDING_DIR", str(landing))
    assert len(tick(sensor, None)[0]) == 1
    with dg.instance_for_test() as instance:
        result = schedule.evaluate_tick(dg.build_schedule_context(instance=instance))
    assert len(result.run_requests) == 1


def test_schedule_is_daily_in_london(monkeypatch):
    schedule = definitions().resolve_schedule_def("daily_refresh")
    assert schedule.execution_timezone == "Europe/London"
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.job_name == "refresh"


def test_run_failure_alerts_once_and_not_after_a_step_alert(warehouse_env: Settings):
    alert_run_failure(warehouse_env, "run-1", "refresh", "step dbt failed: boom")
    alert_run_failure(warehouse_env, "run-1", "refresh", "step dbt failed: boom")
    lines = read_alerts(warehouse_env)
    assert [(a["kind"], a["run_id"]) for a in lines] == [("run_failed", "run-1")]
    assert "boom" in lines[0]["what_broke"] and "make dev" in lines[0]["what_to_do"]


def test_make_run_skips_when_nothing_changed(reference_refresh: Settings, tmp_path, monkeypatch):
    import subprocess
    import sys

    from orchestration.runtime.settings import REPO_ROOT
    from tests.support.warehouse import copy_warehouse

    data = copy_warehouse(reference_refresh, tmp_path / "data")
    env = {**os.environ, "PHC_DATA_DIR": str(data), "PHC_LANDING_DIR": str(REFERENCE_EXTRACTS_DIR)}
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "Nothing new" in result.stdout
    # A new export in the landing folder: no longer current.
    landing = tmp_path / "landing"
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)
    (landing / "police_20171101.csv").write_bytes(
        (landing / "police_20171020.csv").read_bytes() + b"\r\n"
    )
    from orchestration.runtime.freshness import is_current

    assert is_current(
        Settings.from_env(
            {"PHC_DATA_DIR": str(data), "PHC_LANDING_DIR": str(REFERENCE_EXTRACTS_DIR)}
        )
    )
    assert not is_current(
        Settings.from_env({"PHC_DATA_DIR": str(data), "PHC_LANDING_DIR": str(landing)})
    )


def test_the_sensors_look_as_often_as_phc_sensor_interval_seconds_says(monkeypatch):
    job = definitions().resolve_job_def("refresh")
    intervals = {s.name: s.minimum_interval_seconds for s in build_defs(job).sensors}
    assert intervals == {"landing_folder_sensor": 15, "alert_on_refresh_failure": 15}
    monkeypatch.setenv("PHC_SENSOR_INTERVAL_SECONDS", "3")
    intervals = {s.name: s.minimum_interval_seconds for s in build_defs(job).sensors}
    assert intervals == {"landing_folder_sensor": 3, "alert_on_refresh_failure": 3}
    for bad in ("0", "2.5", "often"):
        monkeypatch.setenv("PHC_SENSOR_INTERVAL_SECONDS", bad)
        with pytest.raises(ConfigError, match="PHC_SENSOR_INTERVAL_SECONDS"):
            Settings.from_env()
