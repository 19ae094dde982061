"""Report-ready means publishable (issue 17): the findings, the workbook and the page.

- The key findings are computed from the marts: on the reference extracts each one says what
  the 2018 report says (compared with the report's sentence), on other data they follow it.
- report_tables.xlsx follows the Government Analysis Function's spreadsheet guidance (cover,
  contents, notes, one table per sheet from A1, no merged cells, one page wide) and opens in a
  real spreadsheet program: LibreOffice converts it to PDF, once per session.
- report.html has no axe-core violation of the WCAG 2.x A/AA rules in Debian's Chromium (once
  per session), and every chart says in words what it shows.

Programs from Debian (LibreOffice, Chromium, Node.js) are skipped with the reason when missing
on a developer's machine, and required under CI=true (.ci/run installs them).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orchestration.publish.exports.findings import Finding, compute_findings
from orchestration.publish.exports.wording import (
    leading,
    near_tie_clause,
    share_of_respondents,
    subject,
)
from orchestration.runtime.settings import ConfigError, Settings
from tests.integration.test_exports import build_published, export

REPO_ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = REPO_ROOT / "tests" / "support" / "browser"
# The report itself, where a checkout has ../shared beside it (CI has): the quotes below are
# checked against it, so a typo in a quote cannot make a finding "match".
REPORT_TEXT = REPO_ROOT.parent / "shared" / "report" / "landscape-review-2018.md"
TABLE_SHEETS = (
    "Table 1",
    "Table 2",
    "Funding",
    "Priorities",
    "Demand",
    "Responses",
    "Annex 2",
    "Coverage",
    "Reconciliation",
    "Provenance",
)


def require(program: str, install: str) -> str:
    """The program's path; skipped when missing locally, a failure when CI=true."""
    found = shutil.which(program)
    if found:
        return found
    reason = f"{program} is not installed ({install})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must run this test; .ci/run installs it")
    pytest.skip(reason)


@pytest.fixture
def published(tmp_path: Path, warehouse_template: Path) -> Path:
    return build_published(warehouse_template, tmp_path / "data" / "published" / "warehouse.duckdb")


@pytest.fixture
def exports_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "exports"


def findings_of(published: Path) -> dict[str, Finding]:
    import duckdb

    with duckdb.connect(str(published), read_only=True) as con:
        return {f.key: f for f in compute_findings(con)}


# --- the findings on the reference extracts say what the report says -----------------------

# Finding key -> the report's sentence it reproduces (quoted verbatim), and how they compare:
# "equal" (the same sentence), "start" (the finding starts with it, then may add a near-tie),
# "contains" (the report's clause is in the finding, which gives its context), "parts" (its
# subject and its predicate are in the finding).
REPORT_SENTENCES = {
    "responses": (
        "A total of 54 full and partially completed surveys were returned, 40 from police "
        "forces and OPCCs ('police' surveys) and 14 from other organisations "
        "('regional/national' surveys).",
        "equal",
    ),
    "coverage.police_force_areas": (
        "In all, 29 of the 43 police force areas (67%) in England and Wales were represented.",
        "equal",
    ),
    "hwb_representation": (
        "Police forces were asked whether they were represented on health and wellbeing "
        "boards. The majority said yes.",
        "equal",
    ),
    "areas.overall": (
        "Overall, the most popular areas for collaborative work were mental health, health in "
        "custody and drugs (Table 1).",
        "start",
    ),
    "areas.current": (
        "Mental health, health in custody and drugs were identified most frequently for past "
        "and current work.",
        "equal",
    ),
    "areas.completed_and_active": (
        "The same 3 areas came top in completed and active work",
        "start",
    ),
    "areas.future": (
        "Social isolation, homelessness and adverse childhood experiences (ACEs) scored "
        "highest for future work.",
        "start",
    ),
    "funding.leader": (
        "Funding for the majority of projects came from more than 1 partner, with 19 of 32 "
        "projects where funding information was provided being jointly funded.",
        "equal",
    ),
    "funding.others": (
        "A further 6 were health funded: 3 Home Office, 3 OPCC and 1 police. Four were "
        "cost-neutral or had no additional funding provided.",
        "equal",
    ),
    # The report's theme is "mental health problems" (its list of six), said "mental health".
    "priorities.top": ("Mental health was listed by more than half of respondents.", "parts"),
    "priorities.themes": ("Six key areas emerged:", "start"),
    "demand.top": ("Again, mental health was listed by almost every respondent.", "contains"),
    "demand.themes": (
        "the most common responses were mental health, vulnerable people, violent and abusive "
        "crimes, substance misuse and child sexual exploitation",
        "contains",
    ),
    "lead_agency": ("Thirty-eight examples were given.", "figures"),
}
# The report's six priority areas (a bulleted list under "Six key areas emerged:").
REPORT_PRIORITIES = {
    "mental health problems",
    "vulnerability",
    "sexual crimes",
    "violent and abusive crimes",
    "substance misuse",
    "offender healthcare",
}


