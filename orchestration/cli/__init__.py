"""`phc`: the one command line of the warehouse; the Makefile's targets call it.

    phc run [--force] [--verbose]   one refresh of the whole warehouse (make run)
    phc rebuild [--verbose]         everything again from the immutable archive (make rebuild)
    phc status            the last refresh, what is loaded, queue, alerts (make status)
    phc dev               the Dagster UI and daemon on localhost (make dev)
    phc sql [-c QUERY]    SQL on the published warehouse, read-only (make sql)
    phc docs              dbt docs with lineage, one offline file (make docs)
    phc manifest          the dbt manifest, when any dbt input changed (make manifest)
    phc dbt ARGS...       dbt with the warehouse's settings, e.g. `phc dbt debug`
    phc bench             the benchmark (make bench)
    phc gx-worker         internal: the Great Expectations worker a refresh starts

Each subcommand imports what it needs when it runs, so `phc sql` does not pay for Dagster.
The commands that write the data folder run with umask 077: what they create is owner-only
(runtime/permissions.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from orchestration.runtime.processes import exit_now

# These write personal data (or start what does): whatever they create is owner-only.
PRIVATE = {"run", "rebuild", "dev", "docs"}


def _run(args: list[str]) -> int:
    from orchestration.cli.run import main

    return main(args)


def _rebuild(args: list[str]) -> int:
    from orchestration.cli.rebuild import main

    return main(args)


def _status(args: list[str]) -> int:
    from orchestration.cli.status import main

    return main(args)


def _dev(args: list[str]) -> int:
    from orchestration.cli.dev import main

    main()
    return 0


def _sql(args: list[str]) -> int:
    from orchestration.cli.sql_prompt import main

    return main(args)


def _docs(args: list[str]) -> int:
    from orchestration.transform.docs import main

    return main()


def _dbt(args: list[str]) -> int:
    from orchestration.transform.runner import run_dbt

    return run_dbt(args)


def _manifest(args: list[str]) -> int:
    from orchestration.transform.manifest import ensure_manifest

    return ensure_manifest()


def _bench(args: list[str]) -> int:
    import runpy

    from orchestration.runtime.settings import REPO_ROOT

    sys.argv = [str(REPO_ROOT / "bench" / "run_bench.py"), *args]
    runpy.run_path(sys.argv[0], run_name="__main__")
    return 0


def _gx_worker(args: list[str]) -> int:
    from orchestration.quality.gx_worker import main

    main()
    return 0


COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "run": (
        _run,
        "one refresh of the whole warehouse ([--force] even when nothing is new; [--verbose] "
        "the full log on screen)",
    ),
    "rebuild": (_rebuild, "the warehouse, published file and exports again, from the archive"),
    "status": (_status, "the last refresh, what is loaded, the coding queue, the last alerts"),
    "dev": (_dev, "the Dagster UI and daemon on http://127.0.0.1:3000"),
    "sql": (_sql, "SQL on the published warehouse, read-only ([-c QUERY] prints one result)"),
    "docs": (_docs, "dbt docs with lineage: PHC_DATA_DIR/dbt_docs/static_index.html"),
    "manifest": (_manifest, "the dbt manifest, parsed again when any dbt input changed"),
    "dbt": (_dbt, "dbt with the warehouse's settings (e.g. `phc dbt parse`)"),
    "bench": (
        _bench,
        "the benchmark: the refresh's fixed and marginal cost ([--readme] the README tables)",
    ),
    "gx-worker": (_gx_worker, "internal: the Great Expectations worker a refresh starts"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: phc COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        exit_now(0 if args else 2)
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"phc: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        exit_now(2)
    if command in PRIVATE:
        from orchestration.runtime.permissions import restrict_umask

        restrict_umask()
    exit_now(COMMANDS[command][0](rest))
