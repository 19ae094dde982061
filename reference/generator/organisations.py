"""Who answers: canonical organisations (Annex 1 spelling where Annex 1 lists it), their type,
parent, police force areas, the ways respondents typed their name into Q1, and the 43 police
force areas. The tables are tables/organisations.json and tables/police_force_areas.csv.

These are the generator's own copy: the warehouse's organisations, aliases and force areas are
the hand-kept seeds in seeds/curated/, which must agree with what the extracts use
(reference/generator/curated.py says what that is; the tests check it).
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.generator.read_tables import read_csv, read_json


@dataclass(frozen=True)
class Org:
    name: str
    kind: str  # police force | OPCC | national body | regional body
    areas: tuple[str, ...] = ()
    typed: tuple[str, ...] = ()
    parent: str = ""  # empty for a top-level organisation
    annex1: bool = True
    role: str = ""  # national bodies: the Q2 role typed by its respondent

    @property
    def parent_name(self) -> str:
        """The top-level organisation (itself when it has no parent)."""
        return self.parent or self.name


# Names the generator's rules refer to.
PHE = "Public Health England"
NHSE = "NHS England"
NPCC = "National Police Chiefs' Council"

_TABLES = read_json("organisations.json")

# Police forces and OPCCs; those with annex1 false are only ever named on excluded rows.
POLICE_ORGS: tuple[Org, ...] = tuple(Org(**org) for org in _TABLES["police"])
# National and regional bodies. The role text decides "regional": exactly three contain "region".
NATIONAL_ORGS: tuple[Org, ...] = tuple(Org(**org) for org in _TABLES["national"])
# Annex 1 organisations that answered the police survey twice (40 responses, 32 organisations).
POLICE_TWICE: tuple[str, ...] = _TABLES["police_twice"]
# Q1 typed on the four identity-only national rows (agency and role only).
NATIONAL_IDENTITY_ONLY: tuple[tuple[str, str, str], ...] = tuple(
    (row["organisation"], row["typed"], row["role"]) for row in _TABLES["national_identity_only"]
)

POLICE_FORCE_AREAS: tuple[tuple[str, str], ...] = tuple(
    (row["police_force_area"], row["country"]) for row in read_csv("police_force_areas.csv")
)
WELSH_AREAS = tuple(area for area, country in POLICE_FORCE_AREAS if country == "Wales")


def org_by_name(orgs, name) -> Org:
    return next(o for o in orgs if o.name == name)
