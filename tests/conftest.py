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


@pytest.fixture(scope="session")
def reference_refresh(tmp_path_factory) -> Settings:
    """One real refresh of the reference extracts per test session (read it, do not write).

    Tests that change a warehouse take a copy with `copy_warehouse`.
    """
    from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR
    from tests.pipeline import run_refresh

    data = tmp_path_factory.mktemp("reference") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHC_DATA_DIR", str(data))
        patch.setenv("PHC_LANDING_DIR", str(REFERENCE_EXTRACTS_DIR))
        result = run_refresh()
        assert result.success, "the refresh of the reference extracts failed"
        return Settings.from_env()


def copy_warehouse(reference: Settings, target: Path) -> Path:
    """A private copy of a refreshed data folder (DuckDB files, archive, exports, ...)."""
    shutil.copytree(reference.data_dir, target, symlinks=True)
    return target


def read_alerts(settings: Settings) -> list[dict]:
    """Every alert the refresh logged, in order (PHC_DATA_DIR/alerts/alerts.jsonl)."""
    path = settings.alerts_dir / "alerts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]
