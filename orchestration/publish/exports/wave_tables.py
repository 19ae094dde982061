"""Tables the report did not have: the trends across survey waves (when the published file holds
more than one wave) and what changed since the last publish (marts.publish_history). They are
ReportTables like the report's own, added after them: the workbook gets a sheet and report.html
a section for each, and the report's tables stay exactly as they were (the report's wave).
"""

from __future__ import annotations

import duckdb

from orchestration.publish.exports.marts import has_mart
from orchestration.publish.exports.report_tables import ReportTable, _Builder, survey_label


def _waves(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not has_mart(con, "waves"):
        return []
    sql = "select distinct wave from marts.waves order by all"
    return [w for (w,) in con.execute(sql).fetchall()]


def _trend(
    con: duckdb.DuckDBPyConnection,
    mart: str,
    key: str,
    title: str,
    item: str,
    label: str,
    measure: str,
    where: str = "true",
) -> ReportTable:
    rows = con.execute(
        f"""
        select wave_from || ' -> ' || wave_to, {item}, {measure}_from, {measure}_to,
               {measure}_change, share_from, share_to, share_change,
               coalesce('only in ' || only_in_wave, '')
        from marts.{mart} where {where}
        order by wave_from, wave_to, {measure}_to desc nulls last, {item}
        """
    ).fetchall()
    return ReportTable(
        key=key,
        title=title,
        columns=(
            "Waves",
            label,
            "Earlier",
            "Later",
            "Change",
            "Share earlier",
            "Share later",
            "Share change",
            "Asked",
        ),
        rows=tuple(rows),
        formats=("text", "text", "int", "int", "int", "pct", "pct", "pct", "text"),
        bold_columns=frozenset({4}),
        notes=(
            "Share: of the wave's included respondents. An item one wave did not ask is blank "
            "there, not zero ('only in').",
        ),
        source=f"marts.{mart}",
    )


def trend_tables(con: duckdb.DuckDBPyConnection) -> list[ReportTable]:
    """The trend tables, when the published file holds more than one wave."""
    if len(_waves(con)) < 2 or not has_mart(con, "area_of_work_trend"):
        return []
    tables = [
        _trend(
            con,
            "area_of_work_trend",
            "Trend areas",
            "Areas of work across waves (Table 1)",
            "area",
            "Area of work",
            "total",
        ),
        _trend(
            con,
            "lead_agency_trend",
            "Trend lead agency",
            "Lead agency across waves (Table 2)",
            "lead_agency",
            "Lead agency",
            "projects",
        ),
        _trend(
            con,
            "funding_trend",
            "Trend funding",
            "Funding across waves",
            "funding_source",
            "Funding source",
            "projects",
        ),
        _trend(
            con,
            "priorities_trend",
            "Trend priorities",
            "Priority themes across waves (Q7)",
            "theme",
            "Theme",
            "named_by",
            "survey = 'all'",
        ),
        _trend(
            con,
            "demand_trend",
            "Trend demand",
            "Greatest demand across waves (Q8)",
            "theme",
            "Theme",
            "named_by",
            "survey = 'all'",
        ),
    ]
    panel = con.execute(
        """
        select wave_from || ' -> ' || wave_to, survey, answered_in, count(*)
        from marts.panel_organisations group by all order by all
        """
    ).fetchall()
    tables.append(
        ReportTable(
            key="Panel",
            title="Who answered which wave: organisations in both waves (the panel) or one",
            columns=("Waves", "Survey", "Answered", "Organisations"),
            rows=tuple((w, survey_label(s), a, n) for w, s, a, n in panel),
            formats=("text", "text", "text", "int"),
            notes=(
                "A figure that moved because who answered changed shows here; "
                "marts.area_of_work_trend counts the panel's ticks apart.",
            ),
            source="marts.panel_organisations",
        )
    )
    return tables


def changes_table(con: duckdb.DuckDBPyConnection) -> list[ReportTable]:
    """What changed since the publish before this one (none on a first publish)."""
    if not has_mart(con, "publish_history"):
        return []
    rows = con.execute(
        """
        with latest as (
            select * from marts.publish_history
            where published_at = (select max(published_at) from marts.publish_history)
        )
        select mart, row_count, rows_added, rows_removed, rows_changed, moved_figures
        from latest
        where rows_added + rows_removed + rows_changed > 0
        order by mart
        """
    ).fetchall()
    sql = "select count(distinct run_id) from marts.publish_history"
    publishes = con.execute(sql).fetchone()[0]
    built = _Builder()
    for mart, count, added, removed, changed, moved in rows:
        built.add((mart, count, added, removed, changed, moved or ""))
    note = (
        "The first publish: every row is new."
        if publishes == 1
        else "Nothing changed since the last publish."
        if not rows
        else f"Marts whose rows changed since the last publish ({publishes} publishes recorded)."
    )
    return [
        ReportTable(
            key="Changes",
            title="What changed since the last publish",
            columns=("Mart", "Rows", "Added", "Removed", "Changed", "Headline figures that moved"),
            rows=tuple(built.rows),
            formats=("text", "int", "int", "int", "int", "text"),
            row_styles=tuple(built.styles),
            notes=(note,),
            source="marts.publish_history",
        )
    ]
