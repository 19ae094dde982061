"""`make rebuild`: the whole warehouse, published file and exports again, from the archive alone.

The working DuckDB file is moved aside first and put back if the rebuild fails, so a failed
rebuild changes nothing; the archive is verified before anything is moved.
"""

from __future__ import annotations

import os
import sys

from orchestration.ingest.from_archive import DamagedArchive, archived_deliveries
from orchestration.runtime.settings import ConfigError, Settings


def main(argv: list[str] | None = None) -> int:
    verbose = "--verbose" in (sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings.from_env()
        settings.check_ready()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    from orchestration.runtime.locks import refresh_lock

    with refresh_lock(settings):
        try:
            files = archived_deliveries(settings.archive_dir)
        except DamagedArchive as error:
            print(error, file=sys.stderr)
            return 1
        if not files:
            print(
                f"The archive {settings.archive_dir} is empty: nothing to rebuild from.",
                file=sys.stderr,
            )
            return 1
        print(f"Rebuilding from {len(files)} archived export(s), all verified.")
        working = settings.warehouse_path
        aside = [
            (p, p.with_name(p.name + ".before-rebuild"))
            for p in (working, working.with_name(working.name + ".wal"))
        ]
        for path, moved in aside:
            if path.exists():
                os.replace(path, moved)
        from orchestration.cli.progress import execute, make_console, print_failures, print_summary

        outcome = execute(settings, "rebuild", verbose, lock=False)  # held above
        console = make_console(sys.stdout)
        print_failures(console, outcome)
        print_summary(console, settings, outcome, "Rebuild")
        if outcome.success:
            for _, moved in aside:
                moved.unlink(missing_ok=True)
            print(f"Rebuilt {working}, {settings.published_path} and the exports.")
            return 0
        for path, moved in aside:
            path.unlink(missing_ok=True)
            if moved.exists():
                os.replace(moved, path)
        print(
            "The rebuild FAILED (see above, and the full log); the working file was put back as "
            "it was.",
            file=sys.stderr,
        )
        return 1
