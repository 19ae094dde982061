"""`make run`: one refresh of the whole warehouse, then where to find the results."""

from __future__ import annotations

import sys

from orchestration.runtime.settings import ConfigError, Settings


def main(argv: list[str] | None = None) -> int:
    force = "--force" in (sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings.from_env()
        settings.check_ready()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    from orchestration.runtime.freshness import is_current

    if not force and is_current(settings):
        print(
            "Nothing new: the landing folder and the code are what the last published refresh "
            f"read, so {settings.published_path} is current. (make run FORCE=1 refreshes anyway.)"
        )
        return 0
    from orchestration.quality import gx_worker

    gx_worker.start()  # imports GX on the other core while this process imports Dagster
    from orchestration.definitions import defs  # after the checks: importing Dagster is slow
    from orchestration.runtime.instance import get_instance
    from orchestration.runtime.locks import refresh_lock

    # execute_in_process brings its own executor, so take the refresh lock here.
    with refresh_lock(settings), get_instance(settings) as instance:
        result = defs.resolve_job_def("refresh").execute_in_process(
            instance=instance, raise_on_error=False
        )
    if not result.success:
        from orchestration.runtime.alerts import alert_run_failure

        failures = [e.message or "" for e in result.all_events if e.is_failure]
        alert_run_failure(settings, result.run_id, "refresh", "\n".join(failures)[:4000])
    print()
    print(f"Landing folder:   {settings.landing_dir}")
    print(f"Working DuckDB:   {settings.warehouse_path}")
    print(f"Archive:          {settings.archive_dir}")
    print(f"Quarantine:       {settings.quarantine_dir}")
    print(f"Published (analysts read this): {settings.published_path}")
    print(f"Report exports:   {settings.exports_latest} (report.html, report_tables.xlsx)")
    print(f"Alerts log:       {settings.alerts_log_path}")
    if result.success:
        print("Refresh succeeded.")
        return 0
    print("Refresh FAILED: see the messages above (and the quarantine folder for rejected files).")
    return 1
