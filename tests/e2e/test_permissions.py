"""Personal data stays the warehouse account's own, whatever the umask; analysts read what is
published. On the real file system, as second OS accounts (the tests run as root)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT, ConfigError, Settings
from reference.rows import response, write_extract
from tests.support.accounts import traversable_dir, try_as
from tests.support.warehouse import copy_warehouse, phc_env, usual_umask

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("permissions")]

REJECTION = "police_20171101.csv, row 1, column 'Status': found 'Done'; expected one of"


@pytest.fixture(scope="module")
def refused(reference_refresh: Settings):
    """A data folder of `make run` (umask 022), made world-readable as an older version left
    it, then refreshed again by `make run` with a rejected export: the quarantine is used."""
    base = traversable_dir("phc-perms-")
    data = copy_warehouse(reference_refresh, base / "data")
    for root, dirs, files in os.walk(data):  # as loose as a folder from before
        for name in dirs + files:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o044 | (0o011 if path.is_dir() else 0))
    landing = base / "landing"
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)
    write_extract(landing / "police_20171101.csv", "police", [response(1, "Done")])
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=REPO_ROOT,
        env=phc_env(data, landing),
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=usual_umask,
    )
    yield Settings.from_env(phc_env(data, landing)), done
    shutil.rmtree(base, ignore_errors=True)


def test_a_rejected_export_is_named_on_screen_with_row_column_and_problem(refused):
    settings, done = refused
    assert done.returncode == 1, done.stdout + done.stderr
    assert REJECTION in done.stdout
    assert "Refresh FAILED" in done.stdout
    assert f"no: analysts keep the last good copy, {settings.published_path}" in done.stdout
    assert "DEBUG" not in done.stdout
    assert len(done.stdout.splitlines()) <= 30, done.stdout


def private_paths(settings: Settings) -> list[Path]:
    data = settings.data_dir
    quarantined = next(settings.quarantine_dir.glob("*/police_20171101.csv"))
    return [
        settings.warehouse_path,
        next(settings.archive_dir.glob("*/*.csv")),
        next(settings.archive_dir.glob("*/*.json")),
        quarantined,
        quarantined.parent / "report.md",
        settings.dagster_home / "dagster.yaml",
        next(settings.dagster_home.glob("history/*.db")),
        next(settings.logs_dir.glob("*.log")),
        next(settings.dbt_runs_dir.glob("*/run_results.json")),
        settings.alerts_log_path,
        data / ".last_published.json",
    ]


def test_everything_but_published_and_exports_is_owner_only(refused):
    settings, _ = refused
    shared = settings.shared_dirs
    loose = []
    for root, dirs, files in os.walk(settings.data_dir):
        for name in dirs + files:
            path = Path(root, name)
            if path.is_symlink() or any(path.is_relative_to(s) for s in shared):
                continue
            mode = stat.S_IMODE(path.lstat().st_mode)
            if mode & 0o077:
                loose.append(f"{oct(mode)} {path}")
    assert loose == []
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o711  # through, not list
    assert stat.S_IMODE(next(settings.archive_dir.glob("*/*.csv")).stat().st_mode) == 0o400
    assert stat.S_IMODE(settings.published_path.stat().st_mode) == 0o644


def readable(results: dict[str, str]) -> dict[str, bool]:
    return {attempt: outcome == "ok" for attempt, outcome in results.items()}


def test_another_account_cannot_read_personal_data_but_reads_what_is_published(refused, accounts):
    settings, _ = refused
    private = [("read", path) for path in private_paths(settings)] + [
        ("list", settings.data_dir),
        ("list", settings.archive_dir),
        ("list", settings.quarantine_dir),
        ("duckdb", settings.warehouse_path),
    ]
    shared = [
        ("duckdb", settings.published_path),
        ("read", settings.exports_latest / "report.html"),
        ("read", settings.exports_latest / "report_tables.xlsx"),
        ("read", next(settings.exports_latest.glob("marts/*.csv"))),
        ("list", settings.exports_latest),
    ]
    for account in (accounts.outsider, accounts.analyst):
        results = try_as(account, private + shared)
        denied = {a: r for a, r in results.items() if r != "ok"}
        for kind, path in private:
            assert f"{kind} {path}" in denied, (account.name, kind, path, results)
            assert (
                "Permission" in denied[f"{kind} {path}"] or "IO Error" in denied[f"{kind} {path}"]
            ), denied
        for kind, path in shared:
            assert results[f"{kind} {path}"] == "ok", (account.name, kind, path, results)


def test_with_an_analyst_group_only_its_members_read_what_is_published(
    reference_refresh: Settings, accounts, monkeypatch
):
    from orchestration.publish.defs import EXPORTS_KEY, PUBLISHED_KEY
    from tests.support.pipeline import definitions

    base = traversable_dir("phc-group-")
    try:
        data = copy_warehouse(reference_refresh, base / "data")
        monkeypatch.setenv("PHC_DATA_DIR", str(data))
        monkeypatch.setenv("PHC_LANDING_DIR", str(REFERENCE_EXTRACTS_DIR))
        monkeypatch.setenv("PHC_ANALYST_GROUP", accounts.group)
        settings = Settings.from_env()
        settings.check_ready()
        import dagster as dg

        # The publish stage alone, as the refresh runs it: the new published file and the
        # new exports are given to the group before they are renamed into place.
        result = (
            definitions()
            .resolve_job_def("refresh")
            .execute_in_process(
                instance=dg.DagsterInstance.ephemeral(),
                asset_selection=[PUBLISHED_KEY, EXPORTS_KEY],
                raise_on_error=False,
            )
        )
        assert result.success
        for path in (settings.data_dir, settings.published_path, settings.exports_latest):
            assert path.stat().st_gid == accounts.gid, path
        assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o710
        assert stat.S_IMODE(settings.published_path.stat().st_mode) == 0o640
        shared = [
            ("duckdb", settings.published_path),
            ("read", settings.exports_latest / "report.html"),
            ("list", settings.exports_latest / "charts"),
        ]
        private = [("read", settings.warehouse_path), ("list", settings.data_dir)]
        member = try_as(accounts.analyst, shared + private)
        assert readable(member) == {
            **{f"{k} {p}": True for k, p in shared},
            **{f"{k} {p}": False for k, p in private},
        }, member
        outsider = try_as(accounts.outsider, shared)
        assert not any(readable(outsider).values()), outsider
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_analyst_group_setting_is_checked(monkeypatch, tmp_path):
    env = {"PHC_DATA_DIR": str(tmp_path / "data"), "PHC_LANDING_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="PHC_ANALYST_GROUP.*not a group name"):
        Settings.from_env({**env, "PHC_ANALYST_GROUP": "bad group!"})
    settings = Settings.from_env({**env, "PHC_ANALYST_GROUP": "phc-no-such-group-xyz"})
    with pytest.raises(ConfigError, match="not a group on this machine: create it"):
        settings.check_ready()
    assert Settings.from_env(env).analyst_gid is None


def test_lock_down_tightens_an_old_folder_and_keeps_owner_bits(tmp_path):
    from orchestration.runtime.permissions import lock_down

    settings = Settings.from_env({"PHC_DATA_DIR": str(tmp_path / "data")})
    archived = settings.archive_dir / "ab" / "abc.csv"
    archived.parent.mkdir(parents=True)
    archived.write_text("x")
    archived.chmod(0o444)
    (settings.archive_dir / "ab").chmod(0o755)
    settings.published_dir.mkdir()
    settings.published_path.write_text("marts")
    settings.published_path.chmod(0o600)
    old = os.umask(0o022)
    try:
        lock_down(settings)
        assert os.umask(0o022) == 0o077  # the rest of the refresh creates owner-only files
    finally:
        os.umask(old)
    assert stat.S_IMODE(archived.stat().st_mode) == 0o400
    assert stat.S_IMODE((settings.archive_dir / "ab").stat().st_mode) == 0o700
    assert stat.S_IMODE(settings.published_path.stat().st_mode) == 0o644
    assert stat.S_IMODE(settings.exports_runs_dir.stat().st_mode) == 0o755
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o711
