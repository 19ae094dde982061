"""Write seeds/reference/question_map.csv from orchestration/contract.py (run it after the
contract changes).

    python seeds/build_question_map.py          # writes seeds/reference/question_map.csv
    python seeds/build_question_map.py --check  # exits 1 if the committed file is stale

One row per (questionnaire, header) after the common columns, for every questionnaire of
contract.QUESTIONNAIRES (a survey version as one wave asked it; seeds/curated/survey_waves.csv
says which wave asked which): the canonical `question_key` shared by both versions, the
version's `question_number`, the item label Annex 2 uses, and what kind of answer the column
holds. dbt joins the unpivoted raw columns to it by questionnaire and exact header text, so no
model lists the ~130 headers by hand.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from orchestration.domain import contract, privacy  # noqa: E402

OUTPUT = HERE / "reference" / "question_map.csv"
AREAS_SEED = HERE / "curated" / "areas.csv"

COLUMNS = (
    "questionnaire",
    "survey",
    "column_name",
    "column_order",
    "question_number",
    "question_key",
    "item",
    "item_order",
    "answer_kind",
    "is_personal",
    "area",
    "grid_status",
)

GRID_STATUS = {
    "Completed work": "completed",
    "Active work": "active",
    "Possible future work": "future",
}

# Canonical keys, shared by both versions (header text after "Qn. ").
SIMPLE_KEYS = {
    "Police Force": ("organisation", "identity"),
    "Organisation / Agency": ("organisation", "identity"),
    "Role/rank": ("role", "identity"),
    "Role": ("role", "identity"),
    "Name": ("contact_name", "contact"),
    "Phone number": ("contact_phone", "contact"),
    "Email": ("contact_email", "contact"),
    "Lead Agency": ("lead_agency", "free_text"),
    "Other Agencies/Partners involved": ("partners", "free_text"),
    "Main aim": ("main_aim", "free_text"),
    "Duration": ("duration", "free_text"),
    "Funding": ("funding", "free_text"),
    "Scale": ("scale", "free_text"),
    "Data sharing": ("data_sharing", "free_text"),
    "Impact measurement": ("impact_measurement", "free_text"),
    "Key lessons": ("key_lessons", "free_text"),
    "Priorities": ("priorities", "free_text"),
    "Greatest demand": ("demand", "free_text"),
    "Health and Wellbeing Board": ("hwb_board", "choice"),
    "Leadership": ("workforce_leadership", "free_text"),
    "Developing employee skill sets": ("workforce_skill_sets", "free_text"),
    "Recruitment": ("workforce_recruitment", "free_text"),
    "Information sharing: Enablers": ("information_sharing_enablers", "free_text"),
    "Information sharing: Blockers": ("information_sharing_blockers", "free_text"),
    "Collaboration: Enablers": ("collaboration_enablers", "free_text"),
    "Collaboration: Blockers": ("collaboration_blockers", "free_text"),
    "Further comments": ("further_comments", "free_text"),
}

HEADER = re.compile(r"^Q(?P<number>\d+)\. (?P<rest>.+)$")
GRID = re.compile(r"^(?P<area>.+): (?P<option>Completed work|Active work|Possible future work)$")
WORK = re.compile(r"^Work (?P<n>\d): (?P<part>Title|Brief)$")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def rows_for(questionnaire: contract.Questionnaire) -> list[dict[str, object]]:
    version = questionnaire.version
    rows: list[dict[str, object]] = []
    item_orders: dict[tuple[int, str], int] = {}
    for order, header in enumerate(questionnaire.question_headers(), start=1):
        match = HEADER.match(header)
        if match is None:
            raise SystemExit(f"{questionnaire.name}: header {header!r} is not 'Qn. ...'")
        number, rest = int(match["number"]), match["rest"]
        area = grid_status = ""
        grid, work = GRID.match(rest), WORK.match(rest)
        if number == 4 and grid:
            area, option = grid["area"], grid["option"]
            grid_status = GRID_STATUS[option]
            key, kind, item = f"grid__{slug(area)}__{grid_status}", "grid", area
        elif work:
            key, kind = f"work_{work['n']}_{work['part'].lower()}", "free_text"
            # Annex 2 prints one row per piece of work (police) or one item for all (national).
            item = f"Work {work['n']}" if version == "police" else "pieces of work"
        elif rest in SIMPLE_KEYS:
            (key, kind), item = SIMPLE_KEYS[rest], rest
        else:
            raise SystemExit(f"{questionnaire.name}: no canonical key for header {header!r}")
        item_order = item_orders.setdefault(
            (number, item), len([k for k in item_orders if k[0] == number]) + 1
        )
        rows.append(
            {
                "questionnaire": questionnaire.name,
                "survey": version,
                "column_name": header,
                "column_order": order,
                "question_number": number,
                "question_key": key,
                "item": item,
                "item_order": item_order,
                "answer_kind": kind,
                "is_personal": "true" if header in privacy.PERSONAL_HEADERS else "false",
                "area": area,
                "grid_status": grid_status,
            }
        )
    return rows


def render() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for questionnaire in contract.QUESTIONNAIRES.values():
        writer.writerows(rows_for(questionnaire))
    return buffer.getvalue()


def check_areas_seed() -> None:
    """areas.csv is hand-written (Table 1's spelling): it starts with the contract's areas in
    the contract's order, spells every area any questionnaire asks, and gives a renamed area
    the report area of the area it continues (so trends join the two spellings)."""
    with AREAS_SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    report_area = {row["questionnaire_area"]: row["report_area"] for row in rows}
    seeded = tuple(row["questionnaire_area"] for row in rows)
    if seeded[: len(contract.AREAS)] != contract.AREAS:
        raise SystemExit(
            "seeds/curated/areas.csv does not start with contract.AREAS in the contract's order"
        )
    asked = {area for q in contract.QUESTIONNAIRES.values() for area in q.areas}
    if missing := sorted(asked - report_area.keys()):
        raise SystemExit(f"seeds/curated/areas.csv has no row for the area(s) {missing}")
    for new, old in contract.RENAMED_AREAS.items():
        if report_area[new] != report_area[old]:
            raise SystemExit(
                f"seeds/curated/areas.csv: {new!r} continues {old!r}, so it needs the same "
                f"report_area ({report_area[old]!r})"
            )


def main(argv: list[str]) -> int:
    text = render()
    if AREAS_SEED.exists():
        check_areas_seed()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run python seeds/build_question_map.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