def _core(sentence: str) -> str:
    """A report sentence without its end, its table reference and a leading 'Again,'."""
    core = sentence.removesuffix(".").removesuffix(" (Table 1)").removesuffix(":")
    return core.removeprefix("Again, ")


def _matches(finding: str, sentence: str, how: str) -> bool:
    if how == "equal":
        return finding == sentence
    if how == "start":
        return finding.startswith(_core(sentence))
    if how == "parts":
        subject_, predicate = _core(sentence).lower().split(" was ", 1)
        return subject_ in finding.lower() and predicate in finding.lower()
    return _core(sentence).lower().removeprefix("the ") in finding.lower()


def test_the_report_sentences_are_quoted_verbatim():
    if not REPORT_TEXT.is_file():
        pytest.skip(f"{REPORT_TEXT} is not beside this checkout")
    report = REPORT_TEXT.read_text(encoding="utf-8")
    for key, (sentence, _) in REPORT_SENTENCES.items():
        assert sentence in report, f"{key}: not a sentence of the report: {sentence!r}"


@pytest.mark.slow
def test_findings_on_the_reference_extracts_say_what_the_report_says(reference_refresh):
    found = findings_of(reference_refresh.published_path)
    for key, (sentence, how) in REPORT_SENTENCES.items():
        assert key in found, f"no finding {key}"
        if how != "figures":
            assert _matches(found[key].text, sentence, how), (
                f"{key}: {found[key].text!r} does not reproduce the report's {sentence!r}"
            )
    # The report's Table 2 (Police 14, Public health / health 9) and its 38 examples.
    assert found["lead_agency"].text == (
        "Police led the most good practice projects: 14 of the 38, followed by public "
        "health / health (9)."
    )
    listed = found["priorities.themes"].text.split(": ", 1)[1]
    assert all(theme in listed for theme in REPORT_PRIORITIES), listed  # six, as said
    assert "77%" in found["hwb_representation"].figure  # Annex 2: 24 of 31, 77.42%
    # Ties and near-ties are worded as such (Table 1 of the report).
    assert found["areas.future"].text.endswith(
        ", just ahead of physical activity and migrant health (16 each)."
    )
    assert found["areas.least_overall"].text == (
        "Migrant health and obesity (tied at 21) were mentioned least overall."
    )
    assert found["areas.least_future"].text.startswith(
        "Four areas tied at 8 (drugs, suicide prevention, safeguarding and domestic abuse)"
    )
    for finding in found.values():
        assert finding.figure and finding.source.startswith("marts.") and finding.table


# --- on other data, the findings change with it ---------------------------------------------


