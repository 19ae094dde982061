"""Fixed settings of the reconstruction: the seed, the survey's dates, paths, pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXTRACTS_DIR = ROOT / "reference" / "extracts"
# The project's copy of ../shared/report/published_figures.csv: the clone is self-contained.
FIGURES = ROOT / "seeds" / "reference" / "published_figures.csv"
# The hand-kept seeds the extracts must agree with (read only by the --check-curated report).
CURATED_SEEDS_DIR = ROOT / "seeds" / "curated"

SEED = 20171020
SURVEY_OPEN = dt.datetime(2017, 8, 21, 8, 30)
SURVEY_CLOSE = dt.datetime(2017, 10, 19, 18, 0)
SNAPSHOT_AT = dt.datetime(2017, 9, 29, 9, 0)  # national_20170929.xlsx
FINAL_AT = dt.datetime(2017, 10, 20, 8, 0)  # *_20171020.csv
XLSX_PROPERTIES_AT = dt.datetime(2017, 9, 29, 9, 5, 0)
FIRST_RESPONSE_ID = 6_571_234_567

PAGES = {
    # page number -> header prefixes on that page (the platform saves page by page)
    "police": {
        1: ("Q1.", "Q2.", "Q3."),
        2: ("Q4.",),
        3: ("Q5.", "Q6."),
        4: ("Q7.", "Q8."),
        5: ("Q9.", "Q10.", "Q11.", "Q12."),
        6: ("Q13.",),
    },
    "national": {
        1: ("Q1.", "Q2.", "Q3."),
        2: ("Q4.",),
        3: ("Q5.", "Q6."),
        4: ("Q7.", "Q8."),
        5: ("Q9.", "Q10.", "Q11."),
        6: ("Q12.",),
    },
}


def page_of(version: str, header: str) -> int:
    for page, prefixes in PAGES[version].items():
        if header.startswith(prefixes):
            return page
    return 0
