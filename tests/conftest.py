"""Shared fixtures: a private data folder and landing folder per test, set through env vars."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from orchestration.runtime.settings import Settings  # noqa: E402


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """PHC_DATA_DIR and PHC_LANDING_DIR pointed at empty folders of this test's own."""
    data_dir = tmp_path / "data"
    landing = tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv("PHC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PHC_LANDING_DIR", str(landing))
    monkeypatch.setenv("PHC_LANDING_SETTLE_SECONDS", "0")  # test files are written whole
    for name in ("PHC_ALERT_WEBHOOK_URL", "PHC_ALERT_SMTP_HOST", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    return Settings.from_env()


def table_fingerprints(path: Path, schemas: tuple[str, ...] = ("raw",)) -> dict[str, str]:
    """A hash of every table's full contents (ordered), to prove nothing changed."""
    fingerprints = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in "
            f"({', '.join(repr(s) for s in schemas)}) order by all"
        ).fetchall()
        for schema, table in tables:
            rows = con.execute(f'select * from "{schema}"."{table}" order by all').fetchall()
            fingerprints[f"{schema}.{table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return fingerprints


def phc_env(data: Path, landing: Path, **extra: str) -> dict[str, str]:
    """The environment of a `phc` command as make would run it, on these folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHC_", "DAGSTER_HOME"))}
    env.update(PHC_DATA_DIR=str(data), PHC_LANDING_DIR=str(landing), DO_NOT_TRACK="1")
    env.update(extra)
    return env


def usual_umask() -> None:
    """preexec_fn: the umask most accounts have (022: new files readable by everyone)."""
    os.umask(0o022)


@pytest.fixture(scope="session")
def reference_refresh(tmp_path_factory) -> Settings:
    """One real `make run` of the reference extracts per test session (read it, do not write).

    `phc run` as a process, with the usual umask 022 (the warehouse must lock its files down
    itself); what it printed is in `reference_output(settings)`. Tests that change a
    warehouse take a copy with `copy_warehouse`.
    """
    import subprocess
    import sys

    from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT
    from tests.pipeline import ensure_manifest

    ensure_manifest()
    data = tmp_path_factory.mktemp("reference") / "data"
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=REPO_ROOT,
        env=phc_env(data, REFERENCE_EXTRACTS_DIR),
        capture_output=True,
        text=True,
        timeout=900,
        preexec_fn=usual_umask,
    )
    (data.parent / "make-run.out").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, (
        f"the refresh of the reference extracts failed:\n{done.stdout[-4000:]}{done.stderr}"
    )
    return Settings.from_env(phc_env(data, REFERENCE_EXTRACTS_DIR))


def reference_output(settings: Settings) -> str:
    """What `make run` printed for the reference refresh."""
    return (settings.data_dir.parent / "make-run.out").read_text()


def copy_warehouse(reference: Settings, target: Path) -> Path:
    """A private copy of a refreshed data folder (DuckDB files, archive, exports, ...), with
    the same file modes."""
    shutil.copytree(reference.data_dir, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def accounts():
    """Two unprivileged OS accounts: an analyst (in a test analyst group) and an outsider."""
    if os.geteuid() != 0:
        pytest.skip("creating OS accounts needs root (CI and the dev machines run as root)")
    if not shutil.which("useradd"):
        pytest.skip("useradd is not installed")
    from tests.accounts import os_accounts

    with os_accounts() as made:
        yield made


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server (Debian's binaries), for the whole session."""
    from tests.postgres_cluster import postgres_bin, throwaway_cluster

    if postgres_bin() is None:
        pytest.skip(
            "PostgreSQL is not installed (Debian's postgresql package; .ci/run installs it)"
        )
    with throwaway_cluster() as cluster:
        yield cluster


def read_alerts(settings: Settings) -> list[dict]:
    """Every alert the refresh logged, in order (PHC_DATA_DIR/alerts/alerts.jsonl)."""
    path = settings.alerts_log_path
    return [json.loads(line) for line in path.read_text().splitlines()]
