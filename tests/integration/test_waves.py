"""Survey waves: the seed's reader, the ingest's wave rule, a second wave added to the
warehouse (not overwriting it) in either order of arrival, and what changed since the last
publish."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.contract import QUESTIONNAIRES
from orchestration.domain.waves import WavesError, read_waves
from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, REPO_ROOT, Settings
from reference.rows import read_rows, response, with_one_more, write_csv, write_extract
from tests.support.warehouse import copy_warehouse, read_alerts

WAVE_2019_DIR = REPO_ROOT / "reference" / "wave_2019"
SEED = REPO_ROOT / "seeds" / "curated" / "survey_waves.csv"


# ------------------------------------------------------------------------------ the seed


def test_the_waves_seed_reads_and_names_its_questionnaires():
    waves = read_waves(SEED)
    assert {(w.wave, w.survey_version, w.questionnaire) for w in waves} == {
        ("2017", "police", "police_2017"),
        ("2017", "national", "national_2017"),
        ("2019", "police", "police_2019"),
        ("2019", "national", "national_2019"),
    }
    assert {w.wave for w in waves if w.is_report_wave} == {"2017"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2018,police,police_2017,2017-12-01,2018-03-31,false", "overlap"),
        ("2021,police,police_2031,2021-01-01,2021-03-31,false", "not a police questionnaire"),
        ("2021,police,police_2019,2021-03-31,2021-01-01,false", "closes_on is before opens_on"),
        ("2021,police,police_2019,31/01/2021,2021-03-31,false", "not a date"),
    ],
)
def test_a_malformed_waves_seed_is_named(tmp_path, row, message):
    path = tmp_path / "survey_waves.csv"
    path.write_text(SEED.read_text() + row + "\n")
    with pytest.raises(WavesError, match=message):
        read_waves(path)


# ------------------------------------------------------------------------------ the ingest


def _rows(started: list[str]) -> list[dict[str, str]]:
    return [
        response(
            101 + i,
            answers={"Started": moment, "Ended": "", "Q4. Drugs: Active work": "Active work"},
        )
        for i, moment in enumerate(started)
    ]


def _ingest(settings: Settings):
    from orchestration.ingest.load import ingest_landing

    return ingest_landing(settings)


def test_a_2019_export_with_the_2019_questionnaire_loads_into_its_wave(warehouse_env):
    headers = QUESTIONNAIRES["police_2019"].headers
    rows = _rows(["02/05/2019 10:00:00", "03/05/2019 11:00:00"])
    rows[0]["Q4. County lines: Active work"] = "Active work"
    write_extract(warehouse_env.landing_dir / "police_20190601.csv", "police", rows, headers)
    report = _ingest(warehouse_env)
    assert [o.status for o in report.outcomes] == ["loaded"]
    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        assert con.execute("select wave, row_count from raw.deliveries").fetchall() == [("2019", 2)]
        assert con.execute(
            'select count("Q4. County lines: Active work") from raw.police_responses'
        ).fetchone() == (1,)


@pytest.mark.parametrize(
    ("started", "headers", "expected"),
    [
        (
            ["02/05/2015 10:00:00", "03/05/2015 11:00:00"],
            None,
            "a date within the window of one police survey wave",
        ),
        (
            ["01/09/2017 10:00:00", "02/05/2019 11:00:00"],
            None,
            "one export holds the responses of one wave",
        ),
        (
            ["01/09/2017 10:00:00", "02/09/2017 11:00:00"],
            QUESTIONNAIRES["police_2019"].headers,
            "the columns of questionnaire police_2017",
        ),
    ],
    ids=["no wave", "two waves", "another wave's questionnaire"],
)
def test_an_export_outside_one_wave_is_rejected(warehouse_env, started, headers, expected):
    landing = warehouse_env.landing_dir
    write_extract(landing / "police_20190601.csv", "police", _rows(started), headers)
    report = _ingest(warehouse_env)
    [outcome] = report.rejected
    assert expected in outcome.error_message()
    assert (Path(outcome.quarantine_path) / "report.md").exists()
    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*) from raw.deliveries").fetchone() == (0,)


def test_a_2019_grid_cell_is_checked_like_a_2017_one(warehouse_env):
    """The row checks read every Q4 column of the version's questionnaires, County lines too."""
    rows = _rows(["02/05/2019 10:00:00", "03/05/2019 11:00:00"])
    rows[1]["Q4. County lines: Active work"] = "yes"
    headers = QUESTIONNAIRES["police_2019"].headers
    write_extract(warehouse_env.landing_dir / "police_20190601.csv", "police", rows, headers)
    [outcome] = _ingest(warehouse_env).rejected
    assert (
        "row 2, column 'Q4. County lines: Active work': found 'yes'; expected empty or "
        "exactly 'Active work'" in outcome.error_message()
    )


