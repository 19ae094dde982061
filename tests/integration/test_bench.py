"""The benchmark's tools: the synthetic export generator and the plain DuckDB baseline.

- the generator is deterministic and writes exactly N contract-shaped rows, streaming (the rows
  never exist as Python objects);
- a synthetic export passes the ingest's validation, and the real refresh on it computes the
  same marts.area_of_work as bench/baseline.py on the same files, row for row.
"""

from __future__ import annotations

import hashlib
import shutil
import tracemalloc
from pathlib import Path

import duckdb
import pytest

from bench import baseline, synthetic
from orchestration.domain.contract import HEADERS
from orchestration.runtime.settings import REFERENCE_EXTRACTS_DIR, Settings
from tests.support.pipeline import run_refresh

NATIONAL_REFERENCE = REFERENCE_EXTRACTS_DIR / "national_20171020.csv"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_export(path: Path) -> duckdb.DuckDBPyRelation:
    con = duckdb.connect()
    return con.read_csv(
        str(path), header=True, all_varchar=True, delimiter=",", quotechar='"', escapechar='"'
    )


def test_generator_is_deterministic_and_streams(tmp_path: Path) -> None:
    n = 50_000
    tracemalloc.start()
    first = synthetic.write_export("police", n, seed=7, out_dir=tmp_path / "a")
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    second = synthetic.write_export("police", n, seed=7, out_dir=tmp_path / "b")
    other = synthetic.write_export("police", n, seed=8, out_dir=tmp_path / "c")

    assert first.name == "police_20171020.csv"
    assert sha256(first) == sha256(second), "same seed, different bytes"
    assert sha256(first) != sha256(other), "the seed changes nothing"
    # Streaming: the rows are generated and written by DuckDB, never held in Python. A file of
    # this size (tens of MB) built as Python rows would allocate far more than this.
    assert first.stat().st_size > 20 * 2**20
    assert python_peak < 16 * 2**20, f"Python allocated {python_peak / 2**20:.0f} MB"

    rel = read_export(first)
    assert rel.columns == list(HEADERS["police"])
    counts = rel.aggregate(
        'count(*), count(distinct "Response ID"), '
        "count(*) filter (where Status = 'Completed'), "
        "count(*) filter (where Status = 'Completed' and Ended is null), "
        "count(*) filter (where Status = 'Partial' and Ended is not null)"
    ).fetchall()[0]
    rows, ids, completed, completed_open, partial_ended = counts
    assert rows == ids == n
    assert 0.2 < completed / n < 0.3  # the reference's 32 of 131
    assert completed_open == partial_ended == 0
    assert not list((tmp_path / "a").glob(".*")), "the temporary .part file was left behind"


def test_generator_writes_both_versions_with_the_mix_of_responses(tmp_path: Path) -> None:
    path = synthetic.write_export("national", 2_000, seed=3, out_dir=tmp_path)
    assert path.name == "national_20171020.csv"
    rel = read_export(path)
    assert rel.columns == list(HEADERS["national"])
    later = [h for h in HEADERS["national"][10:]]
    identity = [h for h in HEADERS["national"][5:10]]

    def any_answered(columns: list[str]) -> str:
        joined = ", ".join('"' + c + '"' for c in columns)
        return f"coalesce(trim(concat_ws('', {joined})), '') <> ''"

    kinds = dict(
        rel.aggregate(
            f"case when {any_answered(later)} then 'included' "
            f"when {any_answered(identity)} then 'identity only' else 'no data' end as kind, "
            "count(*)",
            "kind",
        ).fetchall()
    )
    assert set(kinds) == {"included", "identity only", "no data"}
    assert all(count > 100 for count in kinds.values()), kinds
    text = path.read_bytes().decode("utf-8")
    assert '""' in text and "\r\n" in text  # doubled quotes, a CRLF inside a quoted field
    assert "@example.org" in text and "07700 900" in text


@pytest.mark.slow
def test_refresh_on_synthetic_data_equals_the_baseline(warehouse_env: Settings) -> None:
    landing = warehouse_env.landing_dir
    police = synthetic.write_export("police", 300, seed=11, out_dir=landing)
    national = Path(shutil.copy2(NATIONAL_REFERENCE, landing / NATIONAL_REFERENCE.name))

    result = run_refresh()

    with duckdb.connect(str(warehouse_env.warehouse_path), read_only=True) as con:
        loaded = dict(con.execute("select file_name, row_count from raw.deliveries").fetchall())
        mart = con.execute(
            f"select {', '.join(baseline.COLUMNS)} from marts.area_of_work"
        ).fetchall()
    # The synthetic export passed the ingest's validation: loaded, all 300 rows, none rejected.
    assert loaded == {police.name: 300, national.name: 28}
    assert not warehouse_env.quarantine_dir.exists() or not any(
        warehouse_env.quarantine_dir.iterdir()
    )
    assert result.success, "the refresh of a valid synthetic export failed"

    expected = baseline.area_of_work([police, national])
    assert len(expected) == 24
    assert sorted(mart) == sorted(expected)
    assert sum(row[4] for row in expected) > 1000  # 300 respondents tick plenty
