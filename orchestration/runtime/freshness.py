"""Is a refresh needed? A fingerprint of everything a refresh reads: exports, returned coding
workbooks (PHC_CODING_DIR) and code.

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


# {file name: [size, mtime_ns, sha256]} of the landing folder and the coding folder (returned
# coding workbooks, named "coding/<name>"). The sensor keeps the last one in its cursor, so a
# file is hashed again only when its size or modification time changed.
LandingState = dict[str, list]
CODING_PREFIX = "coding/"


def _delivered_files(settings: Settings) -> list[tuple[str, object]]:
    from orchestration.domain.coding import is_workbook_name
    from orchestration.domain.deliveries import discover

    files = [(landed.name, landed.path) for landed in discover(settings.landing_dir)]
    if settings.coding_dir.is_dir():
        files += [
            (CODING_PREFIX + path.name, path)
            for path in sorted(settings.coding_dir.iterdir())
            if path.is_file() and is_workbook_name(path.name)
        ]
    return files


def landing_state(settings: Settings, known: LandingState | None = None) -> LandingState:
    known = known or {}
    state: LandingState = {}
    for name, path in _delivered_files(settings):
        try:
            info = path.stat()
            previous = known.get(name)
            if previous and previous[:2] == [info.st_size, info.st_mtime_ns]:
                sha = previous[2]
            else:
                sha = sha256_file(path)
        except FileNotFoundError:  # removed between listing and looking
            continue
        state[name] = [info.st_size, info.st_mtime_ns, sha]
    return state


def landing_fingerprint(settings: Settings, state: LandingState | None = None) -> str:
    state = landing_state(settings) if state is None else state
    return fingerprint([sha for _, _, sha in state.values()])


def nothing_new(settings: Settings) -> str:
    """What `make run`, the schedule and the landing sensor say when they skip."""
    return (
        "Nothing new: the landing folder, the coding folder and the code are what the last "
        f"published refresh read, so {settings.published_path} is current."
    )


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


def is_current(settings: Settings, state: LandingState | None = None) -> bool:
    """True when the last publish read exactly what a refresh would read now.

    `state`: the landing folder as `landing_state` read it, if the caller has it.
    """
    recorded_path = settings.published_state_path
    if not recorded_path.exists() or not settings.published_path.exists():
        return False
    try:
        recorded = json.loads(recorded_path.read_text())["fingerprint"]
    except (OSError, ValueError, KeyError):
        return False
    return recorded == landing_fingerprint(settings, state)
