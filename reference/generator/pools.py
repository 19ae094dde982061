"""The text pools free-text answers are drawn from (tables/*.json, tables/*.csv): roles and names,
the typed lead agency and funding answers per category, the good-practice projects and pieces of
work, the priority and demand fragments per theme, and the later questions' answers.

They draw on the report's own examples; none of it is a real answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.generator.read_tables import read_csv, read_json

_PEOPLE = read_json("people.json")
POLICE_ROLES: tuple[str, ...] = _PEOPLE["police_roles"]
OPCC_ROLES: tuple[str, ...] = _PEOPLE["opcc_roles"]
FIRST_NAMES: tuple[str, ...] = _PEOPLE["first_names"]
SURNAMES: tuple[str, ...] = _PEOPLE["surnames"]  # fictional: the tests check every Q3 name
IP_PREFIXES: tuple[str, ...] = _PEOPLE["ip_prefixes"]  # documentation ranges only

_CODED = read_json("coded_answers.json")
# Table 2 lead agency: typed answers per category ({force} = the respondent's own force).
LEAD_TEXTS: dict[str, tuple[str, ...]] = _CODED["lead_texts"]
FUNDING_TEXTS: dict[str, tuple[str, ...]] = _CODED["funding_texts"]
# (answer, category): answers no codebook rule matches, coded by hand in manual_codes.csv.
MANUAL_LEAD: tuple[str, str] = _CODED["manual_lead"]
MANUAL_FUNDING: tuple[str, str] = _CODED["manual_funding"]
MANUAL_DEMAND: tuple[str, str] = _CODED["manual_demand"]
PRIORITY_THEMES: tuple[str, ...] = _CODED["priority_themes"]
PRIORITY_FRAGMENTS: dict[str, tuple[str, ...]] = _CODED["priority_fragments"]
PRIORITY_TARGETS: dict[str, int] = _CODED["priority_targets"]
DEMAND_THEMES: tuple[str, ...] = _CODED["demand_themes"]
DEMAND_FRAGMENTS: dict[str, tuple[str, ...]] = _CODED["demand_fragments"]
DEMAND_TARGETS: dict[str, int] = _CODED["demand_targets"]
# (header, survey version) -> how an answer may start
INTROS: dict[tuple[str, str], tuple[str, ...]] = {
    (row["header"], row["survey"]): row["intros"] for row in _CODED["intros"]
}
PLAN_LINK: str = _CODED["plan_link"]


def _pairs(rows) -> dict[str, tuple[tuple[str, str], ...]]:
    pairs: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        pairs.setdefault(row["survey"], []).extend(
            [(row["lead_agency"], row["funding"])] * int(row["count"])
        )
    return {version: tuple(found) for version, found in pairs.items()}


# (lead category, funding category) of each good-practice answer, per survey version.
GOOD_PRACTICE_PAIRS = _pairs(read_csv("good_practice_pairs.csv"))


@dataclass(frozen=True)
class Project:
    title: str
    leads: tuple[str, ...]
    partners: str
    aim: str
    duration: str
    scales: tuple[str, ...]
    data: str
    impact: str
    lessons: str


PROJECTS: tuple[Project, ...] = tuple(Project(**p) for p in read_json("projects.json"))
WORKS: tuple[tuple[str, str], ...] = tuple(
    (row["title"], row["brief"]) for row in read_csv("works.csv")
)

_LATER = read_json("later_answers.json")
LEADERSHIP: tuple[str, ...] = _LATER["leadership"]
SKILLS: tuple[str, ...] = _LATER["skills"]
RECRUITMENT: tuple[str, ...] = _LATER["recruitment"]
INFO_ENABLERS: tuple[str, ...] = _LATER["info_enablers"]
INFO_BLOCKERS: tuple[str, ...] = _LATER["info_blockers"]
COLLAB_ENABLERS: tuple[str, ...] = _LATER["collab_enablers"]
COLLAB_BLOCKERS: tuple[str, ...] = _LATER["collab_blockers"]
COMMENTS: tuple[str, ...] = _LATER["comments"]
