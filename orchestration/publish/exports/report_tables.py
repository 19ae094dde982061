"""The report's tables, laid out as in the 2018 landscape review, from the published marts.

One `ReportTable` per table, independent of the output format: the workbook and the HTML page
render the same objects, so the two can never disagree on a row or its order. The page shows
heading rows as such; the workbook, which follows the spreadsheet guidance (no subheadings
inside a table), turns them into leading columns (`group_columns`).
The marts hold every survey wave; these tables are the report's wave's
(marts.waves.is_report_wave), as the report printed them: later waves are in the trend tables
(wave_tables.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb

# How a cell is shown: a count, a fraction shown as a percentage, or text.
Format = Literal["int", "pct", "num", "text"]
# A row is data, a bold total, or a heading that spans the table: "heading" starts a group
# (Annex 2: a survey), "subheading" a group within it (Annex 2: a question).
RowStyle = Literal["", "total", "heading", "subheading"]
HEADING_STYLES = ("heading", "subheading")
# Shorthand for an empty cell, as the Government Analysis Function's guidance has it.
NOT_APPLICABLE = "[z]"
NOT_AVAILABLE = "[x]"
MARKER_MEANINGS = {NOT_APPLICABLE: "not applicable", NOT_AVAILABLE: "not available"}
DEFAULT_UNITS = {"int": "number", "pct": "%"}

SURVEY_LABELS = {"police": "Police", "national": "Regional/national", "all": "All"}
SURVEY_ORDER = {"police": 0, "national": 1, "all": 2}


@dataclass(frozen=True)
class ReportTable:
    key: str  # sheet name and HTML id: short, unique, no special characters
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    formats: tuple[Format, ...]
    row_styles: tuple[RowStyle, ...] = ()  # empty: every row is data
    bold_columns: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()
    source: str = ""  # the mart(s) it comes from, shown under the table
    # The workbook's names for the heading levels ("heading", then "subheading" rows).
    group_columns: tuple[str, ...] = ()
    column_notes: tuple[tuple[int, str], ...] = ()  # (column index, note) for one column
    empty_marker: str = NOT_APPLICABLE  # what an empty cell means, in the workbook
    units: tuple[str | None, ...] = ()  # per column; empty: from the formats (DEFAULT_UNITS)

    def style(self, index: int) -> RowStyle:
        return self.row_styles[index] if self.row_styles else ""

    def unit(self, column: int) -> str | None:
        """The unit shown in a column's header: (number), (%), or none for text."""
        if self.units:
            return self.units[column]
        unit = DEFAULT_UNITS.get(self.formats[column])
        if unit == "number" and "number" in self.columns[column].lower():
            return None  # "Number of projects (number)" says it twice
        return unit


