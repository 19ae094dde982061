"""The dbt manifest: built by `phc manifest` (`make manifest`), never at import time.

Dagster's code location reads the manifest when it loads; it is stale when any of dbt's inputs
(`DBT_INPUTS`) changed after it was written. The Makefile and the tests both ask this module,
so what counts as an input is said once.
"""

from __future__ import annotations

from orchestration.runtime.locks import exclusive_lock
from orchestration.runtime.settings import DBT_INPUTS, DBT_PROJECT_DIR, files_under
from orchestration.transform.runner import run_dbt

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"


def is_current() -> bool:
    if not MANIFEST_PATH.exists():
        return False
    newest = max(path.stat().st_mtime for path in files_under(DBT_INPUTS))
    return MANIFEST_PATH.stat().st_mtime >= newest


def ensure_manifest() -> int:
    """Parse the project if the manifest is stale; 0 on success, dbt's exit code otherwise.

    A lock keeps parallel processes (test workers, two make targets) from parsing into the same
    target folder at once.
    """
    with exclusive_lock(DBT_PROJECT_DIR / "target" / ".parse.lock"):
        if is_current():
            return 0
        return run_dbt(["parse", "--quiet"])
