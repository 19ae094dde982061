"""What changed since the last publish: the candidate published file against the previous one.

Run inside the publish step, before the swap, while both files exist: per mart, the rows added,
removed and changed (matched on the mart's key columns, MART_KEYS), and the headline figures
that moved (HEADLINES, e.g. "Mental health total 72 -> 75 (wave 2017)"). The result is appended
to `marts.publish_history` in the candidate, after the history read from the previous file, so
the table accumulates across publishes and travels with the published file; the publish step
shows it in its Dagster metadata, report.html shows it (exports/change_tables.py) and, when
PHC_NOTIFY_ON_PUBLISH is on, a `published` notification tells it.

All comparisons are set-based in DuckDB (anti joins and a row comparison per mart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.runtime.sql_text import quote_ident, quote_literal

HISTORY = "publish_history"
PREVIOUS = "previous"

# The key of each mart's rows (the dbt yml's unique_combination tests). A mart not listed, or
# whose key columns one side lacks, is compared on whole rows (added / removed only).
_TREND = ("wave_from", "wave_to")
MART_KEYS: dict[str, tuple[str, ...]] = {
    "area_of_work": ("wave", "area"),
    "area_of_work_by_survey": ("wave", "survey", "area"),
    "lead_agency": ("wave", "lead_agency"),
    "funding": ("wave", "funding_source"),
    "priorities": ("wave", "survey", "theme"),
    "demand": ("wave", "survey", "theme"),
    "responses": ("wave", "survey"),
    "question_responses": ("wave", "survey", "question", "item"),
    "coverage": ("wave", "coverage_type", "name"),
    "hwb_representation": ("wave", "answer"),
    "coding_queue": ("wave", "survey", "response_id", "question_key"),
    "coded_answers": ("wave", "survey", "response_id", "question_key", "category"),
    "coding_categories": ("question_key", "category"),
    "source_exports": ("sha256",),
    "reconciliation": ("figure_id",),
    "waves": ("wave", "survey"),
    "area_of_work_trend": (*_TREND, "area"),
    "lead_agency_trend": (*_TREND, "lead_agency"),
    "funding_trend": (*_TREND, "funding_source"),
    "priorities_trend": (*_TREND, "survey", "theme"),
    "demand_trend": (*_TREND, "survey", "theme"),
    "panel_organisations": (*_TREND, "survey", "organisation"),
}


@dataclass(frozen=True)
class Headline:
    """A figure people quote: `measure` of each row of `mart` (optionally only rows where
    `where`), named by `label` (a format string over the row's key columns)."""

    mart: str
    measure: str
    label: str
    where: str = "true"


HEADLINES: tuple[Headline, ...] = (
    Headline("area_of_work", "total", "{area} total"),
    Headline("lead_agency", "projects", "Lead agency {lead_agency}: projects"),
    Headline("funding", "projects", "Funding {funding_source}: projects"),
    Headline("responses", "included", "Included {survey} responses"),
    Headline("priorities", "respondents", "Priority {theme}: respondents", "n.survey = 'all'"),
    Headline("demand", "respondents", "Demand {theme}: respondents", "n.survey = 'all'"),
)


@dataclass(frozen=True)
class MartChange:
    mart: str
    row_count: int
    rows_added: int
    rows_removed: int
    rows_changed: int
    moved: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.rows_added or self.rows_removed or self.rows_changed)


@dataclass(frozen=True)
class ChangeSummary:
    published_at: datetime
    run_id: str
    first_publish: bool  # no previous published file to compare with
    marts: tuple[MartChange, ...] = field(default_factory=tuple)

    @property
    def changed_marts(self) -> tuple[MartChange, ...]:
        return tuple(m for m in self.marts if m.changed)

    @property
    def moved(self) -> tuple[str, ...]:
        return tuple(line for m in self.marts for line in m.moved)

    def headline(self) -> str:
        if self.first_publish:
            return f"First publish: {len(self.marts)} marts."
        if not self.changed_marts:
            return "Nothing changed in the published marts since the last publish."
        moved = f"; {len(self.moved)} headline figure(s) moved" if self.moved else ""
        return f"{len(self.changed_marts)} of {len(self.marts)} marts changed{moved}."

    def markdown(self) -> str:
        lines = [
            self.headline(),
            "",
            "| mart | rows | added | removed | changed |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {m.mart} | {m.row_count} | {m.rows_added} | {m.rows_removed} | {m.rows_changed} |"
            for m in self.changed_marts
        ]
        if self.moved:
            lines += ["", "Headline figures that moved:", *(f"- {line}" for line in self.moved)]
        return "\n".join(lines)


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where database_name = ? "
            "and schema_name = 'marts' and table_name = ? order by column_index",
            [catalog, table],
        ).fetchall()
    ]


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = ? "
            "and schema_name = 'marts' and table_name <> ? order by table_name",
            [catalog, HISTORY],
        ).fetchall()
    ]


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def _compare(con, current: str, mart: str, have_previous: bool) -> MartChange:
    new = f"{quote_ident(current)}.marts.{quote_ident(mart)}"
    old = f"{PREVIOUS}.marts.{quote_ident(mart)}"
    new_columns = _columns(con, current, mart)
    old_columns = _columns(con, PREVIOUS, mart) if have_previous else []
    rows = _count(con, f"select count(*) from {new}") if new_columns else 0
    if not old_columns or not new_columns:
        removed = _count(con, f"select count(*) from {old}") if old_columns else 0
        return MartChange(mart, rows, rows, removed, 0)
    common = [c for c in new_columns if c in old_columns]
    listed = ", ".join(quote_ident(c) for c in common)
    keys = MART_KEYS.get(mart, ())
    if not keys or not set(keys) <= set(common):
        added = _count(
            con,
            f"select count(*) from (select {listed} from {new} "
            f"except all select {listed} from {old})",
        )
        removed = _count(
            con,
            f"select count(*) from (select {listed} from {old} "
            f"except all select {listed} from {new})",
        )
        return MartChange(mart, rows, added, removed, 0)
    on = " and ".join(f"n.{quote_ident(k)} is not distinct from o.{quote_ident(k)}" for k in keys)
    added = _count(con, f"select count(*) from {new} n anti join {old} o on {on}")
    removed = _count(con, f"select count(*) from {old} o anti join {new} n on {on}")
    row_new = ", ".join(f"n.{quote_ident(c)}" for c in common)
    row_old = ", ".join(f"o.{quote_ident(c)}" for c in common)
    changed = _count(
        con,
        f"select count(*) from {new} n join {old} o on {on} "
        f"where row({row_new}) is distinct from row({row_old})",
    )
    moved = _moved(con, current, mart, keys, set(common)) if changed else ()
    return MartChange(mart, rows, added, removed, changed, moved)


