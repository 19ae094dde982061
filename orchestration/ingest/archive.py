"""The immutable archive: every delivered file, stored once under its content hash.

The file is copied into the archive before anything else happens to it, in the same pass that
hashes it, and everything after (validation, load, quarantine) reads the archived copy: a
landing file that changes or vanishes mid-way cannot make the warehouse disagree with its
archive, and nothing delivered is ever lost.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.domain.deliveries import LandedFile
from orchestration.runtime.hashing import copy_hashing
from orchestration.runtime.permissions import PRIVATE_READ_ONLY, private_dir

# Immutable, and for the warehouse's account only: the exports hold personal data.
READ_ONLY = PRIVATE_READ_ONLY


@dataclass(frozen=True)
class ArchivedFile:
    path: Path
    sha256: str
    size_bytes: int
    utf8_error: str | None  # where the first invalid byte sequence is (CSV only)
    created: bool  # False: the same content was archived before


def archive_path(archive_dir: Path, sha256: str, file_format: str) -> Path:
    return archive_dir / sha256[:2] / f"{sha256}.{file_format}"


def sidecar_path(archived: Path) -> Path:
    return archived.with_suffix(".json")


def archive_delivery(landed: LandedFile, archive_dir: Path) -> ArchivedFile:
    """Copy, hash (and for CSV check UTF-8) in one pass; keep the copy under its hash.

    Written to a temporary name, synced, then renamed: the archive never holds half a file.
    The copy and its sidecar are read-only and owner-only (folders 0700); an existing copy is
    never rewritten.
    Raises FileNotFoundError when the landing file disappeared.
    """
    private_dir(archive_dir)
    fd, temp_name = tempfile.mkstemp(dir=archive_dir, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            sha, size, utf8_error = copy_hashing(landed.path, out, landed.file_format == "csv")
            out.flush()
            os.fsync(out.fileno())
        target = archive_path(archive_dir, sha, landed.file_format)
        if target.exists():
            os.unlink(temp_name)
            return ArchivedFile(target, sha, size, utf8_error, created=False)
        private_dir(target.parent)
        os.chmod(temp_name, READ_ONLY)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    sidecar = sidecar_path(target)
    sidecar.write_text(
        json.dumps(
            {
                "sha256": sha,
                "original_name": landed.name,
                "version": landed.version,
                "exported_at": landed.exported_at.isoformat() if landed.exported_at else None,
                "file_format": landed.file_format,
                "size_bytes": size,
                "archived_at": datetime.now(UTC).isoformat(),
            },
            indent=2,
        )
    )
    os.chmod(sidecar, READ_ONLY)
    return ArchivedFile(target, sha, size, utf8_error, created=True)


def forget(archived: ArchivedFile) -> None:
    """Remove a copy made just now of a file that turned out to be still being written."""
    if archived.created:
        for path in (archived.path, sidecar_path(archived.path)):
            os.chmod(path, stat.S_IWUSR | READ_ONLY)
            path.unlink(missing_ok=True)


def remove_stale_temp_files(archive_dir: Path, older_than_seconds: float = 3600) -> None:
    """Temp copies left by a refresh that was killed mid-copy."""
    if not archive_dir.exists():
        return
    now = datetime.now().timestamp()
    for temp in archive_dir.glob(".incoming-*"):
        if now - temp.stat().st_mtime > older_than_seconds:
            temp.unlink(missing_ok=True)
