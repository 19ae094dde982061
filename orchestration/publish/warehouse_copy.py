"""Publish the marts for analysts: build a new DuckDB file, then swap it in atomically.

Why a new file and `os.replace` rather than writing into the published file:
- an analyst's read-only connection holds the old file (inode) open and keeps reading it,
  untouched; new connections open the new file. Nobody ever sees half a refresh, and the
  refresh never waits for a reader's lock (DuckDB allows one writer *or* readers per file);
- a publish that fails at any point leaves the published file byte-for-byte as it was.

The copy holds plain tables only (views are materialised), with their comments, and no
personal column: the published file is self-contained and safe to hand out.

The working file is attached READ_ONLY. It must not be open for writing by this process
(DuckDB allows one writer per file, and an in-process writer would not be seen by the lock):
call `publish` after dbt and the checks are done, with every connection to it closed. If
another process holds it for writing, ATTACH fails and nothing is published.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.domain.privacy import SQL_CANDIDATE, is_personal_column, personal_data_kinds
from orchestration.runtime.faults import pause_point
from orchestration.runtime.hashing import sha256_file
from orchestration.runtime.locks import exclusive_lock
from orchestration.runtime.sql_text import quote_ident, quote_literal

SOURCE = "src"  # catalog alias of the attached working file


class PublishError(RuntimeError):
    """The publish was refused or failed; the published file was left as it was."""


@dataclass(frozen=True)
class PublishResult:
    published_path: Path
    row_counts: dict[str, int]  # "schema.table" -> rows
    sha256: str


def published_fingerprint(path: Path) -> str:
    """sha256 of the file's bytes: tells whether a publish changed (or spared) the file."""
    return sha256_file(path)