def test_findings_follow_the_data(tmp_path, warehouse_template):
    """The same templates on two extracts' marts: the report's own, then different ones."""
    report_like = findings_of(
        build_published(warehouse_template, tmp_path / "a" / "warehouse.duckdb")
    )
    assert report_like["areas.overall"].text == (
        "Overall, the most popular areas for collaborative work were mental health, health in "
        "custody and drugs."
    )
    assert report_like["coverage.police_force_areas"].text == (
        "In all, 2 of the 3 police force areas (67%) in England and Wales were represented."
    )

    changed = findings_of(
        build_published(
            warehouse_template,
            tmp_path / "b" / "warehouse.duckdb",
            extra_sql="""
            update marts.area_of_work set total = 60 where area in ('Drugs', 'Alcohol',
                'Prevention of offending and reoffending', 'Child sexual exploitation',
                'Suicide prevention');
            update marts.area_of_work set future = 30 where area = 'Obesity';
            update marts.area_of_work set future = 10 where area = 'Physical activity';
            update marts.area_of_work set completed = 40 where area = 'Alcohol';
            update marts.hwb_representation set respondents = 10 where answer = 'Yes';
            update marts.coverage set responded = true, respondents = 1
                where name = 'Cheshire';
            insert into marts.lead_agency (lead_agency, projects)
                values ('Health and police joint lead', 14);
            update marts.funding set projects = 4 where funding_source = 'jointly funded';
            update marts.priorities set respondents = 12, share = 0.2791
                where theme = 'mental health problems' and survey = 'all';
            """,
        )
    )
    text = {key: f.text for key, f in changed.items()}
    # A tie across the cut takes the whole group, and says so.
    assert text["areas.overall"] == (
        "Overall, the most popular areas for collaborative work were mental health, health in "
        "custody and five areas tied at 60 (drugs, alcohol, prevention of offending and "
        "reoffending, child sexual exploitation and suicide prevention)."
    )
    # A new leader, and no near-tie clause once the next area is far behind.
    assert text["areas.future"] == (
        "Obesity, social isolation and homelessness scored highest for future work."
    )
    assert text["areas.completed_and_active"].startswith(
        "Different areas came top in completed work (alcohol, health in custody and mental health)"
    )
    assert text["hwb_representation"].endswith("boards. A minority said yes.")
    assert text["coverage.police_force_areas"].startswith("In all, 3 of the 3 police force areas")
    assert text["lead_agency"].startswith(
        "Health and police joint lead and police (tied at 14) led the most good practice "
        "projects: 14 each of the 38"
    )
    assert text["funding.leader"] == (
        "The most common funding was health: 6 of 11 projects where funding information was "
        "provided."
    )
    assert text["funding.others"] == "A further 4 were jointly funded: 1 police."
    assert text["priorities.top"] == (
        "Among organisational priorities, vulnerability was listed by fewer than half of "
        "respondents."
    )
    assert report_like.keys() == changed.keys()
    same = {key for key in report_like if report_like[key].text == changed[key].text}
    assert same == {
        "responses",
        "areas.least_overall",
        "areas.least_current",
        "areas.least_future",
        "demand.top",
        "demand.themes",
    }


def test_a_missing_mart_leaves_its_findings_out(tmp_path, warehouse_template):
    published = build_published(
        warehouse_template,
        tmp_path / "p" / "warehouse.duckdb",
        extra_sql="drop table marts.funding; drop table marts.hwb_representation",
    )
    found = findings_of(published)
    assert not {"funding.leader", "funding.others", "hwb_representation"} & found.keys()
    assert "areas.current" in found


@pytest.mark.parametrize(
    ("items", "wanted", "expected"),
    [
        ([("A", 5), ("B", 4), ("C", 3), ("D", 1)], 3, "a, b and c"),
        ([("A", 5), ("B", 5), ("C", 3)], 1, "a and b (tied at 5)"),
        (
            [("A", 9), *((n, 2) for n in "BCDEF")],
            3,
            "a and five areas tied at 2 (b, c, d, e and f)",
        ),
    ],
)
def test_ties_are_worded_as_ties(items, wanted, expected):
    assert subject(leading(items, wanted)) == expected


def test_a_near_tie_is_named_after_the_leaders():
    ranking = leading([("A", 20), ("B", 19), ("C", 17), ("D", 16), ("E", 16)], 3)
    assert near_tie_clause(ranking) == ", just ahead of d and e (16 each)"
    assert near_tie_clause(leading([("A", 20), ("B", 12)], 1)) == ""
    least = leading([("A", 5), ("B", 6), ("C", 9)], 1, descending=False)
    assert near_tie_clause(least, descending=False) == ", closely followed by b (6)"