@dataclass
class _Builder:
    """Rows and their styles, appended together so they cannot drift apart."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    styles: list[RowStyle] = field(default_factory=list)

    def add(self, row: Sequence[Any], style: RowStyle = "") -> None:
        self.rows.append(tuple(row))
        self.styles.append(style)


def report_mart(con: duckdb.DuckDBPyConnection, mart: str) -> str:
    """marts.<mart> as the report shows it: only the report wave's rows when the mart has a
    `wave` column (a FROM item; a mart without waves is read as it is)."""
    has_wave = con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'marts' "
        "and table_name = ? and column_name = 'wave'",
        [mart],
    ).fetchone()[0]
    if not has_wave:
        return f"marts.{mart}"
    return (
        f"(select * from marts.{mart} where wave in "
        "(select wave from marts.waves where is_report_wave))"
    )


def survey_label(survey: str) -> str:
    return SURVEY_LABELS.get(survey, survey.capitalize())


def _surveys(con: duckdb.DuckDBPyConnection, mart: str) -> list[str]:
    sql = f"select distinct survey from {report_mart(con, mart)}"
    found = [s for (s,) in con.execute(sql).fetchall()]
    return sorted(found, key=lambda s: (SURVEY_ORDER.get(s, 9), s))


def table1(con: duckdb.DuckDBPyConnection) -> ReportTable:
    rows = con.execute(
        "select area, completed, active, future, total "
        f"from {report_mart(con, 'area_of_work')} "
        "order by total desc, rank, area"
    ).fetchall()
    return ReportTable(
        key="Table 1",
        title="Table 1: Areas of collaborative work, in order of total number of mentions",
        columns=("Area of work", "Completed work", "Active work", "Possible future work", "Total"),
        rows=tuple(rows),
        formats=("text", "int", "int", "int", "int"),
        bold_columns=frozenset({4}),
        notes=("Areas with the same total are listed alphabetically.",),
        column_notes=(
            (
                4,
                "Mentions, not respondents: a respondent could name an area for completed, "
                "active and possible future work at once.",
            ),
        ),
        source="marts.area_of_work",
    )


def table2(con: duckdb.DuckDBPyConnection) -> ReportTable:
    rows = con.execute(
        f"select lead_agency, projects from {report_mart(con, 'lead_agency')} "
        "order by projects desc, lead_agency"
    ).fetchall()
    built = _Builder()
    for row in rows:
        built.add(row)
    built.add(("Total", sum(r[1] for r in rows)), "total")
    return ReportTable(
        key="Table 2",
        title="Table 2: Lead agency in 'good practice projects'",
        columns=("Lead agency", "Number of projects"),
        rows=tuple(built.rows),
        formats=("text", "int"),
        row_styles=tuple(built.styles),
        source="marts.lead_agency",
    )


def funding(con: duckdb.DuckDBPyConnection) -> ReportTable:
    # "not stated" last: the report counts only projects where funding information was given.
    rows = con.execute(
        f"select funding_source, projects from {report_mart(con, 'funding')} "
        "order by funding_source = 'not stated', projects desc, funding_source"
    ).fetchall()
    return ReportTable(
        key="Funding",
        title="Funding of the good practice projects",
        columns=("How the work was funded", "Number of projects"),
        rows=tuple(rows),
        formats=("text", "int"),
        notes=(
            "The report's 'projects where funding information was provided' are the five "
            "funded sources; cost-neutral and not stated are outside it.",
        ),
        source="marts.funding",
    )


def _themes(con: duckdb.DuckDBPyConnection, mart: str, key: str, title: str) -> ReportTable:
    """Priorities and demand: one row per theme, respondents and share per survey."""
    surveys = _surveys(con, mart)
    data = con.execute(
        f"select theme, survey, respondents, share, answered from {report_mart(con, mart)}"
    ).fetchall()
    cells = {(theme, survey): (n, share) for theme, survey, n, share, _ in data}
    answered = {survey: a for _, survey, _, _, a in data}
    rank_by = "all" if "all" in surveys else surveys[0]
    themes = sorted(
        {theme for theme, *_ in data},
        key=lambda t: (-(cells.get((t, rank_by), (0, 0))[0] or 0), t),
    )
    built = _Builder()
    for theme in themes:
        row: list[Any] = [theme]
        for survey in surveys:
            row.extend(cells.get((theme, survey), (None, None)))
        built.add(row)
    total: list[Any] = ["Respondents who answered"]
    for survey in surveys:
        total.extend((answered.get(survey), None))
    built.add(total, "total")
    columns: list[str] = ["Theme"]
    for survey in surveys:
        columns.extend((f"{survey_label(survey)}: respondents", f"{survey_label(survey)}: share"))
    return ReportTable(
        key=key,
        title=title,
        columns=tuple(columns),
        rows=tuple(built.rows),
        formats=("text", *(("int", "pct") * len(surveys))),
        row_styles=tuple(built.styles),
        column_notes=tuple(
            (2 + 2 * i, "Share: respondents naming the theme, of those who answered the question.")
            for i in range(len(surveys))
        ),
        source=f"marts.{mart}",
    )


def priorities(con: duckdb.DuckDBPyConnection) -> ReportTable:
    return _themes(
        con,
        "priorities",
        "Priorities",
        "Organisational priority areas relevant to policing and health (Q7)",
    )


def demand(con: duckdb.DuckDBPyConnection) -> ReportTable:
    return _themes(
        con,
        "demand",
        "Demand",
        "Areas of greatest demand or concern (Q8)",
    )


_RESPONSE_MEASURES = (
    ("exported", "Questionnaires exported", ""),
    ("completed", "Completed", ""),
    ("partial", "Partially completed", ""),
    ("excluded_no_data", "Partial, removed: no data entered", ""),
    ("excluded_identity_only", "Partial, removed: only identity entered", ""),
    ("partial_included", "Partial, kept", ""),
    ("included", "Included in the analysis", "total"),
)


def responses(con: duckdb.DuckDBPyConnection) -> ReportTable:
    surveys = _surveys(con, "responses")
    names = ", ".join(m for m, _, _ in _RESPONSE_MEASURES)
    sql = f"select survey, {names} from {report_mart(con, 'responses')}"
    by_survey = {row[0]: row[1:] for row in con.execute(sql).fetchall()}
    built = _Builder()
    for index, (_, label, style) in enumerate(_RESPONSE_MEASURES):
        values = [by_survey[s][index] for s in surveys]
        built.add((label, *values, sum(v or 0 for v in values)), style)  # type: ignore[arg-type]
    return ReportTable(
        key="Responses",
        title="Survey responses and exclusions (Methods; Annex 2)",
        columns=("Responses", *(survey_label(s) for s in surveys), "Total"),
        rows=tuple(built.rows),
        formats=("text", *("int",) * (len(surveys) + 1)),
        row_styles=tuple(built.styles),
        bold_columns=frozenset({len(surveys) + 1}),
        source="marts.responses",
    )


def annex2(con: duckdb.DuckDBPyConnection) -> ReportTable:
    """Annex 2: per survey version and question, its items; Q4 with its grid breakdown."""
    # The report lists the regional/national version first, then the police one.
    surveys = sorted(_surveys(con, "question_responses"), key=lambda s: (s != "national", s))
    data = con.execute(
        f"""
        select q.survey, q.question, q.item, g.completed, g.active, g.future,
               q.response_percent / 100.0, q.response_total, q.answered
        from {report_mart(con, "question_responses")} q
        left join {report_mart(con, "area_of_work_by_survey")} g
          on q.question = 4 and g.survey = q.survey and lower(g.area) = lower(q.item)
        order by q.survey, q.question, q.item_order, q.item
        """
    ).fetchall()
    built = _Builder()
    for survey in surveys:
        built.add((f"{survey_label(survey)} survey", None, None, None, None, None), "heading")
        questions = sorted({q for s, q, *_ in data if s == survey})
        for question in questions:
            items = [r for r in data if r[0] == survey and r[1] == question]
            built.add((f"Question {question}", None, None, None, None, None), "subheading")
            for _, _, item, completed, active, future, percent, total, _ in items:
                built.add((item, completed, active, future, percent, total))
            built.add(("answered", None, None, None, None, items[0][8]), "total")
    return ReportTable(
        key="Annex 2",
        title="Annex 2: Survey questions and responses",
        columns=(
            "Item",
            "Completed work",
            "Active work",
            "Possible future work",
            "Response percent",
            "Response total",
        ),
        rows=tuple(built.rows),
        formats=("text", "int", "int", "int", "pct", "int"),
        row_styles=tuple(built.styles),
        notes=("Free-text answers are not reproduced; only whether a question was answered.",),
        column_notes=(
            (4, "Of the respondents of that survey who answered the question."),
            (1, "Completed, active and possible future work: question 4 only."),
        ),
        group_columns=("Survey", "Question"),
        source="marts.question_responses, marts.area_of_work_by_survey",
    )


def coverage(con: duckdb.DuckDBPyConnection) -> ReportTable:
    data = con.execute(
        f"""
        select coverage_type, name, coalesce(country, organisation_type), responded, respondents
        from {report_mart(con, "coverage")} order by coverage_type desc, responded desc, name
        """
    ).fetchall()
    built = _Builder()
    summary = []
    for kind in sorted({r[0] for r in data}, reverse=True):  # police force areas first
        rows = [r for r in data if r[0] == kind]
        responded = sum(1 for r in rows if r[3])
        label = f"{kind[:1].upper()}{kind[1:]}s"  # police force area -> Police force areas
        summary.append(
            f"{label}: {responded} of {len(rows)} represented ({responded / len(rows):.0%})."
        )
        built.add((label, None, None, None), "heading")
        for _, name, detail, was_there, respondents in rows:
            built.add((name, detail, "Yes" if was_there else "No", respondents))
    return ReportTable(
        key="Coverage",
        title="Coverage: police force areas and national organisations represented",
        columns=("Name", "Country / type", "Responded", "Respondents"),
        rows=tuple(built.rows),
        formats=("text", "text", "text", "int"),
        row_styles=tuple(built.styles),
        notes=tuple(summary),
        group_columns=("Coverage",),
        source="marts.coverage",
    )


RECONCILIATION_STATUSES = ("match", "known discrepancy", "mismatch")


def reconciliation_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every status, the three expected ones always present (a zero is news too)."""
    counts = dict.fromkeys(RECONCILIATION_STATUSES, 0)
    for status, n in con.execute(
        "select status, count(*) from marts.reconciliation group by status order by status"
    ).fetchall():
        counts[status] = n
    return counts


