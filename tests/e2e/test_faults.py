"""Faults: whatever stops a refresh, nothing is lost and nothing is half-published."""

from __future__ import annotations

import base64
import hashlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.deliveries import LandedFile, parse_name
from orchestration.ingest.load import VANISHED, ingest_files
from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT, ConfigError, Settings
from reference.rows import response, write_extract
from tests.support.pipeline import ensure_manifest
from tests.support.warehouse import copy_warehouse, phc_env, table_fingerprints

pytestmark = pytest.mark.slow


def run_phc(command: str, env: dict[str, str], *args: str, **options):
    """`phc <command>` as a real process, as make would run it; returns its result."""
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", command, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=options.pop("timeout", 600),
        **options,
    )


def start_refresh(env: dict[str, str], log: Path, command: str = "run", *args: str):
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", command, *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until(condition, what: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def snapshot(data: Path) -> tuple[str, str, dict[str, str]]:
    """The published file's bytes and the latest exports: what readers see."""
    published = hashlib.sha256((data / "published" / "warehouse.duckdb").read_bytes())
    latest = data / "exports" / "latest"
    files = {
        str(p.relative_to(latest)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(latest.rglob("*"))
        if p.is_file()
    }
    return published.hexdigest(), os.readlink(latest), files


@pytest.fixture
def refreshed(tmp_path: Path, reference_refresh: Settings) -> tuple[Path, Path]:
    """A private data folder after one good refresh of the reference extracts."""
    ensure_manifest()
    data, landing = tmp_path / "data", tmp_path / "landing"
    copy_warehouse(reference_refresh, data)
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)
    return data, landing