def _moved(con, current: str, mart: str, keys, common: set[str]) -> tuple[str, ...]:
    """'<label> <old> -> <new>' for every headline figure of the mart whose value changed."""
    lines: list[str] = []
    on = " and ".join(f"n.{quote_ident(k)} is not distinct from o.{quote_ident(k)}" for k in keys)
    key_columns = ", ".join(f"n.{quote_ident(k)}" for k in keys)
    for headline in (h for h in HEADLINES if h.mart == mart and h.measure in common):
        measure = quote_ident(headline.measure)
        found = con.execute(
            f"""
            select {key_columns}, o.{measure}, n.{measure}
            from {quote_ident(current)}.marts.{quote_ident(mart)} n
            join {PREVIOUS}.marts.{quote_ident(mart)} o on {on}
            where n.{measure} is distinct from o.{measure}
              and ({headline.where})
            order by all
            """
        ).fetchall()
        for row in found:
            values = dict(zip(keys, row[: len(keys)], strict=True))
            label = headline.label.format(**values)
            wave = f" (wave {values['wave']})" if "wave" in values else ""
            lines.append(f"{label} {_number(row[-2])} -> {_number(row[-1])}{wave}")
    return tuple(lines)


def _number(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def summarise_and_record(candidate: Path, previous: Path, run_id: str) -> ChangeSummary:
    """Compare the candidate file's marts with the previous published file's (if any), and
    write marts.publish_history into the candidate: the previous history, then this publish's
    rows (one per mart)."""
    published_at = datetime.now(UTC).replace(microsecond=0)
    con = duckdb.connect(str(candidate))
    try:
        current = con.execute("select current_database()").fetchone()[0]
        have_previous = previous.is_file()
        if have_previous:
            con.execute(f"attach {quote_literal(str(previous))} as {PREVIOUS} (read_only)")
        previous_marts = _tables(con, PREVIOUS) if have_previous else []
        marts = sorted(set(_tables(con, current)) | set(previous_marts))
        changes = tuple(_compare(con, current, mart, have_previous) for mart in marts)
        summary = ChangeSummary(published_at, run_id, not have_previous, changes)
        _record(con, summary, have_previous)
        if have_previous:
            con.execute(f"detach {PREVIOUS}")
        con.execute("checkpoint")
    finally:
        con.close()
    return summary


HISTORY_COLUMNS = (
    ("published_at", "timestamptz", "When the publish happened (UTC)."),
    ("run_id", "varchar", "The refresh run that published."),
    ("mart", "varchar", "The mart (schema marts)."),
    ("row_count", "bigint", "Rows of the mart in this publish."),
    (
        "rows_added",
        "bigint",
        "Rows whose key the previous publish did not have (every row on a first publish).",
    ),
    ("rows_removed", "bigint", "Rows of the previous publish whose key is gone."),
    ("rows_changed", "bigint", "Rows with the same key and another value in some column."),
    (
        "moved_figures",
        "varchar",
        "Headline figures of the mart that moved, 'label old -> new (wave)', separated by '; '.",
    ),
)


def _record(con: duckdb.DuckDBPyConnection, summary: ChangeSummary, have_previous: bool) -> None:
    table = f"marts.{HISTORY}"
    con.execute(f"create table {table} ({', '.join(f'{n} {t}' for n, t, _ in HISTORY_COLUMNS)})")
    con.execute(
        f"comment on table {table} is "
        "'Every publish: per mart, rows added, removed and changed since the publish before, "
        "and the headline figures that moved. Accumulates across publishes.'"
    )
    for name, _, description in HISTORY_COLUMNS:
        con.execute(f"comment on column {table}.{name} is {quote_literal(description)}")
    if have_previous and _columns(con, PREVIOUS, HISTORY):
        names = ", ".join(n for n, _, _ in HISTORY_COLUMNS)
        con.execute(f"insert into {table} select {names} from {PREVIOUS}.marts.{HISTORY}")
    con.executemany(
        f"insert into {table} values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                summary.published_at,
                summary.run_id,
                m.mart,
                m.row_count,
                m.rows_added,
                m.rows_removed,
                m.rows_changed,
                "; ".join(m.moved) or None,
            )
            for m in summary.marts
        ],
    )
