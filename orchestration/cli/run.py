"""`make run`: one refresh of the whole warehouse, a line per stage, then where things are.

`--verbose` (`make run VERBOSE=1`) shows Dagster's full log on screen as well as in the log
file; `--force` refreshes even when nothing is new.
"""

from __future__ import annotations

import sys

from orchestration.runtime.settings import ConfigError, Settings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    force, verbose = "--force" in args, "--verbose" in args
    try:
        settings = Settings.from_env()
        settings.check_ready()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    from orchestration.runtime.freshness import is_current, nothing_new
    from orchestration.runtime.locks import refresh_lock

    if not force and is_current(settings):
        print(f"{nothing_new(settings)} (make run FORCE=1 refreshes anyway.)")
        return 0
    from orchestration.cli.progress import execute, make_console, print_failures, print_summary

    waited: list[str] = []
    with refresh_lock(settings, lambda message: (waited.append(message), print(message))):
        # Another refresh held the lock: it may have published these very inputs.
        if waited and not force and is_current(settings):
            print(f"{nothing_new(settings)} (make run FORCE=1 refreshes anyway.)")
            return 0
        outcome = execute(settings, "refresh", verbose, lock=False)
    if not outcome.success:
        from orchestration.runtime.alerts import alert_run_failure

        failures = "\n".join(message for _, message in outcome.watcher.failures)
        alert_run_failure(settings, outcome.run_id, "refresh", failures[:4000] or "failed")
    console = make_console(sys.stdout)
    print_failures(console, outcome)
    print_summary(console, settings, outcome, "Refresh")
    if not outcome.success:
        console.print(
            "Refresh FAILED: see the messages above (and the quarantine folder for rejected "
            "files); every detail is in the full log."
        )
        return 1
    return 0