def test_killed_at_any_stage_or_out_of_disk_readers_see_nothing_and_the_next_refresh_works(
    refreshed, tmp_path: Path
):
    """One data folder through every fault in turn, each leaving what readers see (the
    published file, the latest exports) as it was; then two overlapping refreshes, the first
    of which must recover from all of it (one refresh for the three, not one each: the
    refresh after a kill, after a full disk and beside another is the same refresh)."""
    data, landing = refreshed
    before = snapshot(data)
    # Something new to load, so every stage has work to do.
    (landing / "police_20171101.csv").write_bytes(
        (landing / "police_20171020.csv").read_bytes() + b"\r\n"
    )

    # Killed: one refresh per kill; the last one first pauses at publish (its new file written
    # beside the published one), where readers must see nothing new, then goes on to be killed
    # at exports, which leaves the publish's new file and the new exports behind: the
    # leftovers of a kill at publish, and more.
    for point in ("ingest", "dbt", "checks", "exports"):
        pause_at = "publish,exports" if point == "exports" else point
        env = phc_env(data, landing, PHC_PAUSE_AT=pause_at, PHC_PAUSE_SECONDS="120")
        log = tmp_path / f"killed-at-{point}.log"
        process = start_refresh(env, log, "run", "--verbose")  # dbt's and Dagster's log too
        if point == "dbt":  # kill while dbt is building
            wait_until(lambda log=log: "START sql table model" in log.read_text(), "dbt")
        elif point == "checks":
            wait_until(lambda log=log: "publish_gate" in log.read_text(), "checks")
        else:
            if point == "exports":
                wait_until((data / ".paused-publish").exists, "the pause at publish")
                assert snapshot(data) == before, "readers saw a change while paused at publish"
                assert list((data / "published").glob(".warehouse.duckdb.publish-*"))
                (data / ".paused-publish").unlink()  # go on
            wait_until((data / f".paused-{point}").exists, f"the pause at {point}")
        os.kill(process.pid, signal.SIGKILL)  # the refresh process only, as a crash would
        process.wait()
        (data / f".paused-{point}").unlink(missing_ok=True)
        # dbt and any other child die with it: nothing keeps the DuckDB file locked.
        wait_until(
            lambda p=process: not group_alive(p.pid), f"children of the killed {point}", timeout=30
        )
        assert snapshot(data) == before, f"readers saw a change after a kill at {point}"

    # Out of disk: a file-size limit stands in for a full disk (writes past it fail with
    # EFBIG), on a big export.
    # Comments that do not compress (DuckDB would store 3,000 copies of one string in a few
    # bytes, and the refresh might then never reach the limit): ~6 MB the warehouse must hold.
    def comment(seed: int) -> str:
        return base64.b64encode(random.Random(seed).randbytes(1500)).decode()

    big = [
        response(
            i, answers={"Q1. Police Force": "Kent Police", "Q13. Further comments": comment(i)}
        )
        for i in range(1, 3001)
    ]
    write_extract(landing / "police_20171102.csv", "police", big)
    limit = (data / "warehouse.duckdb").stat().st_size + 2_000_000

    def limit_writes():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_phc("run", phc_env(data, landing), preexec_fn=limit_writes, timeout=600)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "File too large" in output or "EFBIG" in output, output[-3000:]
    assert snapshot(data) == before, "readers saw a change after the disk filled up"
    (landing / "police_20171102.csv").unlink()

    # Overlapping: the next refresh holds the lock (paused in the ingest of one more new
    # export) while a second starts; the second waits for it, and both succeed (the second
    # with nothing left to do).
    (landing / "national_20171101.csv").write_bytes(
        (landing / "national_20171020.csv").read_bytes() + b"\n"
    )
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    first = start_refresh(
        phc_env(data, landing, PHC_PAUSE_AT="ingest", PHC_PAUSE_SECONDS="3"), logs[0]
    )
    wait_until((data / ".paused-ingest").exists, "the first refresh to hold the lock")
    second = start_refresh(phc_env(data, landing), logs[1])
    assert first.wait(timeout=600) == 0, logs[0].read_text()[-3000:]
    assert second.wait(timeout=300) == 0, logs[1].read_text()[-3000:]
    assert "Refresh succeeded" in logs[0].read_text()
    assert "Another refresh is running" in logs[1].read_text()
    # ... and then found that the first had published what it would have read.
    assert "Nothing new" in logs[1].read_text()

    after = snapshot(data)
    assert after[1] != before[1]  # new exports switched in
    with duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True) as con:
        published = con.execute(
            "select file_name, is_current from marts.source_exports order by all"
        ).fetchall()
    # Every export loaded on the way is published: the one the kills interrupted, the big
    # one (the refresh that ran out of disk had loaded it before it failed: it stays in the
    # working file, unpublished, until the next refresh) and the overlapping refresh's.
    assert ("police_20171101.csv", False) in published
    assert ("police_20171102.csv", True) in published
    assert ("national_20171101.csv", True) in published
    leftovers = [p.name for p in (data / "published").iterdir() if p.name != "warehouse.duckdb"]
    assert leftovers in ([], [".warehouse.duckdb.lock"], [".publish.lock"]) or all(
        "lock" in name for name in leftovers
    ), leftovers


