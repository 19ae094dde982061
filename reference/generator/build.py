"""One reconstruction, in memory: every draw in a fixed order from one random.Random(SEED)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from orchestration.domain.contract import VERSIONS
from reference.generator.answers import Texts
from reference.generator.pools import (
    DEMAND_FRAGMENTS,
    DEMAND_TARGETS,
    DEMAND_THEMES,
    MANUAL_DEMAND,
    PRIORITY_FRAGMENTS,
    PRIORITY_TARGETS,
    PRIORITY_THEMES,
)
from reference.generator.questions import fill_included, fill_later, load_figures
from reference.generator.respondents import (
    Response,
    build_national,
    build_police,
    excluded_national,
    excluded_police,
)
from reference.generator.settings import SEED
from reference.generator.timing import assign_ids, schedule


@dataclass(frozen=True)
class Reconstruction:
    police: list[Response]  # every police row, by Response ID
    national: list[Response]  # every national row, by Response ID
    manual: list[tuple[Response, str, str]]  # answers that need a manual code: (row, key, code)


def build(rng: random.Random):
    figures = load_figures()
    texts = Texts(rng)
    police_in, police_no_grid = build_police(rng)
    national_in, national_no_grid = build_national(rng)
    out = {}
    for version, rs, no_grid in (
        ("police", police_in, police_no_grid),
        ("national", national_in, national_no_grid),
    ):
        out[version] = fill_included(rng, version, rs, no_grid, figures, texts)
    # coded answers draw on both versions at once (the report codes them together)
    q7 = out["police"][0] + out["national"][0]
    q8 = out["police"][1] + out["national"][1]
    texts.themed(q7, PRIORITY_THEMES, PRIORITY_FRAGMENTS, PRIORITY_TARGETS, "Q7. Priorities")
    texts.themed(
        q8,
        DEMAND_THEMES,
        DEMAND_FRAGMENTS,
        DEMAND_TARGETS,
        "Q8. Greatest demand",
        manual=MANUAL_DEMAND,
    )
    for version in VERSIONS:
        _, _, p5, sections, last = out[version]
        fill_later(rng, version, figures, texts, p5, sections, last)
    police = police_in + excluded_police(rng)
    national = national_in + excluded_national(rng)
    schedule(rng, police, national)
    assign_ids(rng, police + national)
    police.sort(key=lambda r: r.response_id)
    national.sort(key=lambda r: r.response_id)
    return police, national, texts.manual


def reconstruct() -> Reconstruction:
    """The reference reconstruction (the same on every run)."""
    return Reconstruction(*build(random.Random(SEED)))
