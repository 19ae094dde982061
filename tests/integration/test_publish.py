"""Write-audit-publish: what the published file holds, atomic swaps under a live reader, and
failed publishes that leave the published file exactly as it was."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publish.warehouse_copy import PublishError, publish, published_fingerprint

REPO_ROOT = Path(__file__).resolve().parents[2]


def make_working(path: Path, version: int, extra_sql: str = "") -> Path:
    """A working warehouse: raw (with personal data), staging, and marts (table + view).

    `marts.detail` and `marts.totals` must agree (sum of detail = total, same version): a reader
    seeing half of a publish would see them disagree.
    """
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute(
        f"""
        create schema raw; create schema staging; create schema marts;
        create table raw.responses as
            select range as id, '203.0.113.' || (range % 250) as "IP Address"
            from range(10);
        create view staging.responses as select id from raw.responses;
        create table marts.detail as
            select {version} as version, range as item, range * {version} as value
            from range({version} * 500);
        create table marts.totals as
            select {version} as version, sum(value)::bigint as total from marts.detail;
        create view marts.response_count as select count(*) as responses from staging.responses;
        comment on table marts.totals is 'One row: the total of marts.detail';
        comment on column marts.totals.total is 'Sum of detail.value, it''s the check';
        comment on view marts.response_count is 'Responses in the export';
        comment on column marts.response_count.responses is 'Count of responses';
        {extra_sql}
        """
    )
    con.close()
    return path


def temp_files(published: Path) -> list[Path]:
    return sorted(published.parent.glob(f".{published.name}.publish-*"))


def test_published_file_has_only_marts_as_tables_with_comments(tmp_path: Path) -> None:
    working = make_working(tmp_path / "warehouse.duckdb", version=1)
    published = tmp_path / "published" / "warehouse.duckdb"

    result = publish(working, published)

    assert result.row_counts == {
        "marts.detail": 500,
        "marts.response_count": 1,
        "marts.totals": 1,
    }
    assert result.sha256 == published_fingerprint(published)
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() order by 1, 2"
        ).fetchall()
        assert tables == [
            ("marts", "detail", None),
            ("marts", "response_count", "Responses in the export"),  # the view, now a table
            ("marts", "totals", "One row: the total of marts.detail"),
        ]
        assert (
            con.execute("select count(*) from duckdb_views() where not internal").fetchone()[0] == 0
        )
        schemas = {
            row[0] for row in con.execute("select schema_name from duckdb_schemas()").fetchall()
        }
        assert "raw" not in schemas and "staging" not in schemas
        comments = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where comment is not null order by 1, 2"
        ).fetchall()
        assert comments == [
            ("response_count", "responses", "Count of responses"),
            ("totals", "total", "Sum of detail.value, it's the check"),
        ]
        assert con.execute("select responses from marts.response_count").fetchone() == (10,)
        columns = con.execute(
            "select column_name from duckdb_columns() where database_name = current_database()"
        ).fetchall()
        assert sorted(c for (c,) in columns) == [
            "item",
            "responses",
            "total",
            "value",
            "version",
            "version",
        ]
    finally:
        con.close()
    assert temp_files(published) == []


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    path, mode, stop = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    # One statement = one snapshot: detail and totals must agree within it.
    query = '''
        select (select max(version) from marts.detail), (select sum(value) from marts.detail),
               (select version from marts.totals), (select total from marts.totals)
    '''
    seen, errors, queries = [], [], 0
    held = duckdb.connect(path, read_only=True) if mode == "hold" else None
    print("ready", flush=True)
    while not stop.exists():
        try:
            con = held or duckdb.connect(path, read_only=True)
            detail_version, detail_sum, total_version, total = con.execute(query).fetchone()
            if held is None:
                con.close()
            queries += 1
            if (detail_version, detail_sum) != (total_version, total):
                mixed = (detail_version, detail_sum, total_version, total)
                errors.append(f"half a publish: {mixed}")
            if not seen or seen[-1] != total_version:
                seen.append(total_version)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.002)
    print(json.dumps({"seen": seen, "errors": errors, "queries": queries}), flush=True)
    """
)


