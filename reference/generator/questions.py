"""Which included respondent answers which question (Q4 grid, good practice, pieces of work, Q7
to the last box), so that every count of Annex 2 holds exactly; the counts come from the
report's published figures (seeds/reference/published_figures.csv)."""

from __future__ import annotations

import csv
import random

from orchestration.domain.contract import AREAS, GRID_OPTIONS, HWB_HEADER
from reference.generator.answers import Texts
from reference.generator.draw import choose, cover, pick, reached
from reference.generator.organisations import NPCC
from reference.generator.pools import (
    COLLAB_BLOCKERS,
    COLLAB_ENABLERS,
    COMMENTS,
    INFO_BLOCKERS,
    INFO_ENABLERS,
    LEADERSHIP,
    RECRUITMENT,
    SKILLS,
)
from reference.generator.respondents import Response, fill_identity, is_welsh
from reference.generator.settings import FIGURES


def load_figures() -> dict[str, float]:
    with FIGURES.open(encoding="utf-8", newline="") as fh:
        return {row["figure_id"]: float(row["value"]) for row in csv.DictReader(fh)}


def area_figure_name(area: str) -> str:
    """The report spells areas like Table 1 (sentence case, 'ACE (adverse child experiences)')."""
    if area == "ACE (Adverse Child Experiences)":
        return "ACE (adverse child experiences)"
    return area[0] + area[1:].lower()


def fill_grid(rng: random.Random, version: str, tickers: list[Response], figures) -> None:
    ticks: dict[int, int] = {id(r): 0 for r in tickers}
    weights = {id(r): r.weight for r in tickers}
    by_id = {id(r): r for r in tickers}
    cells_by_option = []
    for area in AREAS:
        report_area = area_figure_name(area)
        for option, key in zip(GRID_OPTIONS, ("completed", "active", "future"), strict=True):
            n = int(figures[f"annex2.{version}.q4.{report_area}.{key}"])
            chosen = pick(rng, list(ticks), n, weights)
            header = f"Q4. {area}: {option}"
            for rid in chosen:
                by_id[rid].cells[header] = option
                ticks[rid] += 1
            cells_by_option.append((header, option))
    # everybody who ticks ticks something: move a tick from the busiest respondent
    for rid in list(ticks):
        while ticks[rid] == 0:
            donor = max(ticks, key=lambda k: ticks[k])
            header, option = next(
                (h, o)
                for h, o in cells_by_option
                if by_id[donor].cells.get(h) and not by_id[rid].cells.get(h)
            )
            del by_id[donor].cells[header]
            by_id[rid].cells[header] = option
            ticks[donor] -= 1
            ticks[rid] += 1


def fill_included(rng, version, rs: list[Response], no_grid: list[Response], figures, texts: Texts):
    def fig(name):
        return int(figures[f"annex2.{version}.{name}"])

    for r in rs:
        fill_identity(rng, r)
    tickers = [r for r in rs if r not in no_grid]
    fill_grid(rng, version, tickers, figures)
    if version == "police":
        p3, p4, p5 = reached(rs, 3), reached(rs, 4), reached(rs, 5)
        gp = choose(
            rng,
            p3,
            fig("q5.Lead Agency.answered"),
            force=[r for r in p3 if r.org.name == "West Midlands Police"]
            + [r for r in p3 if r.org.kind == "OPCC"][:1],
        )
        texts.good_practice(version, gp, {"Other Agencies/Partners involved": 1, "Key lessons": 1})
        w1 = choose(rng, p3, fig("q6.Work 1.response_total"), force=gp[:20])
        texts.works(version, w1, [len(w1), fig("q6.Work 2.response_total"), 19, 12, 7])
        q7 = choose(rng, p4, fig("q7.Priorities.answered"), force=no_grid)
        q8 = choose(rng, p4, fig("q8.Greatest demand.answered"), force=q7[:20])
        q9 = choose(rng, p5, fig("q9.answered"), force=[r for r in p5 if is_welsh(r)])
        fill_hwb(rng, q9, figures)
        sections = {
            "Q10.": ("q10", ("Leadership", "Developing employee skill sets", "Recruitment")),
            "Q11.": ("q11", ("Information sharing: Enablers", "Information sharing: Blockers")),
            "Q12.": ("q12", ("Collaboration: Enablers", "Collaboration: Blockers")),
        }
        last = ("Q13. Further comments", fig("q13.Further comments.answered"), reached(rs, 6))
    else:
        p3, p4, p5 = reached(rs, 3), reached(rs, 4), reached(rs, 5)
        gp = choose(
            rng,
            p3,
            fig("q6.Lead Agency.answered"),
            force=[
                r
                for r in p3
                if r.org.parent_name == NPCC
                or r.org.name == "Public Health England – Health and Wellbeing"
            ],
        )
        blanks = {
            item: fig(f"q6.{item}.answered") - fig(f"q6.{item}.response_total")
            for item in ("Duration", "Impact measurement", "Key lessons")
        }
        texts.good_practice(version, gp, blanks)
        works = choose(rng, p3, fig("q5.pieces of work.answered"), force=gp)
        texts.works(version, works, [len(works), 10, 7, 4, 2])
        q7 = choose(rng, p4, fig("q7.Priorities.answered"))
        q8 = choose(rng, p4, fig("q8.Greatest demand.answered"))
        sections = {
            "Q9.": ("q9", ("Leadership", "Developing employee skill sets", "Recruitment")),
            "Q10.": ("q10", ("Information sharing: Enablers", "Information sharing: Blockers")),
            "Q11.": ("q11", ("Collaboration: Enablers", "Collaboration: Blockers")),
        }
        last = ("Q12. Further comments", fig("q12.Further comments.answered"), reached(rs, 6))
    return q7, q8, p5, sections, last


def fill_later(rng, version, figures, texts, p5, sections, last) -> None:
    pools = {
        "Leadership": LEADERSHIP,
        "Developing employee skill sets": SKILLS,
        "Recruitment": RECRUITMENT,
        "Information sharing: Enablers": INFO_ENABLERS,
        "Information sharing: Blockers": INFO_BLOCKERS,
        "Collaboration: Enablers": COLLAB_ENABLERS,
        "Collaboration: Blockers": COLLAB_BLOCKERS,
    }
    for prefix, (qkey, items) in sections.items():
        answered = int(figures[f"annex2.{version}.{qkey}.{items[0]}.answered"])
        members = choose(rng, p5, answered)
        sizes = {
            item: int(figures[f"annex2.{version}.{qkey}.{item}.response_total"]) for item in items
        }
        for item, subset in cover(rng, members, sizes).items():
            texts.free(subset, f"{prefix} {item}", pools[item])
    header, n, pool = last
    members = choose(rng, pool, n)
    for r in members:
        r.cells[header] = texts.text(COMMENTS)
    # one respondent typed only spaces into the last box: that is not an answer
    idle = [r for r in pool if r not in members]
    if idle:
        idle[0].cells[header] = "   "


def fill_hwb(rng, q9: list[Response], figures) -> None:
    values = (
        ["No"] * int(figures["annex2.police.q9.no"])
        + ["Not known"] * int(figures["annex2.police.q9.not_known"])
        + ["Yes"] * int(figures["annex2.police.q9.yes"])
    )
    welsh = [r for r in q9 if is_welsh(r)]  # "No": Welsh colleagues sit on public service boards
    rest = values[len(welsh) :]
    rng.shuffle(rest)
    for r, value in zip(
        welsh + [r for r in q9 if not is_welsh(r)], values[: len(welsh)] + rest, strict=True
    ):
        r.cells[HWB_HEADER] = value
