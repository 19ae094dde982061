"""The coding workbook's layout: written by the exports, read back by the ingest.

Every refresh writes `exports/latest/coding_workbook.xlsx` with the coding queue, one sheet per
coded question. An analyst fills the category (and, for a list question, more categories) and
coder columns and drops the file into the coding folder (PHC_CODING_DIR); the next refresh reads
it. Both sides take the sheet names and headers from here, so they cannot drift apart.
"""

from __future__ import annotations

WORKBOOK_NAME = "coding_workbook.xlsx"
INSTRUCTIONS_SHEET = "Instructions"
CATEGORIES_SHEET = "Categories"

# question key -> (title, single choice?) in the order the sheets appear.
QUESTIONS: dict[str, tuple[str, bool]] = {
    "lead_agency": ("Lead agency of the good-practice project (one category)", True),
    "funding": ("How the good-practice project was funded (one category)", True),
    "priorities": ("Organisational priorities (every theme the answer names)", False),
    "demand": ("Greatest demand or concern (every theme the answer names)", False),
}

WAVE, SURVEY, RESPONSE_ID, ANSWER = "wave", "survey", "response_id", "answer"
KEY_HEADERS = (WAVE, SURVEY, RESPONSE_ID)
INFO_HEADERS = ("why it needs you", "suggested categories", "parts no rule reads")
CODER = "coder"
LIST_CATEGORY_COLUMNS = 5  # a list answer may take this many themes in one row


def category_headers(question_key: str) -> tuple[str, ...]:
    single = QUESTIONS[question_key][1]
    if single:
        return ("category",)
    return ("category", *(f"category {n}" for n in range(2, LIST_CATEGORY_COLUMNS + 1)))


def sheet_headers(question_key: str) -> tuple[str, ...]:
    """The header row of a question's sheet, in order."""
    return (*KEY_HEADERS, ANSWER, *INFO_HEADERS, *category_headers(question_key), CODER)


def is_workbook_name(name: str) -> bool:
    """A file of the coding folder the ingest reads: .xlsx, not hidden, not an Office lock file."""
    return name.lower().endswith(".xlsx") and not name.startswith((".", "~$"))