def _snapshot(landing: Path, name: str, count: int, wave: str = "2017") -> None:
    """A police export of `count` responses of the wave."""
    started, headers = {
        "2017": ("01/09/2017 10:00:00", None),
        "2019": ("02/05/2019 10:00:00", QUESTIONNAIRES["police_2019"].headers),
    }[wave]
    write_extract(landing / name, "police", _rows([started] * count), headers)


def test_a_shrinking_full_snapshot_is_rejected_within_its_wave_only(warehouse_env):
    """A later export of a wave with fewer responses than an earlier one is broken; a new wave
    starts afresh, with as few responses as it has."""
    landing = warehouse_env.landing_dir
    _snapshot(landing, "police_20170915.csv", 3)
    _snapshot(landing, "police_20171001.csv", 2)  # lost a response: broken
    _snapshot(landing, "police_20190601.csv", 1, "2019")  # a new wave: fine
    report = _ingest(warehouse_env)
    assert [(o.file, o.status) for o in report.outcomes] == [
        ("police_20170915.csv", "loaded"),
        ("police_20171001.csv", "rejected"),
        ("police_20190601.csv", "loaded"),
    ]
    message = report.rejected[0].error_message()
    assert (
        "expected at least 3 responses, as many as police_20170915.csv (exported before "
        "it, in the same wave 2017) has"
        in message
        and "this one has 2" in message
    )
    assert (Path(report.rejected[0].quarantine_path) / "report.md").exists()


def test_a_late_export_with_more_responses_than_a_later_one_is_rejected(warehouse_env):
    landing = warehouse_env.landing_dir
    _snapshot(landing, "police_20171001.csv", 2)
    assert [o.status for o in _ingest(warehouse_env).outcomes] == ["loaded"]
    _snapshot(landing, "police_20170915.csv", 3)  # made earlier, arrives later, holds more
    _snapshot(landing, "police_20170901.csv", 1)  # made earlier, fewer: a true snapshot
    report = _ingest(warehouse_env)
    statuses = {o.file: o.status for o in report.outcomes}
    assert statuses["police_20170915.csv"] == "rejected"
    assert statuses["police_20170901.csv"] == "loaded"
    assert "at most 2 responses, as many as police_20171001.csv (exported after it" in (
        report.rejected[0].error_message()
    )


@pytest.mark.slow
def test_rejected_waves_leave_the_published_marts_unchanged(
    reference_refresh, tmp_path, monkeypatch
):
    """Both rejection cases, and a 2017 full snapshot that lost responses, in one refresh on a
    copy of the reference warehouse: nothing is published, each file alerts."""
    from tests.support.pipeline import run_refresh

    data = copy_warehouse(reference_refresh, tmp_path / "data")
    landing = tmp_path / "landing"
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)  # already loaded: skipped
    write_extract(landing / "police_20190601.csv", "police", _rows(["02/05/2015 10:00:00"]))
    write_extract(
        landing / "national_20190601.csv",
        "national",
        _rows(["01/09/2017 10:00:00", "02/05/2019 11:00:00"]),
    )
    headers, rows = read_rows(REFERENCE_EXTRACTS_DIR / "national_20171020.csv")
    write_csv(landing / "national_20171101.csv", headers, rows[:7])  # 7 of 28: a broken snapshot
    monkeypatch.setenv("PHC_DATA_DIR", str(data))
    monkeypatch.setenv("PHC_LANDING_DIR", str(landing))
    settings = Settings.from_env()
    before = settings.published_path.read_bytes()
    result = run_refresh()
    assert not result.success
    assert settings.published_path.read_bytes() == before
    alerts = [a for a in read_alerts(settings) if a["kind"] == "file_rejected"]
    assert sorted(a["title"] for a in alerts) == [
        "Export rejected: national_20171101.csv",
        "Export rejected: national_20190601.csv",
        "Export rejected: police_20190601.csv",
    ]
    shrunk = next(a for a in alerts if "national_20171101.csv" in a["title"])
    assert "at least 28 responses, as many as national_20171020.csv" in json.dumps(shrunk)


