"""The immutable archive: every delivered file, stored once under its content hash.

The archive is written before anything else happens to a file, so nothing delivered is ever
lost, whatever the validation or the load later decide.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from orchestration.ingest.landing import LandedFile


def archive_path(archive_dir: Path, sha256: str, file_format: str) -> Path:
    return archive_dir / sha256[:2] / f"{sha256}.{file_format}"


def archive_file(landed: LandedFile, sha256: str, archive_dir: Path) -> Path:
    """Copy the file into the archive (once) and return where it is.

    Written to a temporary name, synced, then renamed: a reader never sees half a file.
    The copy and its sidecar are made read-only; an existing copy is never rewritten.
    """
    target = archive_path(archive_dir, sha256, landed.file_format)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, landed.path.open("rb") as source:
            shutil.copyfileobj(source, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    sidecar = target.with_suffix(".json")
    sidecar.write_text(
        json.dumps(
            {
                "sha256": sha256,
                "original_name": landed.name,
                "version": landed.version,
                "exported_at": landed.exported_at.isoformat() if landed.exported_at else None,
                "file_format": landed.file_format,
                "archived_at": datetime.now(UTC).isoformat(),
            },
            indent=2,
        )
    )
    os.chmod(sidecar, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return target
