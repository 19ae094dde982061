"""Seeds by owner: seeds/reference/ is generated or copied and compared byte for byte with its
source; seeds/curated/ is hand-kept, checked by dbt tests, and never regenerated. An analyst who
does what the README says (append a row to a curated CSV) changes what the warehouse computes
and breaks no test."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT, Settings
from reference.rows import with_one_more
from tests.support.pipeline import invoke_dbt
from tests.support.reference_outputs import (
    EXTRACT_NAMES,
    byte_compared_files,
    check_reference_outputs,
)

SEEDS = REPO_ROOT / "seeds"
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test"]

# A new police export: the reference rows plus one respondent who typed their force in a way no
# alias knows and gave a lead agency no codebook rule matches.
NEW_EXPORT = "police_20171101.csv"
NEW_SPELLING = "Beds. Constabulary (HQ)"
NEW_ALIAS_KEY = "beds constabulary hq"
NEW_LEAD_AGENCY = "It varies - whoever picks it up first"
MANUAL_CATEGORY = "Health and police joint lead"


def seed_folder_state() -> dict[str, tuple[str, int]]:
    """Every seed file's content hash and modification time (a rewrite with the same bytes
    shows too)."""
    return {
        str(path.relative_to(SEEDS)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(SEEDS.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_seeds_are_split_by_owner():
    reference = {p.name for p in (SEEDS / "reference").glob("*.csv")}
    curated = {p.name for p in (SEEDS / "curated").glob("*.csv")}
    assert reference == {"question_map.csv", "published_figures.csv"}
    assert {"manual_codes.csv", "organisation_aliases.csv", "organisations.csv"} <= curated
    assert {f"codebook_{q}.csv" for q in ("lead_agency", "funding", "priorities", "demand")} <= (
        curated
    )
    assert not list(SEEDS.glob("*.csv"))  # every seed has an owner


def test_the_generator_writes_extracts_and_never_a_seed(tmp_path):
    before = seed_folder_state()
    run = subprocess.run(
        [sys.executable, "-m", "reference.generator", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXTRACT_NAMES)
    assert seed_folder_state() == before
    assert not any((SEEDS / "curated") in p.parents for p in byte_compared_files(REPO_ROOT))


def test_check_curated_names_a_missing_row(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(SEEDS / "curated", curated)
    manual = curated / "manual_codes.csv"
    lines = manual.read_text(encoding="utf-8").splitlines(keepends=True)
    manual.write_text("".join(lines[:-1]), encoding="utf-8")  # drop one code the extracts need
    run = subprocess.run(
        [sys.executable, "-m", "reference.generator", "--check-curated", str(curated)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "manual_codes.csv lacks 1 row(s)" in run.stdout and lines[-1].strip() in run.stdout


# ---------------------------------------------------------------------------- the analyst


def copy_checkout(target: Path) -> Path:
    """The parts of the repository an analyst's edit touches and the reference tests read: the
    dbt project (without its target), the seeds, the extracts and their generator, the tests."""
    ignore = shutil.ignore_patterns("target", "logs", "dbt_packages", "__pycache__")
    for part in ("dbt_project", "seeds", "reference"):
        shutil.copytree(REPO_ROOT / part, target / part, ignore=ignore)
    for name in (
        "__init__.py",
        "support/__init__.py",
        "support/reference_outputs.py",
        "unit/__init__.py",
        "unit/test_reference_extracts.py",
    ):
        (target / "tests" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / "tests" / name, target / "tests" / name)
    return target


def append_row(path: Path, row: list[str]) -> None:
    """What the README tells an analyst to do: one more line at the end of the CSV."""
    assert path.read_bytes().endswith(b"\n")
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(row)


def write_new_export(landing: Path) -> int:
    """The reference police export again, later, with one new respondent; returns their ID."""
    new = with_one_more(
        REFERENCE_EXTRACTS_DIR / "police_20171020.csv",
        landing / NEW_EXPORT,
        lambda r: r["Status"] == "Completed" and r["Q5. Lead Agency"].strip(),
        {"Q1. Police Force": NEW_SPELLING, "Q5. Lead Agency": NEW_LEAD_AGENCY},
    )
    return int(new["Response ID"])


def lead_agency_code(con, response_id: int) -> list[tuple]:
    return con.execute(
        "select category, coding_method from intermediate.int_coded_answers "
        "where survey = 'police' and response_id = ? and question_key = 'lead_agency'",
        [response_id],
    ).fetchall()


def organisation(con, response_id: int) -> list[tuple]:
    return con.execute(
        "select organisation_name_key, organisation, is_unknown_organisation "
        "from intermediate.int_respondent_organisations "
        "where survey = 'police' and response_id = ?",
        [response_id],
    ).fetchall()


def queued(con) -> list[int]:
    rows = con.execute("select response_id from marts.coding_queue order by all").fetchall()
    return [r for (r,) in rows]


def lead_agency_projects(con) -> dict[str, int]:
    return dict(con.execute("select lead_agency, projects from marts.lead_agency").fetchall())


def dbt_test_statuses(target: Path, reading: tuple[str, ...] = ()) -> dict[str, str]:
    """name -> status of every dbt test of the last run (those reading one of the seeds named
    in `reading`, if given)."""
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    results = json.loads((target / "run_results.json").read_text())["results"]
    seeds = {f"seed.phc_warehouse.{name}" for name in reading}
    return {
        nodes[r["unique_id"]]["name"]: r["status"]
        for r in results
        if r["unique_id"].startswith("test.")
        and (not seeds or seeds & set(nodes[r["unique_id"]]["depends_on"]["nodes"]))
    }


@pytest.mark.slow
def test_an_analyst_adds_a_manual_code_and_an_alias(warehouse_env: Settings, tmp_path, monkeypatch):
    checkout = copy_checkout(tmp_path / "checkout")
    project, target = checkout / "dbt_project", tmp_path / "target"
    curated = checkout / "seeds" / "curated"
    for name in EXTRACT_NAMES:
        shutil.copy2(REFERENCE_EXTRACTS_DIR / name, warehouse_env.landing_dir / name)
    new_id = write_new_export(warehouse_env.landing_dir)

    from orchestration.ingest.load import ingest_landing

    report = ingest_landing(warehouse_env)
    assert len(report.outcomes) == 4 and not report.rejected
    monkeypatch.setenv("PHC_WAREHOUSE_PATH", str(warehouse_env.warehouse_path))
    monkeypatch.setenv("DO_NOT_TRACK", "1")

    # Before: the new answer waits in the coding queue, the new spelling is unknown.
    assert invoke_dbt(DBT_BUILD, target, project_dir=project).success
    with duckdb.connect(str(warehouse_env.warehouse_path)) as con:  # as dbt opened it
        assert lead_agency_code(con, new_id) == [(None, "queued")]
        assert new_id in queued(con)
        assert organisation(con, new_id) == [(NEW_ALIAS_KEY, None, True)]
        projects_before = lead_agency_projects(con)
    assert dbt_test_statuses(target)["assert_unknown_organisations"] == "warn"

    # The analyst appends one row to each of two curated files, as the README says.
    manual_code = ["police", str(new_id), "lead_agency", MANUAL_CATEGORY]
    append_row(curated / "manual_codes.csv", manual_code)
    append_row(curated / "organisation_aliases.csv", [NEW_ALIAS_KEY, "Bedfordshire Police"])

    # No byte comparison covers them: the extracts and reference seeds are still identical to
    # their sources, and the whole reference test module passes on the edited checkout.
    assert check_reference_outputs(checkout, tmp_path / "regenerated") == []
    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "tests/unit/test_reference_extracts.py",
        ],
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout

    # After: the manual code replaces the queue, the alias resolves, the curated tests pass.
    assert invoke_dbt(DBT_BUILD, target, project_dir=project).success
    with duckdb.connect(str(warehouse_env.warehouse_path)) as con:  # as dbt opened it
        assert lead_agency_code(con, new_id) == [(MANUAL_CATEGORY, "manual")]
        assert new_id not in queued(con)
        assert organisation(con, new_id) == [(NEW_ALIAS_KEY, "Bedfordshire Police", False)]
        projects_after = lead_agency_projects(con)
    assert projects_after == {
        **projects_before,
        MANUAL_CATEGORY: projects_before[MANUAL_CATEGORY] + 1,
    }
    statuses = dbt_test_statuses(target, reading=("manual_codes", "organisation_aliases"))
    assert len(statuses) >= 8 and set(statuses.values()) == {"pass"}, statuses
    assert dbt_test_statuses(target)["assert_unknown_organisations"] == "pass"

    # A row typed wrongly is caught by the curated seed's dbt tests, naming the test.
    append_row(curated / "organisation_aliases.csv", ["Beds Police HQ", "Bedfordshire Police"])
    assert not invoke_dbt(["build", "--select", "organisation_aliases"], target, project).success
    failed = dbt_test_statuses(target, reading=("organisation_aliases",))
    assert failed["assert_organisation_alias_keys_are_normalised"] == "fail"
