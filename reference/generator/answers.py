"""Free-text answers: the good-practice project (lead agency, funding and its details), the
pieces of work, the coded priority and demand themes, and the later questions' lists.
Remembers which answers no codebook rule matches (they need a manual code)."""

from __future__ import annotations

import random

from reference.generator.draw import choose, join_list, mess
from reference.generator.organisations import NPCC
from reference.generator.pools import (
    FUNDING_TEXTS,
    GOOD_PRACTICE_PAIRS,
    INTROS,
    LEAD_TEXTS,
    MANUAL_FUNDING,
    MANUAL_LEAD,
    PLAN_LINK,
    PROJECTS,
    WORKS,
)
from reference.generator.respondents import Response

# Lead categories that only make sense for some respondents: (category, who may give it).
PREFERRED_LEADS = {
    "police": (
        ("OPCC", lambda r: r.org.kind == "OPCC"),
        (
            "Name of the multiagency partnership given",
            lambda r: r.org.name == "West Midlands Police",
        ),
    ),
    "national": (
        ("Police", lambda r: r.org.parent_name in (NPCC, "College of Policing")),
        (
            "Name of the multiagency partnership given",
            lambda r: r.org.name == "Public Health England – Health and Wellbeing",
        ),
    ),
}


class Texts:
    """Draws free-text answers; remembers which answers went to manual coding."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.manual: list[tuple[Response, str, str]] = []  # (response, question_key, category)
        self.manual_done: dict[str, bool] = {}
        self.used: dict[str, list[str]] = {}  # funding texts already given (vary the wording)

    def text(self, pool) -> str:
        return mess(self.rng, self.rng.choice(pool))

    def good_practice(self, version, rs: list[Response], blanks: dict[str, int]) -> None:
        rng = self.rng
        q = "Q5." if version == "police" else "Q6."
        pairs = list(GOOD_PRACTICE_PAIRS[version])
        assert len(pairs) == len(rs)
        rng.shuffle(pairs)
        assignment: dict[int, tuple[str, str]] = {}
        for lead_cat, wanted in PREFERRED_LEADS.get(version, ()):
            pair = next(p for p in pairs if p[0] == lead_cat)
            who = next(r for r in rs if id(r) not in assignment and wanted(r))
            assignment[id(who)] = pair
            pairs.remove(pair)
        for r in rs:
            if id(r) not in assignment:
                assignment[id(r)] = pairs.pop()
        blank_items = {item: choose(rng, rs, k) for item, k in blanks.items()}
        for r in rs:
            lead_cat, fund_cat = assignment[id(r)]
            lead = self.lead_text(r, lead_cat)
            funding = self.funding_text(r, fund_cat)
            project = rng.choice([p for p in PROJECTS if lead_cat in p.leads] or PROJECTS)
            r.project = project
            values = {
                "Lead Agency": lead,
                "Other Agencies/Partners involved": project.partners,
                "Main aim": project.aim,
                "Duration": project.duration,
                "Funding": funding,
                "Scale": rng.choice(project.scales),
                "Data sharing": project.data,
                "Impact measurement": project.impact,
                "Key lessons": project.lessons,
            }
            if lead_cat == "NA":
                values.update({"Duration": "n/a", "Key lessons": "NA", "Scale": "National"})
            for item, value in values.items():
                if item in blank_items and r in blank_items[item]:
                    continue
                if item not in ("Lead Agency", "Funding"):
                    value = mess(rng, value)
                r.cells[f"{q} {item}"] = value

    def lead_text(self, r: Response, category: str) -> str:
        if category == "Police" and r.version == "police" and not self.manual_done.get("lead"):
            self.manual_done["lead"] = True
            self.manual.append((r, "lead_agency", MANUAL_LEAD[1]))
            return MANUAL_LEAD[0]
        if category == "Name of the multiagency partnership given":
            return LEAD_TEXTS[category][1 if "West Midlands" in r.org.name else 0]
        text = self.rng.choice(LEAD_TEXTS[category])
        if "{force}" in text:
            if r.org.kind != "police force":
                return self.rng.choice(("Police", "police"))
            text = text.format(force=r.org.name)
        return text

    def funding_text(self, r: Response, category: str) -> str:
        if (
            category == "cost-neutral / no additional funding"
            and r.version == "police"
            and not self.manual_done.get("funding")
        ):
            self.manual_done["funding"] = True
            self.manual.append((r, "funding", MANUAL_FUNDING[1]))
            return MANUAL_FUNDING[0]
        pool = FUNDING_TEXTS[category]
        used = self.used.setdefault(category, [])
        fresh = [t for t in pool if t not in used] or list(pool)
        text = self.rng.choice(fresh)
        used.append(text)
        return text

    def works(self, version, rs: list[Response], counts: list[int]) -> None:
        """counts[k] respondents answer Work k+1 (nested: Work k+1 answerers answered Work k)."""
        rng = self.rng
        q = "Q6." if version == "police" else "Q5."
        layers = [rs]
        for k in counts[1:]:
            layers.append(choose(rng, layers[-1], k))
        for r in rs:
            n = sum(1 for layer in layers if r in layer)
            works = rng.sample(WORKS, n)
            if r.project is not None and rng.random() < 0.7:
                works[0] = (r.project.title, r.project.aim)  # "from the list ... select ONE"
            for i, (title, brief) in enumerate(works, 1):
                style = rng.random()
                if style < 0.1:
                    title, brief = "", f"{title} - {brief}"
                elif style < 0.2:
                    brief = ""
                elif style < 0.25:
                    brief = f'{brief}, "{rng.choice(("pilot", "business as usual", "early days"))}"'
                if title:
                    r.cells[f"{q} Work {i}: Title"] = mess(rng, title)
                if brief:
                    r.cells[f"{q} Work {i}: Brief"] = mess(rng, brief)

    def themed(self, rs, themes, fragments, targets, header, manual=None) -> None:
        rng = self.rng
        pool = list(rs)
        if manual:
            r = pool.pop(rng.randrange(len(pool)))
            r.cells[header] = manual[0]
            self.manual.append((r, "demand", manual[1]))
        chosen: dict[int, list[str]] = {id(r): [] for r in pool}
        for theme in themes:
            for r in rng.sample(pool, targets[theme]):
                chosen[id(r)].append(theme)
        minor = [t for t in themes if t != themes[0]]
        for r in pool:
            ts = chosen[id(r)] or [rng.choice(minor)]
            rng.shuffle(ts)
            parts = [rng.choice(fragments[t]) for t in ts]
            text = join_list(rng, parts)
            intro = rng.choice(INTROS[header, r.version])
            if intro and len(parts) > 1:
                text = intro + text
            if header == "Q7. Priorities" and r.version == "police" and rng.random() < 0.15:
                text += PLAN_LINK
            r.cells[header] = mess(rng, text)

    def free(self, rs, header, pool, two=0.3) -> None:
        for r in rs:
            parts = self.rng.sample(pool, 2 if self.rng.random() < two else 1)
            r.cells[header] = mess(self.rng, join_list(self.rng, parts))
