"""When refreshes happen: a daily schedule, a landing-folder sensor, and an alert on failure.

The schedule and the sensor skip by the rule of `make run` (runtime/freshness.py): nothing
happens when the landing folder and the code are what the last published refresh read, and the
tick says so in the same words.
"""

import json
import time

import dagster as dg

from orchestration.runtime.alerts import alert_run_failure
from orchestration.runtime.freshness import (
    is_current,
    landing_fingerprint,
    landing_state,
    nothing_new,
)
from orchestration.runtime.settings import ConfigError, Settings


def refresh_schedule(job) -> dg.ScheduleDefinition:
    settings = Settings.from_env()

    def evaluate(context: dg.ScheduleEvaluationContext):
        try:
            current = Settings.from_env()
            current.check_ready()
        except ConfigError:
            # Let the run fail and alert with the configuration message.
            return dg.RunRequest(tags={"phc/trigger": "schedule"})
        if is_current(current):
            return dg.SkipReason(nothing_new(current))
        return dg.RunRequest(tags={"phc/trigger": "schedule"})

    return dg.ScheduleDefinition(
        name="daily_refresh",
        job=job,
        cron_schedule=settings.refresh_cron,
        execution_timezone=settings.timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        execution_fn=evaluate,
        description=f"Refresh every day ({settings.refresh_cron}, {settings.timezone}), unless "
        "nothing changed since the last publish (the rule of `make run`); set "
        "PHC_REFRESH_CRON to change it.",
    )


def _cursor(text: str | None) -> dict:
    try:
        cursor = json.loads(text) if text else {}
    except ValueError:
        cursor = {}
    return cursor if isinstance(cursor, dict) else {}


ALREADY_STARTED = (
    "A refresh of exactly these exports and this code was already started by this sensor "
    "(run key {key}) and has not published: it is still running, or it failed (see the run "
    "list and the alerts). It is not started again until the landing folder or the code "
    "changes; `make run FORCE=1` or the daily schedule tries again."
)


def landing_sensor(job, interval_seconds: int) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_folder_sensor",
        job=job,
        minimum_interval_seconds=interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Starts a refresh when the landing folder (PHC_LANDING_DIR), the coding "
        "folder (PHC_CODING_DIR: a returned coding workbook) or the code is no longer what the "
        "last published refresh read, by content hash, the rule of `make run`: an identical "
        "file delivered again starts nothing.",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        try:
            settings = Settings.from_env()
            settings.check_ready()
        except ConfigError as error:
            return dg.SkipReason(f"Configuration error: {error}")
        cursor = _cursor(context.cursor)
        # Hash only files whose size or modification time changed since the last tick.
        state = landing_state(settings, cursor.get("files"))
        context.update_cursor(json.dumps({**cursor, "files": state}))
        if not state:
            return dg.SkipReason(
                f"No export in the landing folder {settings.landing_dir}: nothing to refresh."
            )
        now = time.time()
        copying = sorted(
            name
            for name, (_, mtime_ns, _) in state.items()
            if now - mtime_ns / 1e9 < settings.landing_settle_seconds
        )
        if copying:
            return dg.SkipReason(
                f"{', '.join(copying)} changed less than {settings.landing_settle_seconds:g} s "
                "ago and may still be being copied in: waiting for it to settle."
            )
        if is_current(settings, state):
            return dg.SkipReason(nothing_new(settings))
        key = "landing:" + landing_fingerprint(settings, state)[:32]
        if cursor.get("requested") == key:
            return dg.SkipReason(ALREADY_STARTED.format(key=key))
        context.update_cursor(json.dumps({"files": state, "requested": key}))
        return dg.RunRequest(
            run_key=key,
            tags={"phc/trigger": "landing", "phc/files": ",".join(sorted(state))[:200]},
        )

    return _sensor


def alert_on_refresh_failure(interval_seconds: int) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="alert_on_refresh_failure",
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=interval_seconds,
    )
    def _sensor(context: dg.RunFailureSensorContext):
        alert_run_failure(
            Settings.from_env(),
            context.dagster_run.run_id,
            context.dagster_run.job_name,
            context.failure_event.message or "the run failed",
        )

    return _sensor


def build_defs(refresh_job) -> dg.Definitions:
    """The schedule and the landing sensor start `refresh_job`; any failed run is alerted."""
    interval = Settings.from_env().sensor_interval_seconds  # PHC_SENSOR_INTERVAL_SECONDS
    return dg.Definitions(
        schedules=[refresh_schedule(refresh_job)],
        sensors=[landing_sensor(refresh_job, interval), alert_on_refresh_failure(interval)],
    )
