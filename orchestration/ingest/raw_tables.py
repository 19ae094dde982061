"""The `raw` schema: one table per survey version plus the delivery ledger."""

from __future__ import annotations

import duckdb

from orchestration.domain.contract import HEADERS
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
    for version, headers in HEADERS.items():
        columns = [f"{name} {kind}" for name, kind in METADATA_COLUMNS]
        columns += [f"{quote_ident(header)} varchar" for header in headers]
        con.execute(f"create table if not exists {responses_table(version)} ({', '.join(columns)})")


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(f"select sha256 from {DELIVERIES}").fetchall()}