@pytest.mark.parametrize(
    ("part", "whole", "words"),
    [
        (38, 38, "every respondent"),
        (36, 38, "almost every respondent"),
        (27, 43, "more than half of respondents"),
        (10, 20, "half of respondents"),
        (12, 43, "fewer than half of respondents"),
        (2, 43, "a minority of respondents"),
    ],
)
def test_shares_in_words(part, whole, words):
    assert share_of_respondents(part, whole) == words


# --- the workbook: the spreadsheet guidance -------------------------------------------------


def test_workbook_follows_the_spreadsheet_guidance(published, exports_dir):
    result = export(published, exports_dir)
    book = load_workbook(result.run_dir / "report_tables.xlsx")
    assert book.sheetnames == ["Cover", "Contents", "Notes", *TABLE_SHEETS]

    cover = [c.value for c in book["Cover"]["A"] if c.value is not None]
    assert cover[0] == "Policing and health collaboration in England and Wales: survey tables"
    for heading in ("Key findings", "Source", "Release details", "Contact"):
        assert heading in cover, heading
    assert any(v.startswith("Mental health, health in custody and drugs were") for v in cover)
    assert any("Code version: test-1.0" in v for v in cover)
    contents = [[c.value for c in row] for row in book["Contents"].iter_rows(min_row=4)]
    assert [row[0] for row in contents] == list(TABLE_SHEETS)
    assert book["Contents"]["A4"].hyperlink.location == "'Table 1'!A1"

    markers: set[str] = set()
    for name in book.sheetnames:
        sheet = book[name]
        assert not sheet.merged_cells.ranges, f"{name} has merged cells"
        # Every sheet prints one page wide (fitToWidth defaults to 1), as tall as it takes.
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.page_setup.paperSize == 9, f"{name}: A4"
        if name == "Cover":
            continue
        # One table, from A1: its title in A1, no blank row before its header, then the table.
        (table,) = sheet.tables.values()
        top_left = table.ref.split(":")[0]
        assert top_left[0] == "A", f"{name}: the table starts in column A"
        header_row = int(top_left[1:])
        above = [sheet.cell(row=r, column=1).value for r in range(1, header_row)]
        assert above and all(above), f"{name}: a blank row above the table"
        assert sheet["A1"].font.b and sheet["A1"].value
        assert sheet.print_title_rows == f"${header_row}:${header_row}", name
        headers = [c.value for c in sheet[header_row]]
        data = list(sheet.iter_rows(min_row=header_row + 1, values_only=True))
        assert all(v is not None for row in data for v in row), f"{name}: an empty cell"
        if name in TABLE_SHEETS:
            markers |= {m for h in headers for m in re.findall(r"\[note \d+\]", str(h))}
            markers |= set(re.findall(r"\[note \d+\]", sheet["A1"].value))

    table1 = book["Table 1"]
    assert table1["A1"].value == (
        "Table 1: Areas of collaborative work, in order of total number of mentions [note 1]"
    )
    headers = [c.value for c in table1[4]]
    assert headers == [
        "Area of work",
        "Completed work\n(number)",
        "Active work\n(number)",
        "Possible future work\n(number)",
        "Total\n(number)\n[note 2]",
    ]
    assert [c.value for c in table1[5]] == ["Mental health", 17, 43, 12, 72]
    assert table1["E5"].font.b and table1["B5"].alignment.horizontal == "right"
    priorities = book["Priorities"]
    assert priorities["C5"].value == "Police: share\n(%)\n[note 4]"
    assert priorities["C6"].value == pytest.approx(65.52)  # a number, its unit in the header
    assert priorities["C8"].value == "[z]" and "[z] = not applicable" in [
        c.value for c in priorities["A"]
    ]
    annex = [[c.value for c in r] for r in book["Annex 2"].iter_rows(min_row=6, values_only=False)]
    assert ["Police survey", "Question 4", "Mental Health", 13, 32, 9, "[z]", 54] in annex

    notes = {
        row[0]: row[1]
        for row in book["Notes"].iter_rows(min_row=4, values_only=True)
        if row[0] is not None
    }
    assert {f"[note {n}]" for n in notes} == markers, "every note is referred to, and exists"
    assert notes[2].startswith("Mentions, not respondents")