def test_rebuild_from_the_archive_alone_gives_the_same_marts(refreshed, tmp_path: Path):
    data, landing = refreshed
    marts = table_fingerprints(data / "warehouse.duckdb", ("marts",))
    shutil.rmtree(landing)  # the landing folder is gone ...
    landing.mkdir()
    (data / "warehouse.duckdb").unlink()  # ... and so is the warehouse
    (data / "published" / "warehouse.duckdb").unlink()
    env = phc_env(data, landing)
    result = run_phc("rebuild", env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    rebuilt = table_fingerprints(data / "warehouse.duckdb", ("marts",))
    assert rebuilt == marts
    assert (data / "published" / "warehouse.duckdb").exists()

    # A damaged archive file is reported, never used; nothing changes.
    archived = next(data.glob("archive/*/*.csv"))
    os.chmod(archived, 0o644)
    archived.write_bytes(archived.read_bytes().replace(b"Completed", b"Complete!", 1))
    before = (data / "warehouse.duckdb").read_bytes()
    result = run_phc("rebuild", env)
    assert result.returncode == 1
    assert archived.name in result.stderr and "do not match the hash" in result.stderr
    assert (data / "warehouse.duckdb").read_bytes() == before


def test_a_growing_file_is_loaded_only_when_whole(warehouse_env: Settings, monkeypatch):
    monkeypatch.setenv("PHC_LANDING_SETTLE_SECONDS", "1")
    settings = Settings.from_env()
    rows = [response(i, answers={"Q1. Police Force": "Kent Police"}) for i in range(1, 301)]
    full = warehouse_env.landing_dir / "whole.csv"
    write_extract(full, "police", rows)
    content = full.read_bytes()
    full.unlink()
    target = warehouse_env.landing_dir / "police_20171101.csv"

    def copy_slowly():  # a slow copy into the landing folder, 10 pieces 0.3 s apart
        with target.open("wb") as out:
            for i in range(10):
                out.write(content[i * len(content) // 10 : (i + 1) * len(content) // 10])
                out.flush()
                time.sleep(0.3)

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    time.sleep(0.5)
    landed = parse_name(target)
    report = ingest_files([landed], settings)
    writer.join()
    assert report.outcomes[0].rows == 300


def test_a_file_removed_before_it_is_read_is_reported(warehouse_env: Settings):
    gone = LandedFile(
        warehouse_env.landing_dir / "police_20171101.csv",
        "police",
        parse_name(Path("police_20171101.csv")).exported_at,
        "csv",
    )
    outcome = ingest_files([gone], warehouse_env).outcomes[0]
    assert outcome.status == VANISHED and "removed" in outcome.note


@pytest.mark.parametrize(
    "variable, value, words",
    [
        ("PHC_DATA_DIR", "{file}", ["PHC_DATA_DIR", "is a file"]),
        ("PHC_DATA_DIR", "/proc/phc-data", ["PHC_DATA_DIR", "cannot be written"]),
        ("PHC_LANDING_DIR", "{missing}", ["PHC_LANDING_DIR", "is not a folder"]),
        ("PHC_ALERT_SMTP_PORT", "twenty-five", ["PHC_ALERT_SMTP_PORT", "not a port"]),
        ("PHC_ALERT_WEBHOOK_URL", "hooks.example.org/x", ["PHC_ALERT_WEBHOOK_URL", "http"]),
        ("PHC_DUCKDB_MEMORY_LIMIT", "lots", ["PHC_DUCKDB_MEMORY_LIMIT", "1GB or 512MB"]),
    ],
)
def test_bad_configuration_is_named_before_any_work(tmp_path: Path, variable, value, words):
    (tmp_path / "a-file").write_text("x")
    value = value.format(file=tmp_path / "a-file", missing=tmp_path / "missing")
    env = phc_env(tmp_path / "data", REFERENCE_EXTRACTS_DIR, **{variable: value})
    result = run_phc("run", env, timeout=120)
    assert result.returncode == 2
    for word in words:
        assert word in result.stderr
    assert not (tmp_path / "data" / "warehouse.duckdb").exists()
    with pytest.raises(ConfigError):
        s = Settings.from_env(env)
        s.check_ready()


def test_duckdb_memory_limit_reaches_duckdb_and_the_dbt_profile(tmp_path: Path):
    settings = Settings.from_env(
        {"PHC_DATA_DIR": str(tmp_path / "data"), "PHC_DUCKDB_MEMORY_LIMIT": "512MB"}
    )
    assert settings.dbt_env()["PHC_DUCKDB_MEMORY_LIMIT"] == "512MB"  # profiles.yml reads it
    with duckdb.connect(config=settings.duckdb_config()) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit.startswith("488.2 MiB")  # 512 MB
    assert Settings.from_env({}).duckdb_memory_limit == "1GB"
    profile = (REPO_ROOT / "dbt_project" / "profiles.yml").read_text()
    assert "memory_limit: \"{{ env_var('PHC_DUCKDB_MEMORY_LIMIT'" in profile
