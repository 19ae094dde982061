"""The layout's rules hold: imports go one way, and every rule has one home."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from orchestration.runtime.settings import REPO_ROOT

PACKAGE = REPO_ROOT / "orchestration"


def test_import_contracts_are_kept():
    """import-linter's contracts in pyproject.toml: stages never import each other, runtime
    only imports domain, domain is pure, GX stays in its worker."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_has_its_own_command_line():
    """One entry, `phc`: no `if __name__ == "__main__"` scattered over the package."""
    scattered = [
        str(path.relative_to(REPO_ROOT))
        for path in PACKAGE.rglob("*.py")
        if re.search(r"^if __name__ == .__main__.:", path.read_text(), re.MULTILINE)
    ]
    assert scattered == []


def test_paths_under_the_data_folder_are_spelled_only_in_settings():
    """Every file the warehouse writes under PHC_DATA_DIR is a Settings property."""
    spelled = re.compile(
        r"""["'](\.refresh\.lock|\.last_published\.json|alerts\.jsonl|\.alerts\.lock)["']"""
    )
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.name != "settings.py" and spelled.search(path.read_text())
    ]
    assert offenders == []


def test_one_lock_helper():
    """`fcntl.flock` is called in runtime/locks.py only."""
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in [*PACKAGE.rglob("*.py"), *(REPO_ROOT / "tests").rglob("*.py")]
        if "flock(" in path.read_text() and path.name not in ("locks.py", "test_architecture.py")
    ]
    assert offenders == []


def test_personal_data_patterns_live_in_the_privacy_module():
    """An email pattern anywhere but domain/privacy.py would be a second, drifting rule."""
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.name != "privacy.py" and "@[A-Za-z0-9" in path.read_text()
    ]
    assert offenders == []
