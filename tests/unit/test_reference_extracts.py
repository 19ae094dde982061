"""The reconstructed reference extracts (reference/extracts/) reproduce the report's figures.

Read with the csv module and duckdb only (never the project's ingest code), so that a bug in
the ingest cannot hide a bug in the reference data, or the other way round.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import importlib
import io
import ipaddress
import re
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from orchestration.domain.contract import (  # noqa: E402
    AREAS,
    GRID_OPTIONS,
    HEADERS,
    HWB_HEADER,
    HWB_VALUES,
)
from tests.support.reference_outputs import byte_compared_files, check_reference_outputs  # noqa: E402

# The project's copy of ../shared/report/published_figures.csv (the facts carry over), so a
# clone anywhere can run the tests.
FIGURES_CSV = ROOT / "seeds" / "reference" / "published_figures.csv"
EXTRACTS = ROOT / "reference" / "extracts"
# The hand-kept seeds the extracts are read with (as dbt reads them). Analysts add rows to
# them, so the tests here only ever require rows to be present, never a file to be identical.
SEEDS = ROOT / "seeds" / "curated"
FILES = {"police": EXTRACTS / "police_20171020.csv", "national": EXTRACTS / "national_20171020.csv"}
SNAPSHOT = EXTRACTS / "national_20170929.xlsx"

# Annex 1 of the report, as printed.
ANNEX1_POLICE = (
    "Bedfordshire Police",
    "Devon and Cornwall Police",
    "Dyfed-Powys Police",
    "Essex Police",
    "Gloucestershire Constabulary",
    "Greater Manchester Police",
    "Gwent Police",
    "Hampshire Constabulary",
    "Humberside Police",
    "Kent Police",
    "Leicestershire Police",
    "Lincolnshire Police",
    "Merseyside Police",
    "Norfolk Constabulary",
    "North Wales Police",
    "North Yorkshire Police",
    "Northamptonshire Police",
    "Northumbria Police",
    "South Yorkshire Police",
    "Staffordshire Police",
    "Suffolk Constabulary",
    "Surrey Police",
    "Sussex Police",
    "West Mercia & Warwickshire Police",
    "West Midlands Police",
    "West Yorkshire Police",
    "Cambridgeshire Office of the Police and Crime Commissioner",
    "Humberside Office of the Police and Crime Commissioner",
    "North Yorkshire Office of the Police and Crime Commissioner",
    "Dorset Office of the Police and Crime Commissioner",
    "Warwickshire Office of the Police and Crime Commissioner",
    "West Yorkshire Office of the Police and Crime Commissioner",
)
ANNEX1_NATIONAL = (
    "Association of Directors of Public Health",
    "College of Policing",
    "Public Health England",
    "Public Health England – Alcohol, Drugs and Tobacco division",
    "Public Health England – Health and Wellbeing",
    "Public Health England – Public Health, Health and Justice",
    "Public Health England South West",
    "Public Health England West Midlands",
    "Public Health England Yorkshire and the Humber",
    "NHS England – Children and Young Persons Mental Health Team",
    "NHS England – Health and Justice",
    "NHS England – Older People’s Team",
    "National Police Chief’s Council - Missing Person Portfolio",
    "UK Faculty of Public Health",
)
TABLE2 = {
    "Police": 14,
    "Public health / health": 9,
    "Home office": 1,
    "OPCC": 1,
    "Community safety team": 1,
    "Health and police joint lead": 7,
    "Name of the multiagency partnership given": 2,
    "Police and other": 3,
    "not stated": 1,
}
FUNDING = {
    "jointly funded": 19,
    "health": 6,
    "Home Office": 3,
    "OPCC": 3,
    "police": 1,
    "cost-neutral / no additional funding": 4,
    "not stated": 3,
}
NOT_STATED = ("na", "n/a", "none", "-")


# ---------------------------------------------------------------------------- helpers


def answered(value: str | None) -> bool:
    return bool(value and value.strip())


def read(version: str) -> list[dict[str, str]]:
    with FILES[version].open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def classify(row: dict[str, str], version: str) -> str:
    questions = HEADERS[version][5:]
    if not any(answered(row[h]) for h in questions):
        return "no data"
    if not any(answered(row[h]) for h in questions[5:]):
        return "identity only"
    return "included"


def included(version: str) -> list[dict[str, str]]:
    return [r for r in read(version) if classify(r, version) == "included"]


def figures() -> dict[str, float]:
    with FIGURES_CSV.open(encoding="utf-8", newline="") as fh:
        return {r["figure_id"]: float(r["value"]) for r in csv.DictReader(fh)}


def norm_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).strip()


def seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def organisation_of(row: dict[str, str], version: str) -> str:
    aliases = {r["alias_key"]: r["organisation"] for r in seed("organisation_aliases.csv")}
    q1 = "Q1. Police Force" if version == "police" else "Q1. Organisation / Agency"
    return aliases[norm_key(row[q1])]


def report_area(area: str) -> str:
    return (
        "ACE (adverse child experiences)" if area.startswith("ACE") else area[0] + area[1:].lower()
    )


def annex2_items(version: str, question: int, item: str) -> list[str]:
    """The columns behind one Annex 2 item."""
    headers = HEADERS[version]
    prefix = f"Q{question}. "
    if item == "pieces of work" or item.startswith("Work "):
        part = "" if item == "pieces of work" else f"{item}:"
        return [h for h in headers if h.startswith(prefix + part)]
    return [prefix + item]


def load_generator():
    return importlib.import_module("reference.generator")


@functools.cache
def reconstruction():
    """The generator's reconstruction, in memory (the same on every run)."""
    return load_generator().reconstruct()


