"""Is a refresh needed? A fingerprint of everything a refresh reads: exports and code.

A refresh that published successfully records the fingerprint of its inputs; `make run`, the
schedule and the landing sensor skip a refresh whose inputs have the same fingerprint (nothing
new in the landing folder, no change to the models, seeds, checks or code). The check costs a
hash of the landing files and of the source tree, and no Dagster, dbt or GX start-up.
"""

from __future__ import annotations

import hashlib
import json
import os

from orchestration.runtime.hashing import sha256_file
from orchestration.runtime.settings import (
    DBT_INPUTS,
    EXPECTATIONS_DIR,
    REPO_ROOT,
    Settings,
    files_under,
)

# What a refresh runs: the dbt project's inputs, the checks and this package.
CODE_PATHS = (*DBT_INPUTS, EXPECTATIONS_DIR, REPO_ROOT / "orchestration")
CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json"}


def code_digest() -> str:
    digest = hashlib.sha256()
    for file in files_under(CODE_PATHS):
        if file.suffix in CODE_SUFFIXES:
            digest.update(str(file.relative_to(REPO_ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def fingerprint(delivery_hashes: list[str], code: str | None = None) -> str:
    digest = hashlib.sha256((code or code_digest()).encode())
    for sha in sorted(set(delivery_hashes)):
        digest.update(sha.encode())
    return digest.hexdigest()


def landing_fingerprint(settings: Settings) -> str:
    from orchestration.domain.deliveries import discover

    hashes = [sha256_file(f.path) for f in discover(settings.landing_dir)]
    return fingerprint(hashes)


def record_candidate(settings: Settings, run_id: str, delivery_hashes: list[str]) -> None:
    """At ingest: the inputs this run read (the fingerprint becomes current if it publishes)."""
    settings.refresh_candidate_path(run_id).write_text(
        json.dumps({"fingerprint": fingerprint(delivery_hashes)})
    )


def promote_candidate(settings: Settings, run_id: str) -> None:
    """After a successful publish: this run's inputs are what analysts now see."""
    candidate = settings.refresh_candidate_path(run_id)
    if candidate.exists():
        os.replace(candidate, settings.published_state_path)
    for stale in settings.data_dir.glob(settings.refresh_candidate_path("*").name):
        stale.unlink(missing_ok=True)


def is_current(settings: Settings) -> bool:
    """True when the last publish read exactly what a refresh would read now."""
    state = settings.published_state_path
    if not state.exists() or not settings.published_path.exists():
        return False
    try:
        recorded = json.loads(state.read_text())["fingerprint"]
    except (OSError, ValueError, KeyError):
        return False
    return recorded == landing_fingerprint(settings)
