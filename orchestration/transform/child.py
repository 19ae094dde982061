"""`phc-dbt`: dbt, but it dies with the refresh that started it.

dagster-dbt starts dbt as a subprocess. If the refresh process is killed (SIGKILL: the machine
is stopped, a person kills it), an orphaned dbt would keep writing the working DuckDB file and
hold its lock, so the next refresh could not start. The kernel's parent-death signal ends dbt
with its parent instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from orchestration.runtime.processes import die_with_parent


def main() -> None:
    if not die_with_parent():
        sys.exit(1)
    dbt = str(Path(sys.executable).with_name("dbt"))
    os.execv(dbt, [dbt, *sys.argv[1:]])
