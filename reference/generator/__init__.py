"""Rebuild the reference survey extracts (a reconstruction, not the real responses).

The 2017 landscape-review survey answers were never published. This package invents
respondent-level exports that reproduce, exactly, every count the 2018 report does publish
(Annex 2, Table 1, Table 2, the funding paragraph, the response accounting of the Methods),
with free text written the way respondents write it. See reference/extracts/README.md.

Run from the repository root:

    python -m reference.generator                  # rewrites reference/extracts/
    python -m reference.generator --out DIR        # the extracts into DIR instead
    python -m reference.generator --check-curated  # rows seeds/curated/ lacks for the extracts

It writes extracts only, never a seed: the seeds the extracts must agree with are hand-kept
(seeds/curated/, see curated.py). Only the standard library and openpyxl are used; every random
choice comes from one random.Random with a fixed seed, and nothing iterates over a set or
depends on the clock, so the output is byte-for-byte the same on every run.

One module per job; the literal tables are data files in tables/:

    settings       seed, dates, paths, questionnaire pages
    read_tables    reads tables/*.json and tables/*.csv into the values the draws use
    organisations  who answers (tables/organisations.json, tables/police_force_areas.csv)
    pools          the text pools answers are drawn from (the other files in tables/)
    draw           weighted draws, covers, the untidiness of typed answers
    respondents    included, identity-only and no-data rows; Q1-Q3
    answers        free-text answers (good practice, pieces of work, themes, lists)
    questions      who answers which question, so that Annex 2 holds
    timing         times, Response IDs, IP addresses
    build          one reconstruction, in memory
    extracts       writing the CSV and xlsx files
    curated        the rows the hand-kept seeds must hold for these extracts
    cli            the command line
"""

from reference.generator.build import Reconstruction, build, reconstruct
from reference.generator.cli import main
from reference.generator.curated import missing_rows, requirements
from reference.generator.draw import join_list, mess, norm_key
from reference.generator.extracts import EXTRACT_NAMES, write_extracts
from reference.generator.organisations import NATIONAL_ORGS, POLICE_FORCE_AREAS, POLICE_ORGS, Org
from reference.generator.pools import (
    COLLAB_BLOCKERS,
    COLLAB_ENABLERS,
    COMMENTS,
    DEMAND_FRAGMENTS,
    FIRST_NAMES,
    FUNDING_TEXTS,
    INFO_BLOCKERS,
    INFO_ENABLERS,
    INTROS,
    LEAD_TEXTS,
    LEADERSHIP,
    OPCC_ROLES,
    POLICE_ROLES,
    PRIORITY_FRAGMENTS,
    PROJECTS,
    RECRUITMENT,
    SKILLS,
    SURNAMES,
    WORKS,
    Project,
)
from reference.generator.settings import SEED

__all__ = [
    "COLLAB_BLOCKERS",
    "COLLAB_ENABLERS",
    "COMMENTS",
    "DEMAND_FRAGMENTS",
    "EXTRACT_NAMES",
    "FIRST_NAMES",
    "FUNDING_TEXTS",
    "INFO_BLOCKERS",
    "INFO_ENABLERS",
    "INTROS",
    "LEADERSHIP",
    "LEAD_TEXTS",
    "NATIONAL_ORGS",
    "OPCC_ROLES",
    "POLICE_FORCE_AREAS",
    "POLICE_ORGS",
    "POLICE_ROLES",
    "PRIORITY_FRAGMENTS",
    "PROJECTS",
    "RECRUITMENT",
    "SEED",
    "SKILLS",
    "SURNAMES",
    "WORKS",
    "Org",
    "Project",
    "Reconstruction",
    "build",
    "join_list",
    "main",
    "mess",
    "missing_rows",
    "norm_key",
    "reconstruct",
    "requirements",
    "write_extracts",
]
