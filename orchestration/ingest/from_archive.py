"""Read the archive back as deliveries: the source of truth for a rebuild.

Every archived file is verified against the hash it is named by before it is used; a damaged
or missing file is reported, never silently used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.domain.deliveries import LandedFile, parse_name
from orchestration.runtime.hashing import sha256_file


@dataclass(frozen=True)
class ArchiveEntry:
    landed: LandedFile
    archived_at: str


class DamagedArchive(RuntimeError):
    pass


def archived_deliveries(archive_dir: Path) -> list[LandedFile]:
    """The archived files in the order they were first delivered, each verified.

    Raises DamagedArchive listing every file whose bytes no longer match its hash.
    """
    entries: list[ArchiveEntry] = []
    damaged: list[str] = []
    for sidecar in sorted(archive_dir.glob("*/*.json")):
        meta = json.loads(sidecar.read_text())
        path = sidecar.with_suffix(f".{meta['file_format']}")
        if not path.exists():
            damaged.append(f"{path} (delivered as {meta['original_name']}): missing")
            continue
        actual = sha256_file(path)
        if actual != meta["sha256"] or path.stem != meta["sha256"]:
            damaged.append(
                f"{path} (delivered as {meta['original_name']}): its bytes hash to "
                f"{actual[:16]}..., not {meta['sha256'][:16]}..."
            )
            continue
        named = parse_name(Path(meta["original_name"]))
        landed = LandedFile(
            path=path,
            version=named.version,
            exported_at=named.exported_at,
            file_format=meta["file_format"],
            name_problem=named.name_problem,
            delivered_name=meta["original_name"],
        )
        entries.append(ArchiveEntry(landed, meta["archived_at"]))
    if damaged:
        raise DamagedArchive(
            "The archive is damaged; nothing was rebuilt. These files do not match the hash "
            "they are stored under:\n- " + "\n- ".join(damaged) + "\nRestore them from a "
            "backup of PHC_DATA_DIR/archive, or deliver the original exports again."
        )
    # The order of first delivery reproduces the original loads (and their tie-breaks).
    entries.sort(key=lambda e: (datetime.fromisoformat(e.archived_at), e.landed.name))
    return [entry.landed for entry in entries]
