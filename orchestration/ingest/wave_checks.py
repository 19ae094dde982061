"""Which survey wave an export belongs to, checked set-based in DuckDB like the row checks.

Runs over the rows just inserted, inside the load's transaction: every response's `Started`
date must fall in the window of one wave of the version (seeds/curated/survey_waves.csv, read by
orchestration/domain/waves.py), the same wave for the whole file, and the file's header must be
the questionnaire that wave asked. An export that fits no wave, or straddles two, is a contract
breach like any other: its problems name the rows, nothing is loaded, the file is quarantined.
A row whose `Started` is not a date is left to the row checks (which report it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from orchestration.domain.contract import DATETIME_FORMAT, Questionnaire
from orchestration.domain.waves import Wave, waves_of
from orchestration.ingest.problems import MAX_LISTED_PROBLEMS, Problem
from orchestration.ingest.raw_tables import DELIVERIES, responses_table
from orchestration.runtime.sql_text import quote_literal

SEED_HINT = "a new survey needs its wave in seeds/curated/survey_waves.csv"


@dataclass(frozen=True)
class WaveFit:
    wave: str | None  # the wave of most of the file's dated responses (None: none fits)
    first_started_at: datetime | None
    last_started_at: datetime | None
    problems: list[Problem]
    total: int


def _windows_sql(waves: tuple[Wave, ...]) -> str:
    """The waves as a VALUES list (wave, opens_on, closes_on); never empty."""
    rows = [
        f"({quote_literal(w.wave)}, date {quote_literal(w.opens_on.isoformat())}, "
        f"date {quote_literal(w.closes_on.isoformat())})"
        for w in waves
    ]
    return ", ".join(rows) or "(null, null, null)"


def _placed_sql(table: str, where: str, waves: tuple[Wave, ...]) -> str:
    """Each dated row of `table` (filtered by `where`) with the wave whose window holds it."""
    fmt = quote_literal(DATETIME_FORMAT)
    return f"""
        windows (wave, opens_on, closes_on) as (values {_windows_sql(waves)}),
        dated as (
            select _delivery_sha256, _row_number, "Started",
                   try_strptime(trim("Started"), {fmt}) as started_at
            from {table} where {where}
        ),
        placed as (
            select dated.*, windows.wave
            from dated
            left join windows
                on cast(dated.started_at as date) between windows.opens_on and windows.closes_on
            where dated.started_at is not null
        )"""


def wave_fit(
    con: duckdb.DuckDBPyConnection,
    version: str,
    sha256: str,
    file_name: str,
    waves: tuple[Wave, ...],
    questionnaire: Questionnaire | None,
) -> WaveFit:
    """The delivery's wave, or the problems that keep it out of every wave."""
    version_waves = waves_of(waves, version)
    windows = ", ".join(f"{w.wave} ({w.window()})" for w in version_waves) or "none"
    sql = f"""
        with {_placed_sql(responses_table(version), "_delivery_sha256 = $sha", version_waves)},
        wave_rows as (
            select wave, count(*) as responses, min(_row_number) as first_row
            from placed where wave is not null group by wave
        ),
        main_wave as (
            select wave, responses from wave_rows order by responses desc, first_row limit 1
        ),
        problems (row_number, value, wave) as (
            select placed._row_number, placed."Started", placed.wave
            from placed
            where placed.wave is null
                or placed.wave <> (select wave from main_wave)
        )
        select
            (select wave from main_wave) as main_wave,
            (select responses from main_wave) as main_responses,
            (select min(started_at) from placed) as first_started_at,
            (select max(started_at) from placed) as last_started_at,
            (select count(*) from problems) as total,
            (select list((row_number, value, wave) order by row_number)[1:{MAX_LISTED_PROBLEMS}]
             from problems) as listed
    """
    main, main_rows, first, last, total, listed = con.execute(sql, {"sha": sha256}).fetchone()
    by_label = {w.wave: w for w in version_waves}
    problems = []
    for row_number, value, wave in listed or []:
        if wave is None:
            expected = (
                f"a date within the window of one {version} survey wave: {windows}; {SEED_HINT}"
            )
        else:
            expected = (
                f"a date in {by_label[main].describe()}, like the file's other {main_rows} "
                f"response(s); this one is in {by_label[wave].describe()}: one export holds "
                "the responses of one wave"
            )
        problems.append(Problem(file_name, row_number, "Started", value, expected))
    if not problems and main is not None and questionnaire is not None:
        asked = by_label[main].questionnaire
        if asked != questionnaire.name:
            problems.append(
                Problem(
                    file_name,
                    0,
                    None,
                    None,
                    f"the columns of questionnaire {asked}, which {by_label[main].describe()} "
                    f"asked (its responses started in that window); the file has the columns "
                    f"of questionnaire {questionnaire.name}",
                )
            )
            total += 1
    return WaveFit(main, first, last, problems, total)


def backfill_waves(con: duckdb.DuckDBPyConnection, waves: tuple[Wave, ...], versions) -> None:
    """Deliveries loaded before the ledger had waves: their wave and date range, from their
    rows (each was one wave's when it loaded, or the waves seed has changed since: a delivery no
    window holds keeps a NULL wave, which dbt's tests name)."""
    for version in versions:
        version_waves = waves_of(waves, version)
        con.execute(
            f"""
            update {DELIVERIES} set
                first_started_at = ranges.first_started_at,
                last_started_at = ranges.last_started_at,
                wave = ranges.wave
            from (
                with {
                _placed_sql(
                    responses_table(version),
                    f"_delivery_sha256 in (select sha256 from {DELIVERIES} where wave is null)",
                    version_waves,
                )
            }
                select _delivery_sha256,
                       min(started_at) as first_started_at,
                       max(started_at) as last_started_at,
                       case when count(distinct wave) = 1 and count(*) = count(wave)
                            then any_value(wave) end as wave
                from placed
                group by _delivery_sha256
            ) as ranges
            where {DELIVERIES}.sha256 = ranges._delivery_sha256
            """
        )
