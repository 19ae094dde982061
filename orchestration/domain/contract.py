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


assert len(GRID_HEADERS) == 72
assert len(set(POLICE_HEADERS)) == len(POLICE_HEADERS)
assert len(set(NATIONAL_HEADERS)) == len(NATIONAL_HEADERS)
