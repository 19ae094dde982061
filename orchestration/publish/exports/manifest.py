"""manifest.json: every file of a run with its sha256, so a copy can be verified later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orchestration.runtime.hashing import sha256_file  # noqa: F401  (re-exported)

MANIFEST_NAME = "manifest.json"


def file_hashes(run_dir: Path) -> dict[str, str]:
    """Relative POSIX path -> sha256 of every file but the manifest itself, sorted."""
    return {
        path.relative_to(run_dir).as_posix(): sha256_file(path)
        for path in sorted(run_dir.rglob("*"))
        if path.is_file() and path.name != MANIFEST_NAME
    }


def write_manifest(run_dir: Path, about: dict[str, Any]) -> dict[str, str]:
    hashes = file_hashes(run_dir)
    body = {
        **about,
        "files": [
            {"path": name, "sha256": sha, "bytes": (run_dir / name).stat().st_size}
            for name, sha in hashes.items()
        ],
    }
    (run_dir / MANIFEST_NAME).write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return hashes