# --- the page: findings, and charts in words -------------------------------------------------


class _Page(HTMLParser):
    """Ids, findings and the figures' images, alt texts and links of report.html."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.findings: dict[str, str] = {}
        self.figures: list[dict] = []
        self._finding: str | None = None
        self._finding_links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "li" and "data-finding" in attrs:
            self._finding = attrs["data-finding"]
            self.findings[self._finding] = ""
        if tag == "figure":
            self.figures.append({"alt": None, "links": []})
        if tag == "img" and self.figures:
            self.figures[-1]["alt"] = attrs.get("alt")
        if tag == "a":
            if self._finding:
                self.findings[self._finding] += f" <{attrs['href']}>"
            elif self.figures and self.figures[-1].get("open", True):
                self.figures[-1]["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "li":
            self._finding = None
        if tag == "figure" and self.figures:
            self.figures[-1]["open"] = False

    def handle_data(self, data):
        if self._finding:
            self.findings[self._finding] += data


def test_page_has_the_key_findings_each_with_its_figure_and_table(published, exports_dir):
    result = export(published, exports_dir)
    page = _Page()
    page.feed((result.run_dir / "report.html").read_text(encoding="utf-8"))
    assert "key-findings" in page.ids
    current = page.findings["areas.current"]
    assert current.startswith(
        "Mental health, health in custody and drugs were identified most frequently for past "
        "and current work."
    )
    assert "60, 55 and 54 completed and active mentions" in current
    for key, text in page.findings.items():
        anchors = re.findall(r"<#([\w-]+)>", text)
        assert anchors and all(a in page.ids for a in anchors), f"{key}: no table to check it"
        assert "Figure:" in text, key


def test_every_chart_says_what_it_shows_and_links_to_its_table(published, exports_dir):
    result = export(published, exports_dir)
    page = _Page()
    page.feed((result.run_dir / "report.html").read_text(encoding="utf-8"))
    assert len(page.figures) == 4
    alts = [figure["alt"] for figure in page.figures]
    # The leading figures, not just a title.
    assert "mental health (72), health in custody (65) and drugs (62)" in alts[0]
    assert "least: migrant health and obesity (21 each)" in alts[0]
    assert "police 14, public health / health 9 and OPCC 1" in alts[2]
    assert "jointly funded 19" in alts[3]
    for figure in page.figures:
        assert len(figure["alt"]) > 80 and re.search(r"\d", figure["alt"])
        tables = [link[1:] for link in figure["links"] if link.startswith("#")]
        assert tables and all(t in page.ids for t in tables), figure


# --- the release contact ---------------------------------------------------------------------


def test_the_release_contact_is_on_the_cover_and_page_and_only_it_passes_the_scan(
    tmp_path, exports_dir, warehouse_template
):
    contact = "Policing and health analysis team, phc-analysis@example.org"
    good = build_published(warehouse_template, tmp_path / "good" / "warehouse.duckdb")
    result = export(good, exports_dir, contact=contact)
    cover = [c.value for c in load_workbook(result.run_dir / "report_tables.xlsx")["Cover"]["A"]]
    assert contact in cover
    assert f"Contact: {contact}" in (result.run_dir / "report.html").read_text(encoding="utf-8")

    from orchestration.publish.exports import ExportError

    leaking = build_published(
        warehouse_template,
        tmp_path / "bad" / "warehouse.duckdb",
        extra_sql="insert into marts.funding (funding_source, projects) "
        "values ('ask other@example.org', 1)",
    )
    with pytest.raises(ExportError, match="an email address"):
        export(leaking, tmp_path / "other_exports", contact=contact)


def test_release_contact_setting():
    base = {"PHC_DATA_DIR": "/tmp/phc-data"}
    assert Settings.from_env(base).release_contact is None
    set_ = Settings.from_env({**base, "PHC_RELEASE_CONTACT": "  Analysis team  "})
    assert set_.release_contact == "Analysis team"
    with pytest.raises(ConfigError, match="PHC_RELEASE_CONTACT"):
        Settings.from_env({**base, "PHC_RELEASE_CONTACT": "line one\nline two"})


# --- real programs: LibreOffice and axe-core in Chromium, once per session -------------------


@pytest.fixture(scope="session")
def reference_exports(reference_refresh) -> Path:
    """The exports the reference refresh wrote (read them, do not write)."""
    return reference_refresh.exports_latest.resolve()


@pytest.fixture(scope="session")
def workbook_pdf(reference_exports, tmp_path_factory) -> tuple[Path, str]:
    """report_tables.xlsx of the reference refresh, converted to PDF by LibreOffice."""
    soffice = require("soffice", "apt-get install libreoffice-calc-nogui")
    out = tmp_path_factory.mktemp("libreoffice")
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(reference_exports / "report_tables.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "report_tables.pdf", done.stdout + done.stderr


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_and_prints_every_sheet_one_page_wide(
    workbook_pdf, reference_exports
):
    from pypdf import PdfReader

    pdf, log = workbook_pdf
    assert pdf.is_file(), f"LibreOffice wrote no PDF: {log}"
    assert "error" not in log.lower(), log
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    # Every page carries its sheet's name in the header (&A): pages by sheet.
    by_sheet: dict[str, list[str]] = {}
    for text in pages:
        by_sheet.setdefault(text.split("\n", 1)[0].strip(), []).append(text)
    book = load_workbook(reference_exports / "report_tables.xlsx", read_only=True)
    assert list(by_sheet) == book.sheetnames
    assert len(by_sheet["Table 1"]) == 1, "Table 1 fits on one page, all five columns"
    assert "Mental health 17 43 12 72" in by_sheet["Table 1"][0]
    for name in TABLE_SHEETS:
        sheet = load_workbook(reference_exports / "report_tables.xlsx")[name]
        (table,) = sheet.tables.values()
        header_row = int(re.sub(r"\D", "", table.ref.split(":")[0]))
        headers = [str(c.value).split("\n")[0] for c in sheet[header_row]]
        for number, text in enumerate(by_sheet[name], start=1):
            flat = " ".join(text.split())
            missing = [h for h in headers if " ".join(h.split()) not in flat]
            assert not missing, f"{name}, page {number}: columns {missing} on another page"
    cover = " ".join(" ".join(by_sheet["Cover"]).split())
    assert "In all, 29 of the 43 police force areas (67%) in England and Wales were" in cover


@pytest.fixture(scope="session")
def axe_results(reference_exports) -> dict:
    """axe-core's WCAG 2.x A and AA rules on the reference report.html, in Debian's Chromium."""
    node = require("node", "apt-get install nodejs npm")
    npm = require("npm", "apt-get install npm")
    chromium = require("chromium", "apt-get install chromium")
    # npm ci when node_modules is missing or was installed from another lock file.
    stamp = BROWSER_DIR / "node_modules" / ".installed-from"
    lock = hashlib.sha256((BROWSER_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not stamp.is_file() or stamp.read_text() != lock:
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=BROWSER_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        stamp.write_text(lock)
    done = subprocess.run(
        [
            node,
            str(BROWSER_DIR / "axe_check.mjs"),
            str(reference_exports / "report.html"),
            chromium,
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_report_page_has_no_axe_violations(axe_results):
    assert axe_results["violations"] == [], json.dumps(axe_results["violations"], indent=1)
    assert axe_results["passes"] > 10  # axe ran its rules, it did not just find nothing
    assert {"wcag2aa", "wcag21aa", "wcag22aa"} <= set(axe_results["tags"])