# ------------------------------------------------------------------------ two waves, end to end


def _marts(path: Path, skip=("publish_history",)) -> dict[str, list[tuple]]:
    """Every published mart's rows, sorted (loaded_at of source_exports left out: it is the
    time each file was received)."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall():
            if table in skip:
                continue
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = 'marts' "
                    "and table_name = ? and column_name <> 'loaded_at' order by column_index",
                    [table],
                ).fetchall()
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f"select {listed} from marts.{table} order by all").fetchall()
    return out


def _wave_rows(marts: dict[str, list[tuple]], path: Path, wave: str) -> dict[str, list[tuple]]:
    """The rows of one wave of every mart with a wave column (its position per mart)."""
    with duckdb.connect(str(path), read_only=True) as con:
        positions = dict(
            con.execute(
                "select table_name, column_index - 1 from duckdb_columns() "
                "where schema_name = 'marts' and column_name = 'wave'"
            ).fetchall()
        )
    return {
        table: [row for row in rows if row[positions[table]] == wave]
        for table, rows in marts.items()
        if table in positions
    }


@pytest.mark.slow
def test_a_second_wave_adds_to_the_warehouse_in_either_order(
    reference_refresh, tmp_path, monkeypatch
):
    from orchestration.domain.deliveries import discover
    from orchestration.ingest.load import ingest_files
    from tests.support.pipeline import run_build, run_refresh

    # 2017 then 2019: the 2019 exports dropped into the landing folder of the reference warehouse.
    data = copy_warehouse(reference_refresh, tmp_path / "forward")
    landing = tmp_path / "landing"
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)
    for path in WAVE_2019_DIR.glob("*.csv"):
        shutil.copy2(path, landing / path.name)
    monkeypatch.setenv("PHC_DATA_DIR", str(data))
    monkeypatch.setenv("PHC_LANDING_DIR", str(landing))
    monkeypatch.setenv("PHC_LANDING_SETTLE_SECONDS", "0")
    forward = Settings.from_env()
    assert run_refresh().success
    published = forward.published_path
    marts = _marts(published)
    reference = _marts(reference_refresh.published_path)

    # Every 2017 figure is the report's, as before; reconciliation unchanged.
    assert _wave_rows(marts, published, "2017") == _wave_rows(
        reference, reference_refresh.published_path, "2017"
    )
    assert marts["reconciliation"] == reference["reconciliation"]
    with duckdb.connect(str(published), read_only=True) as con:
        statuses = dict(
            con.execute("select status, count(*) from marts.reconciliation group by 1").fetchall()
        )
        waves = con.execute("select distinct wave from marts.waves order by 1").fetchall()
        county = con.execute(
            "select total_from, total_to, only_in_wave from marts.area_of_work_trend "
            "where area = 'County lines'"
        ).fetchone()
        ace = con.execute(
            "select total_from is not null, total_to is not null, only_in_wave "
            "from marts.area_of_work_trend where area = 'ACE (adverse child experiences)'"
        ).fetchone()
        trends = {
            t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
            for t in ("lead_agency_trend", "funding_trend", "priorities_trend", "demand_trend")
        }
        panel = dict(
            con.execute(
                "select answered_in, count(*) from marts.panel_organisations group by 1"
            ).fetchall()
        )
        moved = con.execute(
            "select count(*) filter (where moved_figures is not null), "
            "count(*) filter (where rows_changed > 0 or rows_removed > 0) "
            "from marts.publish_history "
            "where published_at = (select max(published_at) from marts.publish_history)"
        ).fetchone()
    assert statuses == {"match": 469, "known discrepancy": 3}
    assert waves == [("2017",), ("2019",)]
    assert county[0] is None and county[1] > 0 and county[2] == "2019"  # not a zero in 2017
    assert ace == (True, True, None)  # renamed in 2019, one area across the waves
    assert all(n > 0 for n in trends.values())
    assert panel["both waves"] > 0 and panel["only 2017"] > 0 and panel["only 2019"] > 0
    assert moved == (0, 0)  # nothing of 2017 moved: the new wave only added rows
    page = (forward.exports_latest / "report.html").read_text()
    assert 'data-key="Trend areas"' in page and 'data-key="Changes"' in page

    # 2019 first, then 2017: the same warehouse.
    monkeypatch.setenv("PHC_DATA_DIR", str(tmp_path / "reverse"))
    reverse = Settings.from_env()
    files = discover(landing)
    later_first = sorted(files, key=lambda f: "2019" not in f.name)  # 2019 first, stable
    report = ingest_files(later_first, reverse, settle_seconds=0)
    assert not report.rejected and len(report.outcomes) == 5
    assert run_build().success  # ingest and dbt: the marts are what the order could change
    assert _marts(reverse.warehouse_path) == _marts(forward.warehouse_path)


# ---------------------------------------------------------------- what changed since last publish


def _police_export_with_one_more_respondent(landing: Path) -> int:
    """The reference police export again, later, with one more respondent who ticked mental
    health work (a copy of a respondent who did, under a new Response ID); returns how many
    mental health ticks they add."""
    new = with_one_more(
        REFERENCE_EXTRACTS_DIR / "police_20171020.csv",
        landing / "police_20171101.csv",
        lambda r: r["Status"] == "Completed" and r["Q4. Mental Health: Active work"],
    )
    return sum(1 for h, v in new.items() if h.startswith("Q4. Mental Health:") and v)


@pytest.mark.slow
def test_the_change_summary_names_the_figures_that_moved(reference_refresh, tmp_path, monkeypatch):
    from tests.support.pipeline import run_refresh

    data = copy_warehouse(reference_refresh, tmp_path / "data")
    landing = tmp_path / "landing"
    shutil.copytree(REFERENCE_EXTRACTS_DIR, landing)
    ticks = _police_export_with_one_more_respondent(landing)
    monkeypatch.setenv("PHC_DATA_DIR", str(data))
    monkeypatch.setenv("PHC_LANDING_DIR", str(landing))
    monkeypatch.setenv("PHC_LANDING_SETTLE_SECONDS", "0")
    monkeypatch.setenv("PHC_NOTIFY_ON_PUBLISH", "1")
    settings = Settings.from_env()
    result = run_refresh()
    assert result.success

    moved_line = f"Mental health total 72 -> {72 + ticks} (wave 2017)"
    [published] = [
        m
        for m in result.get_asset_materialization_events()
        if m.asset_key.path == ["published", "warehouse"]
    ]
    metadata = published.materialization.metadata
    assert moved_line in metadata["moved_figures"].value
    assert "Included police responses 40 -> 41 (wave 2017)" in metadata["moved_figures"].value
    assert "| area_of_work |" in metadata["changes"].value
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        history = con.execute(
            "select count(distinct run_id), "
            "max(moved_figures) filter (where mart = 'area_of_work') "
            "from marts.publish_history"
        ).fetchone()
        added = con.execute(
            "select rows_added, rows_changed from marts.publish_history "
            "where mart = 'source_exports' order by published_at desc limit 1"
        ).fetchone()
    assert history[0] == 2 and moved_line in history[1]  # accumulated: the reference + this one
    assert added == (1, 1)  # the new export, and the old one no longer current
    assert moved_line in html.unescape((settings.exports_latest / "report.html").read_text())
    [notice] = [a for a in read_alerts(settings) if a["kind"] == "published"]
    assert moved_line in notice["what_broke"]