def test_reader_in_another_process_never_blocks_nor_sees_half_a_publish(tmp_path: Path) -> None:
    published = tmp_path / "published" / "warehouse.duckdb"
    publish(make_working(tmp_path / "w1.duckdb", version=1), published)
    # Build the next versions up front, so the publishes follow each other quickly.
    workings = [make_working(tmp_path / f"w{v}.duckdb", version=v) for v in range(2, 7)]
    stop = tmp_path / "stop"
    script = tmp_path / "reader.py"
    script.write_text(READER)
    readers = {
        mode: subprocess.Popen(
            [sys.executable, str(script), str(published), mode, str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )
        for mode in ("hold", "reconnect")
    }
    try:
        for reader in readers.values():
            assert reader.stdout is not None
            assert reader.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        durations = []
        for working in workings:
            started = time.monotonic()
            publish(working, published)
            durations.append(time.monotonic() - started)
            time.sleep(0.3)  # give the reconnecting reader time to see this version
    finally:
        stop.touch()
        outputs = {mode: reader.communicate(timeout=30) for mode, reader in readers.items()}

    results = {}
    for mode, (stdout, stderr) in outputs.items():
        assert readers[mode].returncode == 0, stderr
        results[mode] = json.loads(stdout.strip().splitlines()[-1])
        assert results[mode]["errors"] == [], (mode, results[mode]["errors"][:5])
        assert results[mode]["queries"] > 20, mode  # it really was reading throughout
    # Never waiting on a reader's lock: each publish of a small file takes well under seconds.
    assert max(durations) < 5, durations
    # A held connection keeps reading the file it opened (the old inode), consistently.
    assert results["hold"]["seen"] == [1]
    # New connections see new versions, in order, several of them.
    seen = results["reconnect"]["seen"]
    assert seen == sorted(seen) and len(seen) >= 3, seen
    assert seen[-1] == 6
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select version from marts.totals").fetchone() == (6,)
    assert temp_files(published) == []


@pytest.mark.parametrize(
    ("extra_sql", "error"),
    [
        # A personal header carried into a mart.
        ('create table marts.leak as select id, "IP Address" from raw.responses;', PublishError),
        ("create view marts.contacts as select 1 as q3_email;", PublishError),
        # Personal data under an innocent name, found by value.
        ("create table marts.notes as select 'ask jane.doe@example.com' as note;", PublishError),
        # A view that fails while being copied, after other tables were copied.
        (
            "create view marts.zz_broken as select cast(x as integer) as n "
            "from (values ('not a number')) t(x);",
            duckdb.ConversionException,
        ),
    ],
    ids=["personal-header", "personal-name", "personal-value", "error-mid-copy"],
)
def test_failed_publish_leaves_published_file_untouched(
    tmp_path: Path, extra_sql: str, error: type[Exception]
) -> None:
    published = tmp_path / "published" / "warehouse.duckdb"
    publish(make_working(tmp_path / "good.duckdb", version=1), published)
    before = published.read_bytes()
    bad = make_working(tmp_path / "bad.duckdb", version=2, extra_sql=extra_sql)

    with pytest.raises(error):
        publish(bad, published)

    assert published.read_bytes() == before
    assert temp_files(published) == []
    assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb"]


def test_failed_first_publish_creates_nothing(tmp_path: Path) -> None:
    published = tmp_path / "published" / "warehouse.duckdb"
    bad = make_working(tmp_path / "bad.duckdb", 1, 'create view marts.x as select 1 as "Q3. Name";')
    with pytest.raises(PublishError, match="personal"):
        publish(bad, published)
    assert list(published.parent.iterdir()) == []


def test_leftovers_of_a_killed_publish_are_removed(tmp_path: Path) -> None:
    published = tmp_path / "published" / "warehouse.duckdb"
    working = make_working(tmp_path / "warehouse.duckdb", version=1)
    # A publish killed just before its swap: the process dies with its temp file written.
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; from pathlib import Path; "
            "import orchestration.publish.warehouse_copy as p; "
            "os.replace = lambda *a: os._exit(9); "
            "p.publish(Path(sys.argv[1]), Path(sys.argv[2]))",
            str(working),
            str(published),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == 9, killed.stderr
    assert len(temp_files(published)) == 1 and not published.exists()
    (published.parent / f"{temp_files(published)[0].name}.wal").write_bytes(b"junk")

    publish(working, published)

    assert temp_files(published) == []
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select version from marts.totals").fetchone() == (1,)


def test_working_file_held_by_a_writer_elsewhere_is_refused(tmp_path: Path) -> None:
    """DuckDB allows one writer per file: publishing needs the refresh's writer to be gone."""
    published = tmp_path / "published" / "warehouse.duckdb"
    working = make_working(tmp_path / "warehouse.duckdb", version=1)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(working),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        with pytest.raises(duckdb.IOException, match="lock"):
            publish(working, published)
    finally:
        writer.communicate("", timeout=30)
    assert not published.exists() and temp_files(published) == []
