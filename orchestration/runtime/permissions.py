"""Who may read what on disk: personal data for the warehouse's own account only.

Everything under PHC_DATA_DIR is owner-only (files 0600, or 0400 when immutable; folders
0700): the working warehouse (its `raw` schema holds names, phone numbers, emails and IP
addresses), the archive, the quarantine, Dagster's storage and compute logs, dbt's artifacts,
the logs and the alerts. Two folders are for analysts: `published/` and `exports/`. They are
readable by the group in PHC_ANALYST_GROUP (files 0640, folders 0750, that group), or by every
local account when it is not set (0644, 0755). PHC_DATA_DIR itself only lets them through
(0710 with the group, 0711 without): they can reach those two folders but not list the rest.

Three mechanisms, so that it holds whatever the umask of the account or service manager:
- the refresh runs with umask 077 (`restrict_umask`: `phc run`/`rebuild`/`dev` and the
  executor of daemon-launched runs), so whatever it or dbt or DuckDB creates is private;
- the stages set modes explicitly where it matters (`private_file`, `private_dir`, and
  `share_file`/`share_tree` on the published file and the exports before they are renamed
  into place, so analysts never see a file they cannot open);
- every refresh starts with `lock_down`, which tightens a data folder made before (or by a
  tool with a looser umask) and prepares the two shared folders.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from orchestration.runtime.settings import Settings

PRIVATE_UMASK = 0o077
PRIVATE_FILE = 0o600
PRIVATE_READ_ONLY = 0o400  # the archive: immutable
PRIVATE_DIR = 0o700


def restrict_umask() -> int:
    """Make everything this process (and its children) creates owner-only; returns the old."""
    return os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if missing; the folder itself is owner-only."""
    path.mkdir(parents=True, exist_ok=True)
    _chmod(path, PRIVATE_DIR)
    return path


def private_file(path: Path, *, read_only: bool = False) -> None:
    _chmod(path, PRIVATE_READ_ONLY if read_only else PRIVATE_FILE)


def tighten_tree(path: Path) -> None:
    """Take every group and other permission bit off `path` and everything below it.

    The owner's bits are kept (an immutable archive file stays read-only). Symlinks are not
    followed.
    """
    if path.is_symlink() or not path.exists():
        return
    _tighten(path)
    if not path.is_dir():
        return
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            entry = Path(root, name)
            if not entry.is_symlink():
                _tighten(entry)


def _tighten(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = (mode & 0o700) | (0o700 if path.is_dir() else 0)
        if mode != wanted:
            os.chmod(path, wanted)


def _chmod(path: Path, mode: int) -> None:
    if stat.S_IMODE(path.stat().st_mode) != mode:
        os.chmod(path, mode)


def _modes(settings: Settings) -> tuple[int, int, int | None]:
    """(file mode, folder mode, group id) of what analysts read."""
    gid = settings.analyst_gid
    if gid is None:
        return 0o644, 0o755, None
    return 0o640, 0o750, gid


def _share(path: Path, mode: int, gid: int | None) -> None:
    if gid is not None and path.stat().st_gid != gid:
        os.chown(path, -1, gid)
    _chmod(path, mode)


def share_file(path: Path, settings: Settings) -> None:
    """Analysts may read this file (call it before the file is renamed into place)."""
    file_mode, _, gid = _modes(settings)
    _share(path, file_mode, gid)


def share_tree(path: Path, settings: Settings) -> None:
    """Analysts may read this folder and everything in it. Symlinks are left as they are."""
    file_mode, dir_mode, gid = _modes(settings)
    _share(path, dir_mode if path.is_dir() else file_mode, gid)
    for root, dirs, files in os.walk(path):
        for name in dirs:
            if not Path(root, name).is_symlink():
                _share(Path(root, name), dir_mode, gid)
        for name in files:
            if not Path(root, name).is_symlink():
                _share(Path(root, name), file_mode, gid)


def share_data_dir(settings: Settings) -> None:
    """PHC_DATA_DIR lets analysts through to the shared folders, and no more; those exist."""
    data, gid = settings.data_dir, settings.analyst_gid
    data.mkdir(parents=True, exist_ok=True)
    _share(data, 0o711 if gid is None else 0o710, gid)
    _, dir_mode, _ = _modes(settings)
    for shared in (*settings.shared_dirs, settings.exports_runs_dir):
        shared.mkdir(exist_ok=True)
        _share(shared, dir_mode, gid)


def lock_down(settings: Settings) -> None:
    """At the start of every refresh: everything private but what analysts read.

    Sets umask 077 for the rest of the process (the refresh, and dbt and DuckDB under it),
    whichever way the refresh was started. Tightens a data folder written before (with umask
    022 its files were world-readable), shares `published/` and `exports/` again (e.g. after
    PHC_ANALYST_GROUP changed), and makes Dagster's home private wherever DAGSTER_HOME puts it.
    """
    restrict_umask()
    share_data_dir(settings)
    shared = set(settings.shared_dirs)
    for entry in settings.data_dir.iterdir():
        if entry not in shared:
            tighten_tree(entry)
    for folder in settings.shared_dirs:
        share_tree(folder, settings)
    home = settings.dagster_home
    if home.is_dir() and not home.is_relative_to(settings.data_dir):
        _tighten(home)