# ---------------------------------------------------------------------------- file format


@pytest.mark.parametrize("version", ["police", "national"])
def test_headers_are_the_contract(version):
    with FILES[version].open(encoding="utf-8-sig", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == HEADERS[version]


@pytest.mark.parametrize(
    ("version", "bom", "eol"), [("police", True, "\r\n"), ("national", False, "\n")]
)
def test_bytes_are_rfc4180_with_the_right_bom_and_line_ends(version, bom, eol):
    raw = FILES[version].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") is bom
    text = raw.decode("utf-8-sig" if bom else "utf-8")
    with io.StringIO(text, newline="") as fh:
        rows = list(csv.reader(fh))
    again = io.StringIO(newline="")
    csv.writer(again, quoting=csv.QUOTE_MINIMAL, lineterminator=eol).writerows(rows)
    assert again.getvalue() == text  # minimal quoting, one line-end style throughout
    if eol == "\n":
        assert "\r" not in text


def test_free_text_is_messy_like_real_answers():
    cells = [
        v for version in FILES for r in read(version) for h, v in r.items() if h.startswith("Q")
    ]
    assert any("\n" in v for v in cells)
    assert any('"' in v for v in cells)
    assert any("," in v for v in cells)
    assert any(v and v != v.strip() and v.strip() for v in cells)
    assert {"NA", "N/A", "n/a", "-"} <= {v.strip() for v in cells}
    assert not any(re.search(r"lorem|ipsum|answer \d+|text \d+", v, re.I) for v in cells)


# ---------------------------------------------------------------------------- rows and responses


@pytest.mark.parametrize(
    ("version", "total", "completed", "no_data", "identity", "kept"),
    [("police", 131, 32, 57, 34, 8), ("national", 28, 13, 10, 4, 1)],
)
def test_response_accounting(version, total, completed, no_data, identity, kept):
    rows = read(version)
    assert len(rows) == total
    assert Counter(r["Status"] for r in rows) == {
        "Completed": completed,
        "Partial": total - completed,
    }
    partial = Counter(classify(r, version) for r in rows if r["Status"] == "Partial")
    assert partial == {"no data": no_data, "identity only": identity, "included": kept}
    assert all(classify(r, version) == "included" for r in rows if r["Status"] == "Completed")


def test_identity_only_rows_hold_what_annex2_says():
    for r in read("police"):
        if classify(r, "police") == "identity only":  # force and contact details only
            assert answered(r["Q1. Police Force"]) and answered(r["Q3. Email"])
            assert not answered(r["Q2. Role/rank"])
    for r in read("national"):
        if classify(r, "national") == "identity only":  # agency and role only
            assert answered(r["Q1. Organisation / Agency"]) and answered(r["Q2. Role"])
            assert not any(answered(r[h]) for h in ("Q3. Name", "Q3. Phone number", "Q3. Email"))


@pytest.mark.parametrize("version", ["police", "national"])
def test_ids_and_times(version):
    rows = read(version)
    ids = [int(r["Response ID"]) for r in rows]
    assert all(str(i) == r["Response ID"] for i, r in zip(ids, rows, strict=True))
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and min(ids) > 1_000_000_000
    starts = [dt.datetime.strptime(r["Started"], "%d/%m/%Y %H:%M:%S") for r in rows]
    assert starts == sorted(starts)  # ids increase with Started
    for r, start in zip(rows, starts, strict=True):
        assert dt.datetime(2017, 8, 1) <= start < dt.datetime(2017, 11, 1)
        if r["Status"] == "Partial":
            assert r["Ended"] == ""
        else:
            end = dt.datetime.strptime(r["Ended"], "%d/%m/%Y %H:%M:%S")
            assert start < end < dt.datetime(2017, 10, 20, 23, 59)


def test_contact_details_are_obviously_fake():
    fictional = set(load_generator().SURNAMES)
    for version in FILES:
        for r in read(version):
            ip = ipaddress.ip_address(r["IP Address"])
            assert any(
                ip in ipaddress.ip_network(n)
                for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
            )
            if answered(r["Q3. Email"]):
                assert r["Q3. Email"].lower().endswith("@example.org")
            if answered(r["Q3. Phone number"]):
                assert re.fullmatch(r"07700 900\d{3}", r["Q3. Phone number"])
            if answered(r["Q3. Name"]):
                assert r["Q3. Name"].split()[-1] in fictional


# ---------------------------------------------------------------------------- Annex 1, Methods


def test_included_police_responses_are_the_annex1_police_organisations():
    orgs = [organisation_of(r, "police") for r in included("police")]
    assert len(orgs) == 40
    assert sorted(set(orgs)) == sorted(ANNEX1_POLICE)


def test_29_of_43_force_areas_are_represented():
    areas = {}
    for r in seed("organisation_force_areas.csv"):
        areas.setdefault(r["organisation"], []).append(r["police_force_area"])
    represented = {a for r in included("police") for a in areas[organisation_of(r, "police")]}
    assert len(represented) == 29
    assert len({r["police_force_area"] for r in seed("police_force_areas.csv")}) == 43
    assert sorted(areas["West Mercia & Warwickshire Police"]) == ["Warwickshire", "West Mercia"]


def test_included_national_responses_are_the_annex1_national_organisations():
    orgs = [organisation_of(r, "national") for r in included("national")]
    assert sorted(orgs) == sorted(ANNEX1_NATIONAL)  # 14 responses, one each
    parents = {
        r["organisation"]: r["parent_organisation"] or r["organisation"]
        for r in seed("organisations.csv")
    }
    assert len({parents[o] for o in orgs}) == 6  # not the report's 5 (see the README)


def test_six_regional_and_eight_national_roles():
    kinds = {r["organisation"]: r["organisation_type"] for r in seed("organisations.csv")}
    regional = [
        r
        for r in included("national")
        if kinds[organisation_of(r, "national")] == "regional body"
        or "region" in r["Q2. Role"].lower()
    ]
    assert len(regional) == 6
    assert sum(kinds[organisation_of(r, "national")] == "regional body" for r in regional) == 3
    for r in read("national"):  # nobody else's role mentions a region
        if "region" in r["Q2. Role"].lower():
            assert r in regional


def test_every_q1_name_has_an_alias_and_every_organisation_its_own_key():
    aliases = {r["alias_key"]: r["organisation"] for r in seed("organisation_aliases.csv")}
    orgs = seed("organisations.csv")
    names = {r["organisation"] for r in orgs}
    assert set(ANNEX1_POLICE + ANNEX1_NATIONAL) <= names
    assert all(aliases[norm_key(o)] == o for o in names)
    assert set(aliases.values()) <= names
    for version, q1 in (("police", "Q1. Police Force"), ("national", "Q1. Organisation / Agency")):
        typed = [r[q1] for r in read(version) if answered(r[q1])]
        assert typed and all(norm_key(t) in aliases for t in typed)
        assert len(set(typed)) > len({aliases[norm_key(t)] for t in typed}) / 2


# ---------------------------------------------------------------------------- Annex 2


@pytest.mark.parametrize(("version", "tickers"), [("police", 38), ("national", 14)])
def test_q4_grid_equals_annex2(version, tickers):
    rows, figs = included(version), figures()
    grid = [h for h in HEADERS[version] if h.startswith("Q4. ")]
    for r in read(version):
        assert all(r[h] in ("", h.split(": ")[-1]) for h in grid)
    assert sum(any(r[h] for h in grid) for r in rows) == tickers
    assert figs[f"annex2.{version}.q4.answered"] == tickers
    for area in AREAS:
        for option, key in zip(GRID_OPTIONS, ("completed", "active", "future"), strict=True):
            count = sum(bool(r[f"Q4. {area}: {option}"]) for r in rows)
            assert count == figs[f"annex2.{version}.q4.{report_area(area)}.{key}"], (area, option)


def test_table1_is_the_sum_of_both_versions():
    figs = figures()
    for area in AREAS:
        for option, key in zip(GRID_OPTIONS, ("completed", "active", "future"), strict=True):
            count = sum(bool(r[f"Q4. {area}: {option}"]) for v in FILES for r in included(v))
            assert count == figs[f"table1.{report_area(area)}.{key}"], (area, option)


@pytest.mark.parametrize("version", ["police", "national"])
def test_every_annex2_response_total_and_answered(version):
    rows, figs = included(version), figures()
    pattern = re.compile(rf"annex2\.{version}\.q(\d+)\.(.+)\.(response_total|answered)$")
    checked = 0
    for figure_id, value in figs.items():
        m = pattern.match(figure_id)
        if not m or m.group(1) == "4":
            continue
        question, item, kind = int(m.group(1)), m.group(2), m.group(3)
        if kind == "response_total":
            columns = annex2_items(version, question, item)
        else:
            columns = [h for h in HEADERS[version] if h.startswith(f"Q{question}. ")]
        assert columns, figure_id
        count = sum(any(answered(r[c]) for c in columns) for r in rows)
        assert count == value, figure_id
        checked += 1
    assert checked >= (50 if version == "police" else 45)


def test_q9_health_and_wellbeing_boards():
    figs = figures()
    values = Counter(r[HWB_HEADER] for r in included("police"))
    assert set(values) <= {"", *HWB_VALUES}
    assert values["Yes"] == figs["annex2.police.q9.yes"] == 24
    assert values["No"] == figs["annex2.police.q9.no"] == 4
    assert values["Not known"] == figs["annex2.police.q9.not_known"] == 3
    assert all(r[HWB_HEADER] in ("", *HWB_VALUES) for r in read("police"))


def test_some_organisations_answered_more_than_once():
    counts = Counter(organisation_of(r, "police") for r in included("police"))
    assert sum(n - 1 for n in counts.values()) == 8
    typed = Counter(r["Q1. Police Force"] for r in included("police"))
    assert len(typed) > 32  # the same force typed in different ways


# ---------------------------------------------------------------------------- coding


def coded(question_key: str) -> Counter:
    """Apply the codebooks exactly as the dbt project specifies; count categories."""
    sources = {
        "lead_agency": ("Q5. Lead Agency", "Q6. Lead Agency"),
        "funding": ("Q5. Funding", "Q6. Funding"),
        "priorities": ("Q7. Priorities", "Q7. Priorities"),
        "demand": ("Q8. Greatest demand", "Q8. Greatest demand"),
    }[question_key]
    answers = [
        (version, r["Response ID"], r[column].strip())
        for version, column in zip(FILES, sources, strict=True)
        for r in included(version)
        if answered(r[column])
    ]
    single = question_key in ("lead_agency", "funding")
    con = duckdb.connect()
    con.execute("create table ans(survey varchar, rid varchar, a varchar)")
    con.executemany("insert into ans values (?, ?, ?)", answers)
    con.execute(f"create table stated as select * from ans where lower(a) not in {NOT_STATED}")
    book = SEEDS / f"codebook_{question_key}.csv"
    con.execute(
        f"create table cb as select {'category' if single else 'theme'} as category, "
        f"cast(rule_order as int) as r, pattern from read_csv('{book}', all_varchar=true)"
    )
    con.execute(
        f"create table mc as select survey, response_id as rid, category "
        f"from read_csv('{SEEDS / 'manual_codes.csv'}', all_varchar=true) "
        f"where question_key = '{question_key}'"
    )
    con.execute(
        "create table hits as select stated.*, cb.category, cb.r from stated "
        "join cb on regexp_matches(stated.a, cb.pattern, 'i')"
    )
    assert con.execute("select count(*) from hits join mc using (survey, rid)").fetchone() == (
        0,
    ), "a manually coded answer is also caught by a rule: it would not need a manual code"
    uncoded = con.execute(
        "select a from stated where (survey, rid) not in "
        "(select survey, rid from hits union select survey, rid from mc)"
    ).fetchall()
    assert not uncoded, uncoded
    # manual codes replace the rules' result for their answer entirely; as in dbt, a manual code
    # counts only when its answer is here (analysts' codes for other exports are not)
    con.execute("delete from hits where (survey, rid) in (select survey, rid from mc)")
    ruled = (
        "select arg_min(category, r) from hits group by survey, rid"  # lowest rule_order wins
        if single
        else "select category from (select distinct survey, rid, category from hits)"
    )
    rows = con.execute(f"""
        select 'not stated' from ans where lower(a) in {NOT_STATED}
        union all select mc.category from mc join stated using (survey, rid)
        union all {ruled}
    """).fetchall()
    counts = Counter(c for (c,) in rows)
    counts["_answers"] = len(answers)
    return counts


def test_lead_agency_codes_to_table2():
    counts = coded("lead_agency")
    assert counts.pop("_answers") == 39
    assert dict(counts) == TABLE2


def test_funding_codes_to_the_funding_paragraph():
    counts = coded("funding")
    assert counts.pop("_answers") == 39
    assert dict(counts) == FUNDING


def test_priority_themes():
    counts = coded("priorities")
    total = counts.pop("_answers")
    assert total == 43
    assert set(counts) == {
        "mental health problems",
        "vulnerability",
        "sexual crimes",
        "violent and abusive crimes",
        "substance misuse",
        "offender healthcare",
    }
    assert counts["mental health problems"] > total / 2
    assert counts.most_common(1)[0][0] == "mental health problems"


def test_demand_themes():
    counts = coded("demand")
    total = counts.pop("_answers")
    assert total == 38
    assert set(counts) == {
        "mental health",
        "vulnerable people",
        "violent and abusive crimes",
        "substance misuse",
        "child sexual exploitation",
    }
    assert counts["mental health"] >= 0.9 * total
    assert counts.most_common(1)[0][0] == "mental health"


def test_the_extracts_need_few_manual_codes_and_they_point_at_real_answers():
    (needed,) = [
        need
        for need in load_generator().requirements(reconstruction())
        if need.seed == "manual_codes.csv"
    ]
    assert len({(survey, rid, key) for survey, rid, key, _ in needed.rows}) == 3
    ids = {v: {r["Response ID"] for r in included(v)} for v in FILES}
    assert all(rid in ids[survey] for survey, rid, _, _ in needed.rows)


def test_curated_seeds_hold_every_row_the_extracts_need():
    """Organisations, force areas, aliases and manual codes the extracts need are in the
    hand-kept seeds; rows analysts added beside them are fine (`python -m reference.generator
    --check-curated` lists what is missing)."""
    assert load_generator().missing_rows(reconstruction(), SEEDS) == {}


# ---------------------------------------------------------------------------- snapshot, rebuild


def test_national_snapshot_is_an_earlier_smaller_export():
    final = {r["Response ID"]: r for r in read("national")}
    wb = load_workbook(SNAPSHOT)
    assert wb.properties.created == wb.properties.modified == dt.datetime(2017, 9, 29, 9, 5)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert tuple(rows[0]) == HEADERS["national"]
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert 15 <= len(body) < len(final)
    assert all(v is None or isinstance(v, str) for row in body for v in row.values())
    fewer = 0
    for row in body:
        later = final[row["Response ID"]]  # the same responses, continued later
        assert row["Started"] == later["Started"]
        assert dt.datetime.strptime(row["Started"], "%d/%m/%Y %H:%M:%S") < dt.datetime(
            2017, 9, 29, 9
        )
        assert row["Status"] in ("Completed", "Partial")
        if row["Status"] == "Completed":
            assert row == {h: v or None for h, v in later.items()}  # finished: nothing changes
        else:
            assert row["Ended"] is None
        for h in HEADERS["national"][5:]:
            assert row[h] is None or row[h] == later[h], h  # answers only ever appear
        fewer += row["Status"] == "Partial" and later["Status"] == "Completed"
    assert fewer >= 2


def test_regenerating_gives_identical_files(tmp_path):
    """The extracts and the reference seeds are byte-identical to their sources; the
    generator writes the extracts and nothing else (never a seed)."""
    assert check_reference_outputs(ROOT, tmp_path) == []
    assert not any(SEEDS in path.parents for path in byte_compared_files(ROOT))
