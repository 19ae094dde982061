"""When refreshes happen: a daily schedule, a landing-folder sensor, and an alert on failure."""

import json
import time

import dagster as dg

from orchestration.domain.deliveries import discover
from orchestration.runtime.alerts import alert_run_failure
from orchestration.runtime.freshness import is_current
from orchestration.runtime.hashing import sha256_file
from orchestration.runtime.settings import ConfigError, Settings


def _something_new(context) -> bool:
    try:
        settings = Settings.from_env()
        settings.check_ready()
    except ConfigError:
        return True  # let the run fail and alert with the configuration message
    return not is_current(settings)


def refresh_schedule(job) -> dg.ScheduleDefinition:
    settings = Settings.from_env()
    return dg.ScheduleDefinition(
        name="daily_refresh",
        job=job,
        cron_schedule=settings.refresh_cron,
        execution_timezone=settings.timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        should_execute=_something_new,
        description=f"Refresh every day ({settings.refresh_cron}, {settings.timezone}), unless "
        "nothing changed since the last publish; set PHC_REFRESH_CRON to change it.",
    )


def landing_state(settings: Settings, known: dict[str, list]) -> tuple[dict[str, list], set[str]]:
    """{file name: [size, mtime_ns, sha256]} of the landing folder, and the settled hashes.

    A file is hashed again only when its size or modification time changed, and a file that
    changed in the last few seconds is still being copied in: it waits for a later tick.
    """
    state: dict[str, list] = {}
    settled: set[str] = set()
    now = time.time()
    for landed in discover(settings.landing_dir):
        try:
            stat = landed.path.stat()
        except FileNotFoundError:  # removed between listing and looking
            continue
        previous = known.get(landed.name)
        if previous and previous[:2] == [stat.st_size, stat.st_mtime_ns]:
            sha = previous[2]
        else:
            sha = sha256_file(landed.path)
        state[landed.name] = [stat.st_size, stat.st_mtime_ns, sha]
        if now - stat.st_mtime >= settings.landing_settle_seconds:
            settled.add(sha)
    return state, settled


def landing_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_folder_sensor",
        job=job,
        minimum_interval_seconds=15,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Starts a refresh when a new or changed export lands in PHC_LANDING_DIR "
        "(by content hash: an identical file delivered again starts nothing).",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        try:
            settings = Settings.from_env()
            settings.check_ready()
        except ConfigError as error:
            return dg.SkipReason(f"Configuration error: {error}")
        cursor = json.loads(context.cursor) if context.cursor else {"seen": [], "files": {}}
        state, settled = landing_state(settings, cursor["files"])
        seen = set(cursor["seen"])
        new = sorted(settled - seen)
        context.update_cursor(json.dumps({"seen": sorted(seen | settled), "files": state}))
        if not new:
            return dg.SkipReason("no new export in the landing folder")
        names = sorted(name for name, (_, _, sha) in state.items() if sha in new)
        return dg.RunRequest(
            run_key="landing:" + ",".join(sha[:16] for sha in new),
            tags={"phc/trigger": "landing", "phc/files": ",".join(names)[:200]},
        )

    return _sensor


@dg.run_failure_sensor(
    name="alert_on_refresh_failure", default_status=dg.DefaultSensorStatus.RUNNING
)
def alert_on_refresh_failure(context: dg.RunFailureSensorContext):
    alert_run_failure(
        Settings.from_env(),
        context.dagster_run.run_id,
        context.dagster_run.job_name,
        context.failure_event.message or "the run failed",
    )


def build_defs(refresh_job) -> dg.Definitions:
    """The schedule and the landing sensor start `refresh_job`; any failed run is alerted."""
    return dg.Definitions(
        schedules=[refresh_schedule(refresh_job)],
        sensors=[landing_sensor(refresh_job), alert_on_refresh_failure],
    )