def _temp_prefix(published_path: Path) -> str:
    return f".{published_path.name}.publish-"


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _remove_leftovers(published_path: Path) -> None:
    """Temp files (and their WALs) of a publish that was killed before its swap."""
    for leftover in published_path.parent.glob(_temp_prefix(published_path) + "*"):
        _remove(leftover)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _objects(con: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> list[tuple[str, str, str]]:
    """(schema, name, comment) of every table and view of `schemas` in the working file."""
    return con.execute(
        f"""
        select schema_name, table_name, comment from duckdb_tables()
        where database_name = '{SOURCE}' and not temporary and list_contains($schemas, schema_name)
        union all
        select schema_name, view_name, comment from duckdb_views()
        where database_name = '{SOURCE}' and not internal and not temporary
          and list_contains($schemas, schema_name)
        order by 1, 2
        """,
        {"schemas": list(schemas)},
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[tuple]:
    return con.execute(
        """
        select column_name, comment, data_type from duckdb_columns()
        where database_name = $catalog and schema_name = $schema and table_name = $table
        order by column_index
        """,
        {"catalog": catalog, "schema": schema, "table": table},
    ).fetchall()


def _refuse_personal_values(
    con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str
) -> None:
    """Refuse a table whose text holds an email, IP address or phone number.

    DuckDB picks the candidate values (a loose pattern, set-based); the privacy rule confirms
    them, so a refusal means what the exports scan would also call personal data.
    """
    target = f"{quote_ident(schema)}.{quote_ident(table)}"
    for column, _comment, data_type in _columns(con, catalog, schema, table):
        if data_type != "VARCHAR":
            continue
        candidates = con.execute(
            f"select distinct {quote_ident(column)} from {target} "
            f"where regexp_matches({quote_ident(column)}, ?)",
            [SQL_CANDIDATE],
        )
        while batch := candidates.fetchmany(1000):
            for (value,) in batch:
                kinds = personal_data_kinds(value)
                if kinds:
                    raise PublishError(
                        f"{schema}.{table}.{column} holds {sorted(kinds)[0]}: personal data "
                        "must not be published. Drop or aggregate it in the dbt model, then "
                        "refresh again."
                    )


def publish(
    working_path: Path,
    published_path: Path,
    schemas: Sequence[str] = ("marts",),
    before_replace: Callable[[Path], None] | None = None,
) -> PublishResult:
    """Copy the tables and views of `schemas` into a new file and swap it over `published_path`.

    `before_replace(candidate)` runs on the finished, synced new file just before the swap
    (the exports are made from it there, so the two change together); if it raises, nothing
    is swapped.

    Raises PublishError (or a DuckDB error) on failure; the published file is then unchanged
    and no temp file is left behind.
    """
    if not Path(working_path).is_file():
        raise PublishError(f"working warehouse {working_path} does not exist: run the refresh.")
    published_path = Path(published_path)
    if published_path.resolve() == Path(working_path).resolve():
        raise PublishError("the published path must not be the working warehouse itself.")
    published_path.parent.mkdir(parents=True, exist_ok=True)
    # One publish at a time, so one cannot delete another's temp file as a 'leftover'; the
    # lock is on the folder itself, whose descriptor also syncs the rename.
    with exclusive_lock(published_path.parent) as directory_fd:
        _remove_leftovers(published_path)
        temp = published_path.with_name(f"{_temp_prefix(published_path)}{uuid.uuid4().hex}")
        try:
            row_counts = _build(Path(working_path), temp, schemas)
            _fsync(temp)
            pause_point("publish")  # fault tests kill the refresh here
            if before_replace is not None:
                before_replace(temp)
            os.replace(temp, published_path)  # atomic on POSIX: readers see old or new
        except BaseException:
            _remove(temp)
            _remove(Path(f"{temp}.wal"))
            raise
        os.fsync(directory_fd)  # make the rename itself durable
    return PublishResult(published_path, row_counts, published_fingerprint(published_path))


def _build(working_path: Path, temp: Path, schemas: Sequence[str]) -> dict[str, int]:
    con = duckdb.connect(str(temp))
    try:
        catalog = con.execute("select current_database()").fetchone()[0]
        con.execute(f"attach {quote_literal(str(working_path))} as {SOURCE} (read_only)")
        objects = _objects(con, schemas)
        if not objects:
            raise PublishError(
                f"no table or view in schemas {list(schemas)} of {working_path}: nothing to "
                "publish (did the dbt build run?)."
            )
        # Refuse before copying anything: a personal column in a mart is a modelling bug.
        for schema, name, _ in objects:
            personal = [
                c for c, _, _ in _columns(con, SOURCE, schema, name) if is_personal_column(c)
            ]
            if personal:
                raise PublishError(
                    f"{schema}.{name} has personal column(s) {personal}: they must not be "
                    "published. Remove them from the dbt model, then refresh again."
                )
        row_counts: dict[str, int] = {}
        for schema, name, comment in objects:
            target = f"{quote_ident(schema)}.{quote_ident(name)}"
            con.execute(f"create schema if not exists {quote_ident(schema)}")
            con.execute(
                f"create table {target} as select * "
                f"from {SOURCE}.{quote_ident(schema)}.{quote_ident(name)}"
            )
            if comment:
                con.execute(f"comment on table {target} is {quote_literal(comment)}")
            for column, column_comment, _ in _columns(con, SOURCE, schema, name):
                if column_comment:
                    con.execute(
                        f"comment on column {target}.{quote_ident(column)} "
                        f"is {quote_literal(column_comment)}"
                    )
            _refuse_personal_values(con, catalog, schema, name)
            row_counts[f"{schema}.{name}"] = con.execute(
                f"select count(*) from {target}"
            ).fetchone()[0]
        con.execute(f"detach {SOURCE}")
        con.execute("checkpoint")  # everything in the main file, no WAL to travel with it
    finally:
        con.close()
    if Path(f"{temp}.wal").exists():
        raise PublishError(f"{temp}.wal remained after checkpoint; refusing to publish.")
    return row_counts
