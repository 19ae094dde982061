"""What the hand-kept seeds (seeds/curated/) must hold for the reference extracts to reproduce
the report: every organisation the extracts name, its force areas, an alias for every way Q1 is
typed, and a manual code for each answer no codebook rule matches.

The generator never writes seeds/curated/: people edit those files (an alias for a new spelling,
a manual code for a new answer) and dbt tests validate them. This module only says which rows
must be there; extra rows are fine. `python -m reference.generator --check-curated` prints the
missing ones.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from reference.generator.build import Reconstruction
from reference.generator.draw import norm_key
from reference.generator.organisations import (
    NATIONAL_IDENTITY_ONLY,
    NATIONAL_ORGS,
    POLICE_FORCE_AREAS,
    POLICE_ORGS,
    org_by_name,
)


@dataclass(frozen=True)
class Requirement:
    seed: str  # file name in seeds/curated/
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def aliases(reconstruction: Reconstruction) -> dict[str, str]:
    """alias_key -> organisation for every canonical name and every typed Q1 name."""
    all_orgs = POLICE_ORGS + NATIONAL_ORGS
    found: dict[str, str] = {}
    names = [(o.name, o) for o in all_orgs] + [(t, o) for o in all_orgs for t in o.typed]
    names += [
        (r.typed_org, r.org)
        for r in reconstruction.police + reconstruction.national
        if r.org is not None
    ]
    names += [(typed, org_by_name(NATIONAL_ORGS, n)) for n, typed, _ in NATIONAL_IDENTITY_ONLY]
    for name, org in names:
        key = norm_key(name)
        assert found.setdefault(key, org.name) == org.name, f"alias clash: {key}"
    return found


def requirements(reconstruction: Reconstruction) -> list[Requirement]:
    all_orgs = POLICE_ORGS + NATIONAL_ORGS
    return [
        Requirement("police_force_areas.csv", ("police_force_area", "country"), POLICE_FORCE_AREAS),
        Requirement(
            "organisations.csv",
            ("organisation", "organisation_type", "parent_organisation"),
            tuple((o.name, o.kind, o.parent) for o in all_orgs),
        ),
        Requirement(
            "organisation_force_areas.csv",
            ("organisation", "police_force_area"),
            tuple((o.name, a) for o in POLICE_ORGS for a in o.areas),
        ),
        Requirement(
            "organisation_aliases.csv",
            ("alias_key", "organisation"),
            tuple(sorted(aliases(reconstruction).items())),
        ),
        Requirement(
            "manual_codes.csv",
            ("survey", "response_id", "question_key", "category"),
            tuple(
                sorted(
                    (r.version, str(r.response_id), key, category)
                    for r, key, category in reconstruction.manual
                )
            ),
        ),
    ]


def missing_rows(reconstruction: Reconstruction, curated_dir: Path) -> dict[str, list[tuple]]:
    """Per curated seed, the required rows it lacks (an empty dict when nothing is missing)."""
    missing = {}
    for need in requirements(reconstruction):
        path = curated_dir / need.seed
        have: set[tuple[str, ...]] = set()
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                have = {tuple(row.get(c) or "" for c in need.columns) for row in csv.DictReader(fh)}
        lacking = [row for row in need.rows if row not in have]
        if lacking:
            missing[need.seed] = lacking
    return missing
