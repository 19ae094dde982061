"""The respondents: who answered (included, identity-only, no-data rows), how far they got,
their engagement weight, Q1-Q3 (organisation as typed, role, fake contact details)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from reference.generator.draw import mess
from reference.generator.organisations import (
    NATIONAL_IDENTITY_ONLY,
    NATIONAL_ORGS,
    POLICE_ORGS,
    POLICE_TWICE,
    WELSH_AREAS,
    Org,
    org_by_name,
)
from reference.generator.pools import FIRST_NAMES, OPCC_ROLES, POLICE_ROLES, SURNAMES, Project


@dataclass(eq=False)
class Response:
    version: str
    kind: str  # included | identity | nodata
    status: str
    org: Org | None = None
    typed_org: str = ""
    reached: int = 6  # last page reached (for partial responses)
    weight: float = 1.0
    cells: dict[str, str] = field(default_factory=dict)
    started: dt.datetime | None = None
    ended: dt.datetime | None = None
    snapshot_cut: int = 6  # pages already saved at the snapshot (national only)
    project: Project | None = None  # the good-practice project, when one was described
    response_id: int = 0
    ip: str = ""


def is_welsh(r: Response) -> bool:
    return any(area in WELSH_AREAS for area in r.org.areas)


def contact(rng: random.Random, cells: dict[str, str]) -> None:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    name = f"{first} {last}"
    if rng.random() < 0.15:
        name = f"{rng.choice(('DS', 'Insp', 'Dr', 'PC', 'Ms', 'Mr'))} {name}"
    email = f"{first}.{last}".lower().replace("'", "") + "@example.org"
    if rng.random() < 0.1:
        email = f"{first}.{last}@example.org"
    cells["Q3. Name"] = name
    cells["Q3. Phone number"] = f"07700 900{rng.randrange(1000):03d}"
    cells["Q3. Email"] = email


def build_police(rng: random.Random):
    annex = [o for o in POLICE_ORGS if o.annex1]
    orgs = annex + [org_by_name(POLICE_ORGS, n) for n in POLICE_TWICE]
    included = []
    seen: dict[str, int] = {}
    for org in orgs:
        n = seen.get(org.name, 0)
        seen[org.name] = n + 1
        included.append(
            Response("police", "included", "Completed", org, org.typed[n % len(org.typed)])
        )
    rng.shuffle(included)
    # 8 of the 40 never finished: they stopped after page 2..5 (all of them ticked Q4).
    partial_reach = (2, 2, 2, 3, 3, 4, 4, 5)
    # (the Welsh forces finished: they answered Q9, on public service boards, not HWBs)
    forces = [r for r in included if r.org.kind == "police force" and not is_welsh(r)]
    for r, reach in zip(forces[:8], partial_reach, strict=True):
        r.status, r.reached = "Partial", reach
    for r in included:
        r.weight = rng.uniform(1.0, 2.2) if r.status == "Completed" else rng.uniform(0.3, 0.8)
    # Two OPCCs skipped the grid (it asks about "your Force") but answered later questions.
    no_grid = [r for r in included if r.org.kind == "OPCC"][:2]
    return included, no_grid


def build_national(rng: random.Random):
    included = [
        Response("national", "included", "Completed", o, o.typed[0])
        for o in NATIONAL_ORGS
        if o.annex1
    ]
    rng.shuffle(included)
    included[0].status, included[0].reached = "Partial", 5
    for r in included:
        r.weight = rng.uniform(1.0, 2.2) if r.status == "Completed" else 0.6
    return included, []


def fill_identity(rng: random.Random, r: Response, role: bool = True) -> None:
    c = r.cells
    q1 = "Q1. Police Force" if r.version == "police" else "Q1. Organisation / Agency"
    q2 = "Q2. Role/rank" if r.version == "police" else "Q2. Role"
    c[q1] = r.typed_org
    if role:
        if r.version == "police":
            pool = OPCC_ROLES if r.org.kind == "OPCC" else POLICE_ROLES
            c[q2] = mess(rng, rng.choice(pool))
        else:
            c[q2] = mess(rng, r.org.role)
    contact(rng, c)


def excluded_police(rng) -> list[Response]:
    others = [o for o in POLICE_ORGS if not o.annex1]
    annex = [o for o in POLICE_ORGS if o.annex1]
    rows = []
    for i in range(34):
        org = others[i] if i < len(others) else rng.choice(annex)
        r = Response("police", "identity", "Partial", org, rng.choice(org.typed), reached=1)
        fill_identity(rng, r, role=False)
        if rng.random() < 0.15:  # some gave up half way through the contact details
            del r.cells["Q3. Phone number"]
        rows.append(r)
    rows += [Response("police", "nodata", "Partial", reached=0) for _ in range(57)]
    rows[-1].cells["Q1. Police Force"] = " "  # white space only: still "no data"
    return rows


def excluded_national(rng) -> list[Response]:
    rows = []
    for name, typed, role in NATIONAL_IDENTITY_ONLY:
        org = org_by_name(NATIONAL_ORGS, name)
        r = Response("national", "identity", "Partial", org, typed, reached=1)
        r.cells["Q1. Organisation / Agency"] = typed
        r.cells["Q2. Role"] = role
        rows.append(r)
    rows += [Response("national", "nodata", "Partial", reached=0) for _ in range(10)]
    return rows
