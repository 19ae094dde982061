"""A plausible second survey wave, for tests and the demo: the survey run again in spring 2019.

Derived from the 2017 reconstruction (which it never changes: its own random.Random, drawn
after the 2017 one is complete), it is a different but overlapping set of respondents: most
2017 organisations answer again, some do not, and a few police forces that only got as far as
their contact details in 2017 answer in full. The 2019 questionnaire (contract.QUESTIONNAIRES
"<version>_2019") renames one area (ACE, "Adverse Childhood Experiences") and adds one
(County lines). Answers carry over from 2017 with some drift: more mental health work, county
lines work reported, some work finished, some dropped. Free text is reused from 2017 answers the
codebook rules code, so no 2019 answer needs a manual code.

Written by `python -m reference.generator --wave 2019` into reference/wave_2019/ (a folder of
its own: the default landing folder, reference/extracts/, stays the report's 2017 exports).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from orchestration.domain.contract import (
    ACE_2017,
    ACE_2019,
    COUNTY_LINES,
    GRID_OPTIONS,
    QUESTIONNAIRES,
)
from reference.generator.build import Reconstruction
from reference.generator.extracts import row_of, write_csv
from reference.generator.organisations import POLICE_ORGS
from reference.generator.pools import IP_PREFIXES
from reference.generator.respondents import Response, contact
from reference.generator.settings import ROOT
from reference.generator.timing import random_moment

SEED_2019 = 20190601
WAVE_2019_DIR = ROOT / "reference" / "wave_2019"
WAVE_2019_NAMES = ("police_20190601.csv", "national_20190601.csv")
OPEN_2019 = dt.datetime(2019, 4, 15, 8, 30)
CLOSE_2019 = dt.datetime(2019, 5, 30, 18, 0)
FINAL_2019 = dt.datetime(2019, 6, 1, 8, 0)
FIRST_RESPONSE_ID_2019 = 10_246_813_579
# Of the 2017 included respondents, how many answer again; and how many police forces answer
# that only gave their contact details in 2017.
RETURNING = {"police": 31, "national": 11}
NEWCOMERS = {"police": 5, "national": 0}
CODED_HEADERS = {
    "police": ("Q5. Lead Agency", "Q5. Funding", "Q7. Priorities", "Q8. Greatest demand"),
    "national": ("Q6. Lead Agency", "Q6. Funding", "Q7. Priorities", "Q8. Greatest demand"),
}
CODED_KEYS = {"lead_agency": 0, "funding": 1, "priorities": 2, "demand": 3}


def _grid(rng: random.Random, cells: dict[str, str]) -> dict[str, str]:
    """The 2017 grid as 2019 asks it: ACE renamed, County lines added, some drift."""
    out = {h: v for h, v in cells.items() if not h.startswith("Q4. ")}
    for header, value in cells.items():
        if not header.startswith("Q4. "):
            continue
        header = header.replace(f"Q4. {ACE_2017}:", f"Q4. {ACE_2019}:")
        if rng.random() < 0.08:
            continue  # work dropped
        if value == "Possible future work" and rng.random() < 0.15:
            header, value = header.replace("Possible future work", "Active work"), "Active work"
        out[header] = value
    if rng.random() < 0.3:
        out["Q4. Mental Health: Active work"] = "Active work"
    if rng.random() < 0.45:
        option = GRID_OPTIONS[rng.choice((1, 1, 2))]
        out[f"Q4. {COUNTY_LINES}: {option}"] = option
    return out


def _respondent(rng: random.Random, template: Response, org, typed: str) -> Response:
    r = Response(template.version, "included", template.status, org, typed, template.reached)
    r.cells = _grid(rng, template.cells)
    q1 = "Q1. Police Force" if r.version == "police" else "Q1. Organisation / Agency"
    r.cells[q1] = typed
    contact(rng, r.cells)
    return r


def build_wave_2019(reconstruction: Reconstruction) -> tuple[list[Response], list[Response]]:
    """The 2019 police and national responses (every row, by Response ID)."""
    rng = random.Random(SEED_2019)
    manual = {(id(r), key) for r, key, _ in reconstruction.manual}
    out: dict[str, list[Response]] = {}
    for version, rows in (("police", reconstruction.police), ("national", reconstruction.national)):
        included = [r for r in rows if r.kind == "included"]
        donors = list(included)
        returning = sorted(rng.sample(included, RETURNING[version]), key=lambda r: r.response_id)
        wave: list[Response] = []
        for old in returning:
            new = _respondent(rng, old, old.org, old.typed_org)
            _carry_from(new, old, donors, manual)
            wave.append(new)
        if NEWCOMERS[version]:
            answered = {r.org.name for r in included}
            fresh = [o for o in POLICE_ORGS if not o.annex1 and o.name not in answered]
            for org in fresh[: NEWCOMERS[version]]:
                template = rng.choice([r for r in returning if r.status == "Completed"])
                new = _respondent(rng, template, org, org.typed[0])
                _carry_from(new, template, donors, manual)
                wave.append(new)
        for _ in range(4 if version == "police" else 2):  # opened the link, entered nothing
            wave.append(Response(version, "nodata", "Partial", reached=0))
        out[version] = wave
    _schedule(rng, out["police"] + out["national"])
    for rs in out.values():
        rs.sort(key=lambda r: r.response_id)
    return out["police"], out["national"]


def _carry_from(new: Response, old: Response, donors: list[Response], manual) -> None:
    """The template's coded answers, a 2017 manual-coded one swapped for a rule-coded one."""
    headers = CODED_HEADERS[new.version]
    for key, index in CODED_KEYS.items():
        header = headers[index]
        if (id(old), key) in manual:
            donor = next(d for d in donors if (id(d), key) not in manual and d.cells.get(header))
            new.cells[header] = donor.cells[header]


def _schedule(rng: random.Random, responses: list[Response]) -> None:
    """Times in the 2019 window, then Response IDs rising with Started, and IP addresses."""
    for r in responses:
        r.started = random_moment(rng, OPEN_2019, CLOSE_2019)
        if r.status == "Completed":
            minutes = rng.randint(9, 55)
            r.ended = min(r.started + dt.timedelta(minutes=minutes), FINAL_2019)
    next_id = FIRST_RESPONSE_ID_2019
    for r in sorted(responses, key=lambda r: r.started):
        r.response_id = next_id
        next_id += rng.randint(40_000, 900_000)
        r.ip = rng.choice(IP_PREFIXES) + str(rng.randint(1, 254))


def write_wave_2019(out: Path, police: list[Response], national: list[Response]) -> list[Path]:
    """police_20190601.csv and national_20190601.csv into `out` (the 2017 files' formats)."""
    out.mkdir(parents=True, exist_ok=True)
    police_csv, national_csv = (out / name for name in WAVE_2019_NAMES)
    police_headers = QUESTIONNAIRES["police_2019"].headers
    national_headers = QUESTIONNAIRES["national_2019"].headers
    police_rows = [row_of(r, police_headers) for r in police]
    national_rows = [row_of(r, national_headers) for r in national]
    write_csv(police_csv, police_headers, police_rows, bom=True, crlf=True)
    write_csv(national_csv, national_headers, national_rows, bom=False, crlf=False)
    return [police_csv, national_csv]
