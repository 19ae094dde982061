"""The `raw` schema: one table per survey version plus the delivery ledger.

A version's table has a VARCHAR column for every header of every questionnaire of that version
(`contract.all_headers`), after the load metadata. A questionnaire added to contract.py adds its
new headers (a Q4 area added or renamed) to the table on the next refresh, before anything
loads; an export's rows leave the other questionnaires' columns NULL, which staging's unpivot
skips. `check_raw_layout` then holds the tables to exactly those columns: a column the contract
does not know (a questionnaire removed from contract.py, a hand-made column) stops the ingest
with RawTableLayoutError rather than loading around it.
"""

from __future__ import annotations

import duckdb

from orchestration.domain.contract import VERSIONS, all_headers
from orchestration.runtime.sql_text import quote_ident

RAW_SCHEMA = "raw"
DELIVERIES = f"{RAW_SCHEMA}.deliveries"
METADATA_COLUMNS = (
    ("_delivery_sha256", "VARCHAR"),
    ("_file_name", "VARCHAR"),
    ("_survey_version", "VARCHAR"),
    ("_exported_at", "TIMESTAMP"),
    ("_loaded_at", "TIMESTAMPTZ"),
    ("_row_number", "BIGINT"),
)


DELIVERY_WAVE_COLUMNS = (
    ("wave", "VARCHAR"),
    ("first_started_at", "TIMESTAMP"),
    ("last_started_at", "TIMESTAMP"),
)


class RawTableLayoutError(RuntimeError):
    """A raw responses table has columns the contract does not, or lacks some it has."""


def responses_table(version: str) -> str:
    return f"{RAW_SCHEMA}.{version}_responses"


def expected_columns(version: str) -> tuple[str, ...]:
    """The columns of raw.<version>_responses: the load metadata, then every header of every
    questionnaire of the version."""
    return (*(name for name, _ in METADATA_COLUMNS), *all_headers(version))


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"""
        create table if not exists {DELIVERIES} (
            sha256 varchar primary key,
            file_name varchar not null,
            survey_version varchar not null,
            exported_at timestamp not null,
            file_format varchar not null,
            size_bytes bigint not null,
            row_count bigint not null,
            archive_path varchar not null,
            loaded_at timestamptz not null
        )
        """
    )
    # The survey wave the ingest admitted the export into (its responses' Started dates all in
    # that wave's window), and those dates' range. Added to a ledger older than waves.
    for column, kind in DELIVERY_WAVE_COLUMNS:
        con.execute(f"alter table {DELIVERIES} add column if not exists {column} {kind}")
    for version in VERSIONS:
        columns = [f"{name} {kind}" for name, kind in METADATA_COLUMNS]
        columns += [f"{quote_ident(header)} varchar" for header in all_headers(version)]
        table = responses_table(version)
        con.execute(f"create table if not exists {table} ({', '.join(columns)})")
        # A table made before a questionnaire was added to contract.py gets its new headers.
        for header in all_headers(version):
            column = quote_ident(header)
            con.execute(f"alter table {table} add column if not exists {column} varchar")
    check_raw_layout(con)


def check_raw_layout(con: duckdb.DuckDBPyConnection) -> None:
    """Raise RawTableLayoutError unless every raw responses table has exactly the contract's
    columns (`expected_columns`), in any order."""
    problems = []
    for version in VERSIONS:
        table = responses_table(version)
        schema, name = table.split(".")
        have = [
            column
            for (column,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = ? "
                "and table_name = ? order by column_index",
                [schema, name],
            ).fetchall()
        ]
        expected = expected_columns(version)
        unknown = [c for c in have if c not in expected]
        missing = [c for c in expected if c not in have]
        if unknown:
            problems.append(f"{table} has column(s) no {version} questionnaire has: {unknown}")
        if missing:
            problems.append(f"{table} lacks column(s) of the {version} contract: {missing}")
    if problems:
        raise RawTableLayoutError(
            "The raw tables do not match the export contract "
            "(orchestration/domain/contract.py, every questionnaire of each version): "
            + "; ".join(problems)
            + ". Nothing was loaded. If a questionnaire was removed from contract.py while "
            "exports of it are loaded, put it back; otherwise rebuild the warehouse from the "
            "archive (`make rebuild`), which recreates the raw tables from the contract."
        )


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(f"select sha256 from {DELIVERIES}").fetchall()}
