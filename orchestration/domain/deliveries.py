"""Find the exports in the landing folder by the contract's file naming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.domain.contract import FILE_NAME_PATTERN, VERSIONS

EXTRACT_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class LandedFile:
    path: Path
    version: str | None  # None: the name does not follow the contract
    exported_at: datetime | None
    file_format: str  # "csv" | "xlsx"
    name_problem: str | None = None
    delivered_name: str | None = None  # set when re-reading a file from the archive

    @property
    def name(self) -> str:
        return self.delivered_name or self.path.name


def parse_name(path: Path) -> LandedFile:
    file_format = path.suffix.lower().lstrip(".")
    match = FILE_NAME_PATTERN.match(path.name)
    expected = (
        "a name <version>_<YYYYMMDD>.csv or <version>_<YYYYMMDD>_<HHMMSS>.csv (or .xlsx) "
        f"with version one of {', '.join(VERSIONS)}"
    )
    if not match:
        return LandedFile(path, None, None, file_format, f"{expected}; rename the file")
    version = match["version"]
    if version not in VERSIONS:
        return LandedFile(
            path,
            None,
            None,
            file_format,
            f"{expected}; {version!r} is not a survey version",
        )
    stamp = match["date"] + (match["time"] or "000000")
    try:
        exported_at = datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        return LandedFile(
            path,
            None,
            None,
            file_format,
            f"{expected}; {stamp!r} is not a real date and time",
        )
    return LandedFile(path, version, exported_at, file_format)


def discover(landing_dir: Path) -> list[LandedFile]:
    """Every .csv/.xlsx file in the folder (not below it), oldest export first.

    Other files (a README, a half-written `.part`) are not exports and are left alone.
    """
    files = [
        parse_name(path)
        for path in sorted(landing_dir.iterdir())
        if path.is_file()
        and path.suffix.lower() in EXTRACT_SUFFIXES
        and not path.name.startswith(".")
    ]
    return sorted(
        files, key=lambda f: (f.version or "~", f.exported_at or datetime.max, f.path.name)
    )
