"""What `make run` and `make status` print: a few lines, and everything a person needs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT, Settings
from tests.support.warehouse import copy_warehouse, phc_env, reference_output

pytestmark = pytest.mark.slow

STAGES = ("ingest", "dbt build", "publish gate", "publish")


def phc(command: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", command, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_run_prints_a_line_per_stage_and_a_short_summary(reference_refresh: Settings):
    output = reference_output(reference_refresh)
    lines = output.splitlines()
    assert len(lines) <= 30, output
    assert "DEBUG" not in output and "START sql table model" not in output
    for stage in STAGES:
        assert re.search(rf"^  done +{stage} .*\(\d+\.\d s\)$", output, re.M), (stage, output)
    assert "3 export(s) loaded (179 rows)" in output
    assert "Refresh succeeded" in output
    for words in ("Loaded", "Rejected", "Checks", "Published", "Report exports", "Full log"):
        assert re.search(rf"^  {words} ", output, re.M), (words, output)
    assert "4 of 4 Great Expectations checks passed" in output
    assert f"yes: {reference_refresh.published_path}" in output
    # The full Dagster log, dbt's output included, is in the file the summary names.
    log = Path(re.search(r"^  Full log +(\S+)$", output, re.M)[1])
    assert log.parent == reference_refresh.logs_dir
    text = log.read_text()
    assert "DEBUG" in text and "START sql table model" in text and "STEP_SUCCESS" in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_make_status_before_any_refresh(tmp_path: Path):
    env = phc_env(tmp_path / "data", REFERENCE_EXTRACTS_DIR)
    done = phc("status", env)
    assert done.returncode == 0 and "No warehouse yet" in done.stdout, done.stdout + done.stderr
    (tmp_path / "data").mkdir()
    done = phc("status", env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Last refresh    none yet" in done.stdout
    assert "nothing published yet" in done.stdout
    assert "Last alerts     none" in done.stdout
    assert not (tmp_path / "data" / "dagster_home").exists()  # status writes nothing


def test_make_status_after_the_reference_refresh(reference_refresh: Settings, tmp_path: Path):
    data = copy_warehouse(reference_refresh, tmp_path / "data")
    run_id = re.search(r"\(run ([0-9a-f-]{36})\)", reference_output(reference_refresh))[1]
    done = phc("status", phc_env(data, REFERENCE_EXTRACTS_DIR))
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert len(out.splitlines()) <= 12, out
    assert "SUCCESS" in out and run_id in out
    assert "3 export(s), 179 rows" in out
    assert "police: police_20171020.csv (131 rows)" in out
    assert "national: national_20171020.csv (28 rows)" in out  # the current national export
    assert re.search(r"Coding queue +\d+ free-text answer", out)
    assert "exports/latest -> runs/" in out
    assert re.search(r"Published file +\S+/published/warehouse\.duckdb, \d+ (s|min) old", out)
    assert "nothing new since the last publish" in out
    assert "Last alerts     none" in out