def reconciliation(con: duckdb.DuckDBPyConnection) -> ReportTable:
    counts = reconciliation_counts(con)
    rows = con.execute(
        """
        select figure_id, source, description, unit, published, computed, difference, status,
               reason
        from marts.reconciliation where status <> 'match'
        order by status = 'known discrepancy', source, figure_id
        """
    ).fetchall()
    summary = "; ".join(f"{status}: {n}" for status, n in counts.items())
    return ReportTable(
        key="Reconciliation",
        title="Reconciliation with the published report: the figures that do not match",
        columns=(
            "Figure",
            "Source",
            "Description",
            "Unit",
            "Published",
            "Computed",
            "Difference",
            "Status",
            "Reason",
        ),
        rows=tuple(rows),
        formats=("text", "text", "text", "text", "num", "num", "num", "text", "text"),
        notes=(f"Figures compared: {sum(counts.values())} ({summary}).",),
        empty_marker=NOT_AVAILABLE,
        source="marts.reconciliation",
    )


def report_tables(con: duckdb.DuckDBPyConnection) -> list[ReportTable]:
    """The report's tables, in the order of the workbook's sheets."""
    return [
        table1(con),
        table2(con),
        funding(con),
        priorities(con),
        demand(con),
        responses(con),
        annex2(con),
        coverage(con),
        reconciliation(con),
    ]
