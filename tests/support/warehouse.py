"""Helpers for tests on data folders: their environment, copies and what is in them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb

from orchestration.runtime.settings import Settings


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
    """The environment of a `phc` command as make would run it, on these folders. Test files
    are written whole, so the ingest does not wait for them to settle (unless `extra` says)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHC_", "DAGSTER_HOME"))}
    env.update(
        PHC_DATA_DIR=str(data),
        PHC_LANDING_DIR=str(landing),
        PHC_LANDING_SETTLE_SECONDS="0",
        DO_NOT_TRACK="1",
    )
    env.update(extra)
    return env


def usual_umask() -> None:
    """preexec_fn: the umask most accounts have (022: new files readable by everyone)."""
    os.umask(0o022)


def reference_output(settings: Settings) -> str:
    """What `make run` printed for the reference refresh."""
    return (settings.data_dir.parent / "make-run.out").read_text()


def copy_warehouse(reference: Settings, target: Path) -> Path:
    """A private copy of a refreshed data folder (DuckDB files, archive, exports, ...), with
    the same file modes."""
    shutil.copytree(reference.data_dir, target, symlinks=True)
    return target


def read_alerts(settings: Settings) -> list[dict]:
    """Every alert the refresh logged, in order (PHC_DATA_DIR/alerts/alerts.jsonl)."""
    return [json.loads(line) for line in settings.alerts_log_path.read_text().splitlines()]


def logged_alerts(data_dir: Path) -> list[dict]:
    """Every alert logged in this data folder so far, in order; none when nothing was logged."""
    path = Settings.from_env({"PHC_DATA_DIR": str(data_dir)}).alerts_log_path
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
