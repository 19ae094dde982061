"""`make status`: the warehouse in a few lines, read-only.

The last refresh (when, result, run id, what started it), what is loaded (files, rows, which
export of each survey is current), whether the landing folder holds anything new, the exports
analysts see, the coding queue, the last alerts, and the age of the published file. It works
before any refresh, and says so.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime

from orchestration.runtime.settings import ConfigError, Settings

JOBS = ("refresh", "rebuild")
SHOWN_ALERTS = 3


def age(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = seconds / 60
    if minutes < 90:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def when(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{moment} ({age(time.time() - timestamp)} ago)"


def last_run(settings: Settings) -> str:
    home = settings.dagster_home
    if not (home / "dagster.yaml").exists():
        return "none yet: `make run` refreshes (or `make dev` and its schedule and sensor)"
    import dagster as dg

    from orchestration.runtime.launcher import run_worker_alive

    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = [
            record
            for job in JOBS
            for record in instance.get_run_records(dg.RunsFilter(job_name=job), limit=1)
        ]
    if not records:
        return "none yet: `make run` refreshes (or `make dev` and its schedule and sensor)"
    record = max(records, key=lambda r: r.create_timestamp)
    run = record.dagster_run
    tags = run.tags
    trigger = (
        f"schedule {tags['dagster/schedule_name']}"
        if "dagster/schedule_name" in tags
        else f"sensor {tags['dagster/sensor_name']}"
        if "dagster/sensor_name" in tags
        else "make run, make rebuild or the UI"
    )
    started = record.start_time or record.create_timestamp.timestamp()
    status = run.status.value
    if run.is_finished and record.end_time and record.start_time:
        status += f" in {age(record.end_time - record.start_time)}"
    elif not run.is_finished:
        alive = run_worker_alive(run)
        if alive is False:
            status += (
                " but its process is gone: the daemon's run monitoring marks it failed "
                "(`make dev`, or the deployed daemon)"
            )
        else:
            status += f", running for {age(time.time() - started)}"
    return f"{when(started)}: {status}, {run.job_name} run {run.run_id} ({trigger})"


def published_facts(settings: Settings) -> list[tuple[str, str]]:
    path = settings.published_path
    if not path.is_file():
        return [
            ("Loaded", "nothing published yet"),
            ("Published file", f"none yet ({path}): `make run` builds it"),
        ]
    import duckdb

    rows: list[tuple[str, str]] = []
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            exports = con.execute(
                "select survey, file_name, row_count, is_current from marts.source_exports "
                "order by survey, exported_at"
            ).fetchall()
            queue = con.execute("select count(*) from marts.coding_queue").fetchone()[0]
    except duckdb.Error as error:
        return [("Published file", f"{path} cannot be read: {error}")]
    total = sum(count for _, _, count, _ in exports)
    current = ", ".join(
        f"{survey}: {name} ({count} rows)"
        for survey, name, count, is_current in exports
        if is_current
    )
    rows.append(("Loaded", f"{len(exports)} export(s), {total} rows; current {current}"))
    rows.append(
        (
            "Coding queue",
            f"{queue} free-text answer(s) await coding"
            + (
                f" (marts.coding_queue): code them in {settings.exports_latest}/"
                f"coding_workbook.xlsx and put it in the coding folder {settings.coding_dir}"
                if queue
                else ""
            ),
        )
    )
    latest = settings.exports_latest
    if latest.is_symlink():
        target = latest.resolve()
        written = target.stat().st_mtime if target.exists() else None
        rows.append(
            (
                "Report exports",
                f"{latest} -> {os.readlink(latest)}"
                + (f", written {age(time.time() - written)} ago" if written else ", missing!"),
            )
        )
    else:
        rows.append(("Report exports", "none yet"))
    rows.append(("Published file", f"{path}, {age(time.time() - path.stat().st_mtime)} old"))
    return rows


def landing(settings: Settings) -> str:
    from orchestration.runtime.freshness import is_current, landing_state

    if not settings.landing_dir.is_dir():
        return f"{settings.landing_dir} is missing (PHC_LANDING_DIR)"
    state = landing_state(settings)
    news = (
        "nothing new since the last publish"
        if is_current(settings, state)
        else "not what the last publish read (or the code changed): `make run` refreshes"
    )
    return f"{len(state)} export(s) in {settings.landing_dir}: {news}"


def last_alerts(settings: Settings) -> list[str]:
    try:
        lines = settings.alerts_log_path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return ["none"]
    except OSError as error:
        return [f"{settings.alerts_log_path} cannot be read: {error.strerror}"]
    shown = []
    for line in lines[-SHOWN_ALERTS:][::-1]:
        try:
            alert = json.loads(line)
        except ValueError:
            continue
        shown.append(f"{alert.get('occurred_at', '?')} {alert.get('kind')}: {alert.get('title')}")
    return shown or ["none"]


def main(argv: list[str] | None = None) -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    if not settings.data_dir.is_dir():
        print(
            f"No warehouse yet: PHC_DATA_DIR={settings.data_dir} does not exist. `make run` "
            "creates it with the first refresh."
        )
        return 0
    rows: list[tuple[str, str]] = [("Last refresh", last_run(settings))]
    rows += published_facts(settings)
    rows.append(("Landing folder", landing(settings)))
    alerts = last_alerts(settings)
    rows.append(("Last alerts", alerts[0]))
    rows += [("", alert) for alert in alerts[1:]]
    width = max(len(name) for name, _ in rows)
    print(f"Warehouse in {settings.data_dir}")
    for name, text in rows:
        print(f"  {name:<{width}}  {text}")
    return 0
