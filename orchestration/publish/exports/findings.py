"""The report's findings about the data, computed from the published marts, never typed.

Each finding is one wording template (a function below) filled from one query: with the
reference extracts it says what the 2018 report says (tests/integration/test_report_standards.py
compares every one with the report's sentence); with other data it says what those data say,
ties and near-ties included (see `wording.py`). `report.html` shows them as "Key findings" and the
workbook's cover sheet lists them, each with the figure it rests on and the table to check it
in. A finding whose mart is missing or empty is left out, never guessed.

The published figures of the report (seeds/published_figures.csv) play no part here: they are
for the reconciliation and the tests only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from orchestration.domain.contract import VERSIONS
from orchestration.publish.exports.marts import has_mart
from orchestration.publish.exports.wording import (
    Group,
    Ranking,
    capitalise,
    count,
    display_name,
    join,
    leading,
    majority,
    named_values,
    near_tie_clause,
    number_word,
    percent,
    share_of_respondents,
    subject,
    values_phrase,
    verb,
)

# Funding categories that say nothing about who paid: outside the report's "projects where
# funding information was provided".
NO_FUNDING_INFORMATION = ("not stated", "cost-neutral / no additional funding")
COST_NEUTRAL = "cost-neutral / no additional funding"
JOINTLY_FUNDED = "jointly funded"
TOP = 3  # "the top 3", as the report counts its leading areas


@dataclass(frozen=True)
class Finding:
    key: str  # stable id, e.g. "areas.current"
    text: str  # the sentence, as published
    figure: str  # the figure(s) it rests on
    source: str  # the mart(s) it is computed from
    table: str  # the report table (ReportTable.key) where a reader can check it


# --- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Areas:
    """Table 1 in its own order: (area, completed, active, future, total)."""

    rows: tuple[tuple[str, int, int, int, int], ...]

    def measure(self, *columns: int) -> list[tuple[str, float]]:
        return [(row[0], sum(row[c] for c in columns)) for row in self.rows]

    @property
    def current(self) -> list[tuple[str, float]]:
        return self.measure(1, 2)  # completed + active: "past and current work"

    @property
    def future(self) -> list[tuple[str, float]]:
        return self.measure(3)

    @property
    def total(self) -> list[tuple[str, float]]:
        return self.measure(4)


def _areas(con: duckdb.DuckDBPyConnection) -> _Areas | None:
    if not has_mart(con, "area_of_work"):
        return None
    rows = con.execute(
        "select area, completed, active, future, total from marts.area_of_work "
        "order by total desc, rank, area"
    ).fetchall()
    return _Areas(tuple(rows)) if rows else None


def _themes(con: duckdb.DuckDBPyConnection, mart: str) -> tuple[list[tuple[str, float]], int]:
    """(theme, respondents) of all respondents, most named first; and how many answered."""
    if not has_mart(con, mart):
        return [], 0
    surveys = {s for (s,) in con.execute(f"select distinct survey from marts.{mart}").fetchall()}
    survey = "all" if "all" in surveys else None
    if survey is None:
        return [], 0
    rows = con.execute(
        f"select theme, respondents, answered from marts.{mart} "
        "where survey = ? and respondents > 0 order by respondents desc, theme",
        [survey],
    ).fetchall()
    answered = max((r[2] for r in rows), default=0)
    return [(theme, n) for theme, n, _ in rows], answered


# --- the templates ------------------------------------------------------------------------


def _figure_list(label: str, ranking: Ranking) -> str:
    """'72, 65 and 62 total mentions', or '21 total mentions each' for one tied group."""
    if len(ranking.groups) == 1 and ranking.groups[0].size > 1:
        return f"{count(ranking.groups[0].value)} {label} each"
    return f"{values_phrase(ranking)} {label}"


def responses(con: duckdb.DuckDBPyConnection) -> Finding | None:
    if not has_mart(con, "responses"):
        return None
    rows = con.execute(
        "select survey, included, exported from marts.responses order by survey"
    ).fetchall()
    if not rows:
        return None
    included = {survey: n for survey, n, _ in rows}
    total, exported = sum(included.values()), sum(r[2] for r in rows)
    text = f"A total of {count(total)} full and partially completed surveys were returned"
    if set(included) == set(VERSIONS):
        text += (
            f", {count(included['police'])} from police forces and OPCCs ('police' surveys) "
            f"and {count(included['national'])} from other organisations "
            "('regional/national' surveys)"
        )
    return Finding(
        "responses",
        text + ".",
        f"{count(total)} questionnaires included in the analysis, of {count(exported)} "
        "exported (partial ones with no data, or only the respondent's identity, removed)",
        "marts.responses",
        "Responses",
    )


def coverage(con: duckdb.DuckDBPyConnection) -> Finding | None:
    if not has_mart(con, "coverage"):
        return None
    areas, represented, countries = con.execute(
        "select count(*), count(*) filter (where responded), "
        "list(distinct country order by country) filter (where country is not null) "
        "from marts.coverage where coverage_type = 'police force area'"
    ).fetchone()
    if not areas:
        return None
    where = f" in {join(countries)}" if countries else ""
    share = percent(represented, areas)
    return Finding(
        "coverage.police_force_areas",
        f"In all, {represented} of the {areas} police force areas ({share}){where} "
        "were represented.",
        f"{represented} of {areas} police force areas with at least one included "
        f"respondent ({share})",
        "marts.coverage",
        "Coverage",
    )


def hwb_representation(con: duckdb.DuckDBPyConnection) -> Finding | None:
    if not has_mart(con, "hwb_representation"):
        return None
    rows = con.execute(
        "select answer, respondents, answered from marts.hwb_representation "
        "where survey = 'police' order by answer_order, answer"
    ).fetchall()
    yes = next((n for answer, n, _ in rows if answer.lower() == "yes"), None)
    if yes is None:
        return None
    answered = rows[0][2]
    answers = ", ".join(f"{answer.lower()} {n}" for answer, n, _ in rows)
    return Finding(
        "hwb_representation",
        "Police forces were asked whether they were represented on health and wellbeing "
        f"boards. {capitalise(majority(yes, answered))} said yes.",
        f"{yes} of {answered} police respondents who answered ({percent(yes, answered)}); "
        f"{answers}",
        "marts.hwb_representation",
        "Annex 2",
    )


def areas_overall(con: duckdb.DuckDBPyConnection) -> Finding | None:
    areas = _areas(con)
    if areas is None:
        return None
    top = leading(areas.total, TOP)
    is_one = len(top.names) == 1
    noun = "area" if is_one else "areas"
    return Finding(
        "areas.overall",
        f"Overall, the most popular {noun} for collaborative work "
        f"{verb(top, 'was', 'were')} {subject(top)}{near_tie_clause(top)}.",
        _figure_list("total mentions (completed, active and possible future work)", top),
        "marts.area_of_work",
        "Table 1",
    )


def areas_current(con: duckdb.DuckDBPyConnection) -> Finding | None:
    areas = _areas(con)
    if areas is None:
        return None
    top = leading(areas.current, TOP)
    return Finding(
        "areas.current",
        capitalise(
            f"{subject(top)} {verb(top, 'was', 'were')} identified most frequently for past "
            f"and current work{near_tie_clause(top)}."
        ),
        _figure_list("completed and active mentions", top),
        "marts.area_of_work",
        "Table 1",
    )


def _close_behind(ranking: Ranking, work: str) -> str:
    if not ranking.near_tie or ranking.next_group is None:
        return ""
    last = Group(ranking.groups[-1].value, ranking.groups[-1].names)
    return (
        f"in {work} work {named_values([ranking.next_group])} came close behind "
        f"{named_values([last])}"
    )


def areas_completed_and_active(con: duckdb.DuckDBPyConnection) -> Finding | None:
    areas = _areas(con)
    if areas is None:
        return None
    current = leading(areas.current, TOP)
    completed = leading(areas.measure(1), TOP)
    active = leading(areas.measure(2), TOP)
    figure = (
        f"completed mentions {named_values(completed.groups)}; "
        f"active mentions {named_values(active.groups)}"
    )
    if set(completed.names) == set(active.names) == set(current.names):
        close = [
            c for c in (_close_behind(completed, "completed"), _close_behind(active, "active")) if c
        ]
        text = f"The same {len(current.names)} areas came top in completed and active work"
        if close:
            text += ", though " + join(close)
    else:
        text = (
            f"Different areas came top in completed work ({subject(completed)}) and in "
            f"active work ({subject(active)})"
        )
    return Finding(
        "areas.completed_and_active", text + ".", figure, "marts.area_of_work", "Table 1"
    )


def areas_future(con: duckdb.DuckDBPyConnection) -> Finding | None:
    areas = _areas(con)
    if areas is None:
        return None
    top = leading(areas.future, TOP)
    return Finding(
        "areas.future",
        capitalise(f"{subject(top)} scored highest for future work{near_tie_clause(top)}."),
        _figure_list("possible future mentions", top),
        "marts.area_of_work",
        "Table 1",
    )


def _least(key: str, items: list[tuple[str, float]], work: str, figure_label: str) -> Finding:
    bottom = leading(items, 1, descending=False)
    return Finding(
        key,
        capitalise(
            f"{subject(bottom)} {verb(bottom, 'was', 'were')} mentioned least {work}"
            f"{near_tie_clause(bottom, descending=False)}."
        ),
        _figure_list(figure_label, bottom),
        "marts.area_of_work",
        "Table 1",
    )


def areas_least_overall(con: duckdb.DuckDBPyConnection) -> Finding | None:
    areas = _areas(con)
    if areas is None:
        return None
    return _least("areas.least_overall", areas.total, "overall", "total mentions")


def areas_least_current(con: duckdb.DuckDBPyConnection) -> Finding | None:
    areas = _areas(con)
    if areas is None:
        return None
    return _least(
        "areas.least_current",
        areas.current,
        "for past and current work",
        "completed and active mentions",
    )


def areas_least_future(con: duckdb.DuckDBPyConnection) -> Finding | None:
    areas = _areas(con)
    if areas is None:
        return None
    return _least(
        "areas.least_future", areas.future, "for possible future work", "possible future mentions"
    )


def lead_agency(con: duckdb.DuckDBPyConnection) -> Finding | None:
    if not has_mart(con, "lead_agency"):
        return None
    rows = con.execute(
        "select lead_agency, projects from marts.lead_agency where projects > 0 "
        "order by projects desc, lead_agency"
    ).fetchall()
    if not rows:
        return None
    total = sum(n for _, n in rows)
    top = leading(rows, 1)
    each = " each" if len(top.names) > 1 else ""
    text = (
        f"{capitalise(subject(top, 'agencies'))} led the most good practice projects: "
        f"{count(top.values[0])}{each} of the {count(total)}"
    )
    if top.next_group is not None:
        text += f", followed by {named_values([top.next_group])}"
    return Finding(
        "lead_agency",
        text + ".",
        f"{count(top.values[0])} of {count(total)} projects ({percent(top.values[0], total)})",
        "marts.lead_agency",
        "Table 2",
    )


def _funding_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    if not has_mart(con, "funding"):
        return []
    return con.execute(
        "select funding_source, projects from marts.funding where projects > 0 "
        "order by projects desc, funding_source"
    ).fetchall()


def funding(con: duckdb.DuckDBPyConnection) -> Finding | None:
    rows = [r for r in _funding_rows(con) if r[0] not in NO_FUNDING_INFORMATION]
    if not rows:
        return None
    with_information = sum(n for _, n in rows)
    top = leading(rows, 1)
    n = top.values[0]
    basis = (
        f"{count(n)} of {count(with_information)} projects where funding information was provided"
    )
    if top.names == (JOINTLY_FUNDED,):
        group = "the majority of projects" if 2 * n > with_information else "most projects"
        text = (
            f"Funding for {group} came from more than 1 partner, with {basis} being jointly funded."
        )
    else:
        each = " each" if len(top.names) > 1 else ""
        text = (
            f"The most common funding was {subject(top, 'sources')}: "
            f"{count(n)}{each} of {count(with_information)} projects where funding "
            "information was provided."
        )
    return Finding(
        "funding.leader",
        text,
        f"{basis} ({percent(n, with_information)})",
        "marts.funding",
        "Funding",
    )


def funding_others(con: duckdb.DuckDBPyConnection) -> Finding | None:
    all_rows = _funding_rows(con)
    rows = [r for r in all_rows if r[0] not in NO_FUNDING_INFORMATION]
    if len(rows) < 2:
        return None
    top = leading(rows, 1)
    rest = [r for r in rows if r[0] not in top.names]
    (first, n_first), others = rest[0], rest[1:]
    were = "was" if n_first == 1 else "were"
    funded = display_name(first) if first.endswith("funded") else f"{display_name(first)} funded"
    text = f"A further {count(n_first)} {were} {funded}"
    if others:
        text += ": " + join([f"{count(n)} {display_name(name)}" for name, n in others])
    text += "."
    neutral = next((n for name, n in all_rows if name == COST_NEUTRAL), 0)
    if neutral:
        text += (
            f" {capitalise(number_word(neutral))} {'was' if neutral == 1 else 'were'} "
            "cost-neutral or had no additional funding provided."
        )
    figure = join([f"{name} {count(n)}" for name, n in all_rows])
    return Finding("funding.others", text, f"{figure} projects", "marts.funding", "Funding")


def _top_theme(
    con: duckdb.DuckDBPyConnection, mart: str, key: str, context: str, question: str
) -> Finding | None:
    themes, answered = _themes(con, mart)
    if not themes or not answered:
        return None
    top = leading(themes, 1)
    n = int(top.values[0])
    each = " each" if len(top.names) > 1 else ""
    return Finding(
        key,
        f"{context}, {subject(top, 'themes')} {verb(top, 'was', 'were')} listed by "
        f"{share_of_respondents(n, answered)}.",
        f"{n}{each} of {answered} respondents who answered {question} ({percent(n, answered)})",
        f"marts.{mart}",
        capitalise(mart),
    )


def priorities_top(con: duckdb.DuckDBPyConnection) -> Finding | None:
    return _top_theme(con, "priorities", "priorities.top", "Among organisational priorities", "Q7")


def demand_top(con: duckdb.DuckDBPyConnection) -> Finding | None:
    return _top_theme(
        con, "demand", "demand.top", "In the areas of greatest demand or concern", "Q8"
    )


def priorities_themes(con: duckdb.DuckDBPyConnection) -> Finding | None:
    themes, answered = _themes(con, "priorities")
    if not themes:
        return None
    names = [display_name(t) for t, _ in themes]
    return Finding(
        "priorities.themes",
        f"{capitalise(number_word(len(names)))} key areas emerged as organisational "
        f"priorities: {join(names)}.",
        f"{join([count(n) for _, n in themes])} of {answered} respondents who answered Q7",
        "marts.priorities",
        "Priorities",
    )


def demand_themes(con: duckdb.DuckDBPyConnection, wanted: int = 5) -> Finding | None:
    themes, answered = _themes(con, "demand")
    if not themes:
        return None
    top = leading(themes, wanted)
    return Finding(
        "demand.themes",
        "Asked about the areas of greatest demand or concern, the most common responses "
        f"were {subject(top, 'themes')}{near_tie_clause(top)}.",
        f"{values_phrase(top)} of {answered} respondents who answered Q8",
        "marts.demand",
        "Demand",
    )


# In the order of the Key findings section: who answered, then what they said.
TEMPLATES: tuple[Callable[[duckdb.DuckDBPyConnection], Finding | None], ...] = (
    responses,
    coverage,
    hwb_representation,
    areas_overall,
    areas_current,
    areas_completed_and_active,
    areas_future,
    areas_least_overall,
    areas_least_current,
    areas_least_future,
    lead_agency,
    funding,
    funding_others,
    priorities_top,
    priorities_themes,
    demand_top,
    demand_themes,
)


def compute_findings(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Every finding the published marts support, in reading order."""
    return [f for template in TEMPLATES if (f := template(con)) is not None]


__all__ = ["Finding", "compute_findings"]
