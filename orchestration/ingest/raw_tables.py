"""The `raw` schema: one table per survey version plus the delivery ledger.

A version's table has the columns of every questionnaire of that version loaded so far: it is
created with the shared contract's headers, and a later questionnaire's new headers (a Q4 area
added or renamed) are added with ALTER TABLE when the first export that has them loads, in that
load's transaction. An export's rows leave the other questionnaires' columns NULL, which
staging's unpivot skips.
"""

from __future__ import annotations

import duckdb

from orchestration.domain.contract import HEADERS
from orchestration.runtime.sql_text import quote_ident

RAW_SCHEMA = "raw"
DELIVERIES = f"{RAW_SCHEMA}.deliveries"
# Analysts' codes from the coding workbooks the ingest accepted (ingest/coding_workbooks.py),
# and the ledger of those workbooks (its sha256 makes a re-delivered workbook a no-op).
ANALYST_CODES = f"{RAW_SCHEMA}.analyst_codes"
CODING_WORKBOOKS = f"{RAW_SCHEMA}.coding_workbooks"
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


def responses_table(version: str) -> str:
    return f"{RAW_SCHEMA}.{version}_responses"


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
    con.execute(
        f"""
        create table if not exists {CODING_WORKBOOKS} (
            sha256 varchar primary key,
            file_name varchar not null,
            received_at timestamptz not null,
            archive_path varchar not null,
            codes bigint not null
        )
        """
    )
    con.execute(
        f"""
        create table if not exists {ANALYST_CODES} (
            workbook_sha256 varchar not null,
            workbook_name varchar not null,
            received_at timestamptz not null,
            sheet_name varchar not null,
            sheet_row bigint not null,
            wave varchar not null,
            survey varchar not null,
            response_id bigint not null,
            question_key varchar not null,
            answer_text varchar not null,
            category varchar not null,
            coder varchar not null
        )
        """
    )
    for version, headers in HEADERS.items():
        columns = [f"{name} {kind}" for name, kind in METADATA_COLUMNS]
        columns += [f"{quote_ident(header)} varchar" for header in headers]
        con.execute(f"create table if not exists {responses_table(version)} ({', '.join(columns)})")


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(f"select sha256 from {DELIVERIES}").fetchall()}


def add_missing_columns(con: duckdb.DuckDBPyConnection, version: str, header: list[str]) -> None:
    """Give the version's table a VARCHAR column for every header it lacks (a header the checks
    accepted: one of a questionnaire of the version)."""
    table = responses_table(version)
    schema, name = table.split(".")
    have = {
        column
        for (column,) in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    }
    for column in header:
        if column not in have:
            con.execute(f"alter table {table} add column {quote_ident(column)} varchar")
