"""The survey platform's export format (../shared/contract/survey-extract.md), as data.

Everything that needs to know a header, a grid option or an allowed value asks this module,
so the validator, the reference generator and the tests cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSIONS = ("police", "national")

# <version>_<YYYYMMDD>.csv or <version>_<YYYYMMDD>_<HHMMSS>.csv (and the same with .xlsx).
# The version part is matched loosely so that an unknown version is reported, not ignored.
FILE_NAME_PATTERN = re.compile(
    r"^(?P<version>[A-Za-z][A-Za-z0-9-]*)_(?P<date>\d{8})(?:_(?P<time>\d{6}))?\.(?P<ext>csv|xlsx)$"
)

# Personal columns (see privacy.py): named once here, as the export format spells them.
IP_HEADER = "IP Address"
NAME_HEADER, PHONE_HEADER, EMAIL_HEADER = "Q3. Name", "Q3. Phone number", "Q3. Email"
CONTACT_HEADERS = (NAME_HEADER, PHONE_HEADER, EMAIL_HEADER)

COMMON_HEADERS = ("Response ID", "Started", "Ended", "Status", IP_HEADER)
STATUSES = ("Completed", "Partial")
DATETIME_FORMAT = "%d/%m/%Y %H:%M:%S"  # DD/MM/YYYY HH:MM:SS, UK local time

AREAS = (
    "Safeguarding",
    "Alcohol",
    "Drugs",
    "Violence prevention",
    "Health in custody",
    "Prevention of offending and reoffending",
    "Mental Health",
    "ACE (Adverse Child Experiences)",
    "Domestic Abuse",
    "Social Isolation",
    "Homelessness",
    "Obesity",
    "Physical Activity",
    "Sexual Health",
    "Child Sexual Exploitation",
    "Suicide prevention",
    "Migrant Health",
    "Sex workers",
    "Radicalisation",
    "Long term conditions",
    "Dementia",
    "Modern Slavery",
    "Missing from home",
    "Neglect",
)
GRID_OPTIONS = ("Completed work", "Active work", "Possible future work")
GRID_HEADERS = tuple(f"Q4. {area}: {option}" for area in AREAS for option in GRID_OPTIONS)

GOOD_PRACTICE_ITEMS = (
    "Lead Agency",
    "Other Agencies/Partners involved",
    "Main aim",
    "Duration",
    "Funding",
    "Scale",
    "Data sharing",
    "Impact measurement",
    "Key lessons",
)
WORK_ITEMS = tuple(f"Work {n}: {part}" for n in range(1, 6) for part in ("Title", "Brief"))
HWB_VALUES = ("Yes", "No", "Not known")
HWB_HEADER = "Q9. Health and Wellbeing Board"


def _q(number: int, items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"Q{number}. {item}" for item in items)


POLICE_HEADERS: tuple[str, ...] = (
    *COMMON_HEADERS,
    "Q1. Police Force",
    "Q2. Role/rank",
    *CONTACT_HEADERS,
    *GRID_HEADERS,
    *_q(5, GOOD_PRACTICE_ITEMS),
    *_q(6, WORK_ITEMS),
    "Q7. Priorities",
    "Q8. Greatest demand",
    HWB_HEADER,
    *_q(10, ("Leadership", "Developing employee skill sets", "Recruitment")),
    *_q(11, ("Information sharing: Enablers", "Information sharing: Blockers")),
    *_q(12, ("Collaboration: Enablers", "Collaboration: Blockers")),
    "Q13. Further comments",
)

NATIONAL_HEADERS: tuple[str, ...] = (
    *COMMON_HEADERS,
    "Q1. Organisation / Agency",
    "Q2. Role",
    *CONTACT_HEADERS,
    *GRID_HEADERS,
    *_q(5, WORK_ITEMS),
    *_q(6, GOOD_PRACTICE_ITEMS),
    "Q7. Priorities",
    "Q8. Greatest demand",
    *_q(9, ("Leadership", "Developing employee skill sets", "Recruitment")),
    *_q(10, ("Information sharing: Enablers", "Information sharing: Blockers")),
    *_q(11, ("Collaboration: Enablers", "Collaboration: Blockers")),
    "Q12. Further comments",
)

HEADERS: dict[str, tuple[str, ...]] = {"police": POLICE_HEADERS, "national": NATIONAL_HEADERS}


@dataclass(frozen=True)
class Version:
    """What differs between the two questionnaires, beyond the header list."""

    name: str
    headers: tuple[str, ...]
    identity_headers: tuple[str, ...]  # Q1-Q3: answering only these is "identity only"
    enumerated: dict[str, tuple[str, ...]]  # header -> allowed values (besides empty)


VERSION_SPECS: dict[str, Version] = {
    "police": Version(
        name="police",
        headers=POLICE_HEADERS,
        identity_headers=POLICE_HEADERS[5:10],
        enumerated={HWB_HEADER: HWB_VALUES},
    ),
    "national": Version(
        name="national",
        headers=NATIONAL_HEADERS,
        identity_headers=NATIONAL_HEADERS[5:10],
        enumerated={},
    ),
}


# Question columns: everything after the common columns.
def question_headers(version: str) -> tuple[str, ...]:
    return HEADERS[version][len(COMMON_HEADERS) :]


# --- questionnaires: the header set of one version as asked in one survey wave ----------------
#
# The shared contract above is the 2017 questionnaire of each version. A later wave may ask
# a different Q4 grid (an area added, dropped or renamed); everything else stays as the
# contract says. A questionnaire is named <version>_<year it was first asked>; the survey
# waves seed (seeds/curated/survey_waves.csv) says which questionnaire each wave asked, and
# the question map (seeds/reference/question_map.csv) is generated per questionnaire from here.

# The 2019 questionnaire: ACE is renamed (the common term, "Adverse Childhood Experiences")
# and County lines is a new area, asked after Modern Slavery.
ACE_2017, ACE_2019 = "ACE (Adverse Child Experiences)", "ACE (Adverse Childhood Experiences)"
COUNTY_LINES = "County lines"
_AREAS_2019_CHANGES = {ACE_2017: (ACE_2019,), "Modern Slavery": ("Modern Slavery", COUNTY_LINES)}
AREAS_2019: tuple[str, ...] = tuple(
    area for old in AREAS for area in _AREAS_2019_CHANGES.get(old, (old,))
)
# A renamed area: its new spelling -> the spelling it continues (so trends join the two).
RENAMED_AREAS: dict[str, str] = {ACE_2019: ACE_2017}


def grid_headers(areas: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"Q4. {area}: {option}" for area in areas for option in GRID_OPTIONS)


def _with_grid(headers: tuple[str, ...], areas: tuple[str, ...]) -> tuple[str, ...]:
    """The version's headers with its Q4 grid asked over `areas` (in the grid's place)."""
    first = headers.index(GRID_HEADERS[0])
    return (*headers[:first], *grid_headers(areas), *headers[first + len(GRID_HEADERS) :])


@dataclass(frozen=True)
class Questionnaire:
    name: str  # <version>_<year>, the key of the question map
    version: str
    areas: tuple[str, ...]  # the Q4 grid's areas, as this questionnaire spells them
    headers: tuple[str, ...]

    def question_headers(self) -> tuple[str, ...]:
        return self.headers[len(COMMON_HEADERS) :]


def _questionnaire(version: str, year: int, areas: tuple[str, ...]) -> Questionnaire:
    return Questionnaire(f"{version}_{year}", version, areas, _with_grid(HEADERS[version], areas))


QUESTIONNAIRES: dict[str, Questionnaire] = {
    q.name: q
    for q in (
        _questionnaire("police", 2017, AREAS),
        _questionnaire("national", 2017, AREAS),
        _questionnaire("police", 2019, AREAS_2019),
        _questionnaire("national", 2019, AREAS_2019),
    )
}


def questionnaires_of(version: str) -> tuple[Questionnaire, ...]:
    return tuple(q for q in QUESTIONNAIRES.values() if q.version == version)


def all_headers(version: str) -> tuple[str, ...]:
    """Every header any questionnaire of the version has, in first-asked order: the columns of
    raw.<version>_responses (one table per version, whatever the wave)."""
    seen: dict[str, None] = {}
    for questionnaire in questionnaires_of(version):
        seen.update(dict.fromkeys(questionnaire.headers))
    return tuple(seen)


assert len(GRID_HEADERS) == 72
assert QUESTIONNAIRES["police_2017"].headers == POLICE_HEADERS
assert QUESTIONNAIRES["national_2017"].headers == NATIONAL_HEADERS
assert all(len(set(q.headers)) == len(q.headers) for q in QUESTIONNAIRES.values())
assert len(set(POLICE_HEADERS)) == len(POLICE_HEADERS)
assert len(set(NATIONAL_HEADERS)) == len(NATIONAL_HEADERS)
