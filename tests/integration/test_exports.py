"""Report-ready exports and analyst access: what is exported, how it is switched in, and that a
failed export never replaces the last good one.

Most tests build a tiny published file of their own (the project's marts from the session's
`warehouse_template`, a few rows);
one slow test runs the real refresh on the reference extracts.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from orchestration.domain.privacy import SQL_CANDIDATE
from orchestration.publish.exports import ExportError, switch, write_exports
from orchestration.publish.exports import marts as marts_module
from orchestration.publish.exports.privacy import personal_data_kinds, scan_tree
from tests.support.schemas import PUBLISHED, copy_file

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian package `chromium`

# Table 1 of the report, rows deliberately not in total order.
TABLE1 = [
    ("Obesity", 1, 5, 15, 21),
    ("Mental health", 17, 43, 12, 72),
    ("Drugs", 16, 38, 8, 62),
    ("Health in custody", 18, 37, 10, 65),
    ("Alcohol", 15, 34, 9, 58),
    ("Prevention of offending and reoffending", 13, 32, 12, 57),
    ("Child sexual exploitation", 13, 30, 11, 54),
    ("Suicide prevention", 10, 33, 8, 51),
    ("Safeguarding", 11, 31, 8, 50),
    ("Domestic abuse", 10, 31, 8, 49),
    ("Dementia", 9, 24, 12, 45),
    ("Violence prevention", 7, 24, 13, 44),
    ("Sexual health", 7, 19, 13, 39),
    ("Missing from home", 7, 22, 10, 39),
    ("ACE (adverse child experiences)", 3, 17, 17, 37),
    ("Homelessness", 2, 16, 19, 37),
    ("Sex workers", 8, 17, 12, 37),
    ("Modern slavery", 6, 21, 10, 37),
    ("Neglect", 5, 20, 12, 37),
    ("Radicalisation", 8, 15, 10, 33),
    ("Social isolation", 1, 8, 20, 29),
    ("Long term conditions", 2, 7, 15, 24),
    ("Physical activity", 1, 6, 16, 23),
    ("Migrant health", 1, 4, 16, 21),
]
SOURCE_EXPORTS_SQL = """
insert into marts.source_exports by name select * from (values
  ('police', 'police_20171020.csv', 'csv', timestamp '2017-10-20 09:00', '{}', 131,
   timestamptz '2026-01-05 06:00:00+00', true),
  ('national', 'national_20171020.csv', 'csv', timestamp '2017-10-20 09:00', '{}', 28,
   timestamptz '2026-01-05 06:00:00+00', true),
  ('national', 'national_20170929.xlsx', 'xlsx', timestamp '2017-09-29 09:05', '{}', 20,
   timestamptz '2026-01-05 06:00:00+00', false)
) t(survey, file_name, file_format, exported_at, sha256, row_count, loaded_at, is_current);
""".format("a" * 64, "b" * 64, "0123456789" + "c" * 54)


def build_published(
    template: Path, path: Path, *, source_exports: bool = True, extra_sql: str = ""
) -> Path:
    """A published file as `publish()` makes it from the project's marts (the session's
    `warehouse_template`), a few rows in each, all of the report's wave (2017)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    copy_file(template / PUBLISHED, path)
    con = duckdb.connect(str(path))
    con.executemany(
        "insert into marts.area_of_work (area, completed, active, future, total, rank) "
        "values (?, ?, ?, ?, ?, ?)",
        [(*row, 1 + sum(other[4] > row[4] for other in TABLE1)) for row in TABLE1],
    )
    con.execute(
        """
        insert into marts.area_of_work_by_survey by name select * from (values
          ('police', 'Mental health', 13, 32, 9, 54), ('national', 'Mental health', 4, 11, 3, 18),
          ('police', 'Drugs', 12, 26, 5, 43), ('national', 'Drugs', 4, 12, 3, 19)
        ) t(survey, area, completed, active, future, total);
        insert into marts.coverage by name select * from (values
          ('police force area', 'Bedfordshire', 'England', null, true, 1),
          ('police force area', 'Cheshire', 'England', null, false, 0),
          ('police force area', 'Gwent', 'Wales', null, true, 2),
          ('national organisation', 'College of Policing', null, 'national body', true, 1)
        ) t(coverage_type, name, country, organisation_type, responded, respondents);
        insert into marts.demand by name select * replace (share::double as share) from (values
          ('police', 'mental health', 24, 0.96, 25), ('national', 'mental health', 12, 0.9231, 13),
          ('all', 'mental health', 36, 0.9474, 38), ('police', 'substance misuse', 6, 0.24, 25),
          ('national', 'substance misuse', 5, 0.3846, 13),
          ('all', 'substance misuse', 11, 0.2895, 38)
        ) t(survey, theme, respondents, share, answered);
        insert into marts.priorities by name select * replace (share::double as share) from (values
          ('police', 'vulnerability', 13, 0.4483, 29), ('national', 'vulnerability', 7, 0.5, 14),
          ('all', 'vulnerability', 20, 0.4651, 43),
          ('police', 'mental health problems', 19, 0.6552, 29),
          ('national', 'mental health problems', 8, 0.5714, 14),
          ('all', 'mental health problems', 27, 0.6279, 43)
        ) t(survey, theme, respondents, share, answered);
        insert into marts.funding by name select * from (values
          ('health', 6), ('jointly funded', 19), ('not stated', 3), ('police', 1)
        ) t(funding_source, projects);
        insert into marts.lead_agency by name select * from (values
          ('Public health / health', 9), ('Police', 14), ('OPCC', 1)
        ) t(lead_agency, projects);
        insert into marts.hwb_representation by name
        select * replace (response_percent::double as response_percent) from (values
          ('police', 'Yes', 1, 24, 31, 77.42), ('police', 'No', 2, 4, 31, 12.9)
        ) t(survey, answer, answer_order, respondents, answered, response_percent);
        insert into marts.question_responses by name
        select * replace (response_percent::double as response_percent) from (values
          ('police', 3, 'Email', 3, 40, 40, 100.0), ('police', 3, 'Phone number', 2, 40, 40, 100.0),
          ('police', 4, 'Mental Health', 7, 54, 38, null), ('police', 4, 'Drugs', 3, 43, 38, null),
          ('national', 4, 'Mental Health', 7, 18, 14, null),
          ('police', 9, 'Yes', 1, 24, 31, 77.42)
        ) t(survey, question, item, item_order, response_total, answered, response_percent);
        insert into marts.reconciliation by name select * replace (
          published::double as published, computed::double as computed,
          difference::double as difference) from (values
          ('table1.Mental health.total', 'Table 1', 'Mental health: total', 'count',
           72.0, 72.0, 0.0, 'match', null),
          ('table1.Drugs.total', 'Table 1', 'Drugs: total', 'count', 62.0, 62.0, 0.0, 'match',
           null),
          ('responses.invited', 'Methods: responses', 'organisations invited', 'count',
           7.0, null, null, 'known discrepancy', 'Not in the extracts.'),
          ('table2.Police', 'Table 2', 'Police', 'count', 14.0, 13.0, -1.0, 'mismatch', null)
        ) t(figure_id, source, description, unit, published, computed, difference, status,
            reason);
        insert into marts.responses by name select * from (values
          ('police', 131, 32, 99, 57, 34, 8, 40), ('national', 28, 13, 15, 10, 4, 1, 14)
        ) t(survey, exported, completed, partial, excluded_no_data, excluded_identity_only,
            partial_included, included);
        """
    )
    con.execute(SOURCE_EXPORTS_SQL if source_exports else "drop table marts.source_exports")
    if extra_sql:
        con.execute(extra_sql)
    report_wave(con)
    con.close()
    return path


def report_wave(con: duckdb.DuckDBPyConnection) -> None:
    """Every row of the report's wave, as the reference extracts' would be, and marts.waves."""
    tables = con.execute(
        "select table_name, list(column_name) from duckdb_columns() where schema_name = 'marts' "
        "and column_name in ('wave', 'questionnaire') group by all"
    ).fetchall()
    for table, columns in tables:
        if "wave" in columns:
            con.execute(f"update marts.{table} set wave = '2017' where wave is null")
        if "questionnaire" in columns and table != "waves":
            con.execute(f"update marts.{table} set questionnaire = survey || '_2017'")
    con.execute(
        """insert into marts.waves by name select * from (values
             ('2017', 'police', 'police_2017', date '2017-08-01', date '2017-12-31', true, 1,
              131, 40),
             ('2017', 'national', 'national_2017', date '2017-08-01', date '2017-12-31', true, 1,
              28, 14)
           ) t(wave, survey, questionnaire, opens_on, closes_on, is_report_wave, wave_order,
               exported, included)"""
    )


@pytest.fixture
def published(tmp_path: Path, warehouse_template: Path) -> Path:
    return build_published(warehouse_template, tmp_path / "data" / "published" / "warehouse.duckdb")


@pytest.fixture
def exports_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "exports"


def export(published: Path, exports_dir: Path, run_id: str = "run-0001-aaaa", **kwargs):
    return write_exports(published, exports_dir, run_id, "test-1.0", **kwargs)


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- the marts as files ------------------------------------------------------------------


def test_every_mart_is_exported_as_csv_and_parquet_equal_to_it(published, exports_dir):
    """Equal row for row, in the same order: sorted on every column (stable files)."""
    result = export(published, exports_dir)
    marts_dir = exports_dir / "latest" / "marts"
    with duckdb.connect(str(published), read_only=True) as con:
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        assert {p.name for p in marts_dir.iterdir()} == {
            f"{m}.{ext}" for m in marts for ext in ("csv", "parquet")
        }
        assert result.row_counts == {
            m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts
        }
        for mart in marts:
            types = dict(
                con.execute(
                    "select column_name, data_type from duckdb_columns() "
                    "where schema_name = 'marts' and table_name = ? order by column_index",
                    [mart],
                ).fetchall()
            )
            expected = con.execute(f"select * from marts.{mart} order by all").fetchall()
            csv_rows = con.execute(
                f"select * from read_csv(?, header = true, columns = {types!r})",
                [str(marts_dir / f"{mart}.csv")],
            ).fetchall()
            parquet = con.execute(
                "select * from read_parquet(?)", [str(marts_dir / f"{mart}.parquet")]
            )
            assert csv_rows == expected, f"{mart}.csv differs from marts.{mart}"
            assert [d[0] for d in parquet.description] == list(types)
            assert parquet.fetchall() == expected, f"{mart}.parquet differs from marts.{mart}"


def test_exports_read_the_published_file_without_changing_it(published, exports_dir):
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    result = export(published, exports_dir)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["published_sha256"] == before


def test_missing_published_file_is_refused_with_what_to_do(tmp_path, exports_dir):
    with pytest.raises(ExportError, match="make run"):
        export(tmp_path / "nope.duckdb", exports_dir)
    assert not (exports_dir / "latest").exists()


# --- the workbook ------------------------------------------------------------------------


def test_workbook_has_the_report_sheets_table1_in_order_with_bold_totals(published, exports_dir):
    export(published, exports_dir)
    book = load_workbook(exports_dir / "latest" / "report_tables.xlsx")
    # Cover, contents and notes first (the spreadsheet guidance: test_report_standards.py).
    assert book.sheetnames == [
        "Cover",
        "Contents",
        "Notes",
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
    ]
    sheet = book["Table 1"]
    header = [str(c.value).split("\n")[0] for c in sheet[4]]  # title, 2 lines, the header
    assert header == [
        "Area of work",
        "Completed work",
        "Active work",
        "Possible future work",
        "Total",
    ]
    rows = [r for r in sheet.iter_rows(min_row=5, max_row=4 + len(TABLE1))]
    assert [c.value for c in rows[0]] == ["Mental health", 17, 43, 12, 72]
    totals = [r[4].value for r in rows]
    assert totals == sorted((t[4] for t in TABLE1), reverse=True)
    assert all(r[4].font.b for r in rows), "the Total column is bold, as in the report"
    assert not any(r[1].font.b for r in rows)
    # Table 2 ends with its bold total; Annex 2 keeps the Q4 grid next to the totals.
    table2 = [[c.value for c in r] for r in book["Table 2"].iter_rows(min_row=5, max_row=8)]
    assert table2 == [["Police", 14], ["Public health / health", 9], ["OPCC", 1], ["Total", 24]]
    assert book["Table 2"]["A8"].font.b and book["Table 2"]["B8"].font.b
    # Annex 2's survey and question headings are columns in the workbook; [z]: not applicable.
    annex = [[c.value for c in r] for r in book["Annex 2"].iter_rows(min_row=6)]
    assert ["Police survey", "Question 4", "Mental Health", 13, 32, 9, "[z]", 54] in annex


def test_provenance_sheet_names_the_exports_hashes_and_code_version(published, exports_dir):
    export(published, exports_dir)
    sheet = load_workbook(exports_dir / "latest" / "report_tables.xlsx")["Provenance"]
    values = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"police_20171020.csv", "national_20171020.csv", "national_20170929.xlsx"} <= values
    assert {"a" * 64, "b" * 64, "Code version: test-1.0", "Run id: run-0001-aaaa"} <= values
    assert "2017-10-20 09:00:00" in values  # the export date, as stored


def test_without_source_exports_the_workbook_says_so_unless_required(
    tmp_path, exports_dir, warehouse_template
):
    published = build_published(
        warehouse_template, tmp_path / "p" / "warehouse.duckdb", source_exports=False
    )
    export(published, exports_dir)
    sheet = load_workbook(exports_dir / "latest" / "report_tables.xlsx")["Provenance"]
    values = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert any("not in the published file" in v for v in values)
    assert {"test-1.0", "run-0001-aaaa"} <= set(values)  # the run itself is still named
    with pytest.raises(ExportError, match="source_exports"):
        export(published, exports_dir, require_provenance=True)


def test_the_coding_workbook_keeps_free_text_as_text_and_a_drop_down_per_category_column(
    tmp_path, exports_dir, warehouse_template
):
    """Answers that look like a formula or a link stay text (what the analyst reads is what
    the ingest compares); a list question's five category columns share its drop-down."""
    answers = ['=HYPERLINK("http://example.org", "Police")', "https://example.org/a", "-1"]
    rows = ", ".join(
        f"('2017', 'police', '{100 + i}', 'priorities', '{a.replace(chr(39), chr(39) * 2)}', "
        "'no rule matched', null, null)"
        for i, a in enumerate(answers)
    )
    published = build_published(
        warehouse_template,
        tmp_path / "data" / "published" / "warehouse.duckdb",
        extra_sql=f"""
        insert into marts.coding_queue (wave, survey, response_id, question_key, answer,
            queue_reason, suggested_categories, uncoded_parts) values {rows};
        insert into marts.coding_categories (question_key, category, is_single_choice,
            category_order) values ('priorities', 'Mental health', false, 1),
            ('priorities', 'Drugs', false, 2), ('lead_agency', 'Police', true, 1);
        """,
    )
    result = export(published, exports_dir)
    book = load_workbook(result.run_dir / "coding_workbook.xlsx")
    sheet = book["priorities"]
    assert [sheet.cell(row=r, column=4).value for r in (2, 3, 4)] == answers
    assert all(sheet.cell(row=r, column=4).data_type == "s" for r in (2, 3, 4))
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == "Categories!$C$2:$C$3"
    assert str(validation.sqref) == "H2:H54 I2:I54 J2:J54 K2:K54 L2:L54"  # 3 rows + 50 spare
    assert [c.value for c in book["Categories"]["C"]] == ["priorities", "Mental health", "Drugs"]
    # no answer waits for lead agency: its one category column keeps the drop-down for rows
    # an analyst adds
    (lead,) = book["lead_agency"].data_validations.dataValidation
    assert (str(lead.sqref), lead.formula1) == ("H2:H51", "Categories!$A$2:$A$2")


# --- charts, page, manifest --------------------------------------------------------------


def test_charts_exist_as_png_and_svg_and_are_deterministic(published, exports_dir, tmp_path):
    first = export(published, exports_dir, run_id="aaaaaaaa-1")
    second = export(published, tmp_path / "other_exports", run_id="bbbbbbbb-2")
    names = {"table1_areas_of_work", "current_vs_future", "lead_agency", "funding"}
    charts = {p.name for p in (first.run_dir / "charts").iterdir()}
    assert charts == {f"{n}.{ext}" for n in names for ext in ("png", "svg")}
    for chart in sorted(charts):
        a, b = (run.run_dir / "charts" / chart for run in (first, second))
        assert a.read_bytes() == b.read_bytes(), f"{chart} differs between two runs"
        assert a.read_bytes().startswith(b"\x89PNG" if chart.endswith(".png") else b"<?xml")
    svg = (first.run_dir / "charts" / "table1_areas_of_work.svg").read_text()
    assert "<dc:date>" not in svg and "Mental health" in svg  # text kept as text


def test_manifest_lists_every_file_with_its_sha256(published, exports_dir):
    result = export(published, exports_dir)
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = tree_hashes(result.run_dir)
    on_disk.pop("manifest.json")
    assert listed == on_disk == result.files
    assert manifest["code_version"] == "test-1.0" and manifest["run_id"] == "run-0001-aaaa"


class _Cells(HTMLParser):
    """Rows of the <table data-key=...> tables and every src/href, from a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.badges: dict[str, str] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._badge: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links.extend(attrs[k] for k in ("src", "href") if k in attrs)
        if tag == "table" and "data-key" in attrs:
            self._table = attrs["data-key"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "span" and "data-status" in attrs:
            self._badge = attrs["data-status"]
            self.badges[self._badge] = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "span":
            self._badge = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._badge:
            self.badges[self._badge] += data


def chromium_dom(page: Path, profile: Path) -> str:
    completed = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout


def require_chromium() -> None:
    """Skipped when Chromium is missing on a developer's machine; a failure under CI=true."""
    if CHROMIUM.exists():
        return
    reason = "Chromium not installed: apt-get install chromium"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must run this test; .ci/run installs it)")
    pytest.skip(reason)


def test_report_page_shows_the_tables_in_headless_chromium(published, exports_dir, tmp_path):
    require_chromium()
    export(published, exports_dir)
    dom = chromium_dom((exports_dir / "latest" / "report.html").resolve(), tmp_path / "chrome")
    page = _Cells()
    page.feed(dom)
    table1 = page.tables["Table 1"]
    assert table1[1] == ["Mental health", "17", "43", "12", "72"]
    assert [int(r[4]) for r in table1[1:]] == sorted((t[4] for t in TABLE1), reverse=True)
    for key in (
        "Table 2",
        "Funding",
        "Priorities",
        "Demand",
        "Responses",
        "Annex 2",
        "Coverage",
        "Reconciliation",
    ):
        assert len(page.tables[key]) > 1, f"{key} has no rows in the page"
    assert page.badges == {
        "match": "match: 2",
        "known discrepancy": "known discrepancy: 1",
        "mismatch": "mismatch: 1",
    }
    assert ["table2.Police", "Table 2", "Police", "count", "14", "13", "-1", "mismatch", ""] in (
        page.tables["Reconciliation"]
    )
    images = [link for link in page.links if not link.startswith("#")]
    assert len(images) == 4 and all(i.startswith("data:image/svg+xml;base64,") for i in images)


# --- personal data -----------------------------------------------------------------------


def test_no_email_ip_or_phone_in_any_exported_file(published, exports_dir):
    result = export(published, exports_dir)
    assert scan_tree(result.run_dir) == []
    assert len(list(result.run_dir.rglob("*.*"))) == len(result.files) + 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("contact casey.testington@example.org today", "an email address"),
        ("from 203.0.113.123", "an IPv4 address"),
        ("from 2001:db8::8a2e:370:7334", "an IPv6 address"),
        ("call 07700 900918", "a phone number"),
        ("call +44 20 7654 8000", "a phone number"),
    ],
)
def test_the_scan_recognises_each_kind_of_personal_data(text, kind):
    assert personal_data_kinds(text) == {kind}


@pytest.mark.parametrize(
    "text",
    [
        "sha 0123456789abcdef0123",
        "run 01234567-8901-2345-6789-012345678901",
        "v3.11.2",
        "12:30:00",
        "2017-10-20 09:00:00",
        "0.2895,0.9474",
        "a::before",
        "Email, Phone number",
    ],
)
def test_the_scan_ignores_hashes_ids_times_and_numbers(text):
    assert personal_data_kinds(text) == set()


PERSONAL_TEXTS = [
    "contact casey.testington@example.org today",
    "from 203.0.113.123",
    "from 2001:db8::8a2e:370:7334",
    "::1",
    "call 07700 900918",
    "call +44 20 7654 8000",
    "call 0044 (0)20-7654-8000",
    "call (020) 7654 8000",
    "call 07700\u00a0900918",  # no-break spaces
    "call 07700\u2009900\u2009918",  # thin spaces
    "call 07700\x0b900918",  # a vertical tab
    "call 0\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0669\u0661\u0668",  # Arabic-Indic digits
]


@pytest.mark.parametrize("text", PERSONAL_TEXTS)
def test_duckdbs_candidate_pattern_finds_whatever_the_rule_finds(text):
    """The exports and the publish let DuckDB pick the candidates (RE2: ASCII \\d and \\s)
    and confirm them in Python: a value the rule calls personal must be a candidate."""
    assert personal_data_kinds(text), text
    with duckdb.connect() as con:
        assert con.execute("select regexp_matches(?, ?)", [text, SQL_CANDIDATE]).fetchone()[0]


def test_a_long_mart_is_scanned_by_duckdb_and_every_hit_named(tmp_path):
    """200,000 rows of ids and counts (none a candidate), three with personal data: each is
    named by its line (CSV) and row (Parquet), the value never."""
    with duckdb.connect() as con:
        con.execute(
            "create table mart as select 6593638288 + i as response_id, i % 7 as projects, "
            "case i when 5 then 'mail casey@example.org' when 150000 then 'from 203.0.113.9' "
            "when 199999 then 'call 07700 900918' else 'Kent Police' end as answer "
            "from range(200000) t(i)"
        )
        con.execute(f"copy mart to '{tmp_path / 'm.csv'}' (header)")
        con.execute(f"copy mart to '{tmp_path / 'm.parquet'}' (format parquet)")
    assert scan_tree(tmp_path) == [
        "m.csv line 7: an email address",
        "m.csv line 150002: an IPv4 address",
        "m.csv line 200001: a phone number",
        "m.parquet row 6: an email address",
        "m.parquet row 150001: an IPv4 address",
        "m.parquet row 200000: a phone number",
    ]


def test_character_references_are_read_as_a_browser_reads_them_in_markup_only(tmp_path):
    """`&#64;` is an @ in a page or an SVG, and five characters in a CSV or JSON file (where
    "Health & Justice" must not make every line a candidate)."""
    hidden = "write to casey&#64;example.org"
    (tmp_path / "page.html").write_text(f"<p>Health &amp; Justice</p>\n<p>{hidden}</p>\n")
    (tmp_path / "chart.svg").write_text(f"<svg><title>{hidden}</title></svg>")
    (tmp_path / "table.csv").write_text(f"lead,answer\nHealth & Justice,{hidden}\n")
    (tmp_path / "data.json").write_text(f'{{"answer": "{hidden}"}}')
    assert scan_tree(tmp_path) == [
        "chart.svg line 1: an email address",
        "page.html line 2: an email address",
    ]


def test_personal_data_in_a_mart_stops_the_export_and_keeps_latest(
    tmp_path, exports_dir, warehouse_template
):
    good = build_published(warehouse_template, tmp_path / "good" / "warehouse.duckdb")
    first = export(good, exports_dir)
    values = ("someone@example.org", "198.51.100.7", "07700 900123")
    bad = build_published(
        warehouse_template,
        tmp_path / "bad" / "warehouse.duckdb",
        extra_sql="insert into marts.lead_agency (lead_agency, projects) values "
        + ", ".join(f"('Led by {value}', 1)" for value in values),
    )
    with pytest.raises(ExportError, match="personal data") as raised:
        export(bad, exports_dir, run_id="bad-run-0002")
    message = str(raised.value)
    for kind in ("an email address", "an IPv4 address", "a phone number"):
        assert re.search(rf"lead_agency\.csv line \d+: {kind}", message), kind
    assert not any(value in message for value in values), "the error must not leak the value"
    assert (exports_dir / "latest").resolve() == first.run_dir.resolve()
    assert [p.name for p in (exports_dir / "runs").iterdir()] == [first.run_dir.name]


# --- switching runs ----------------------------------------------------------------------


def test_a_failure_halfway_leaves_latest_on_the_previous_run_unchanged(
    published, exports_dir, monkeypatch
):
    first = export(published, exports_dir)
    before = tree_hashes(exports_dir / "latest")
    copied = []
    real_copy = marts_module.copy_table

    def copy_then_fail(con, table, out_dir):
        if len(copied) == 6:  # half of the 13 marts written, then the disk "fills up"
            raise OSError(28, "No space left on device")
        copied.append(table)
        real_copy(con, table, out_dir)

    monkeypatch.setattr(marts_module, "copy_table", copy_then_fail)
    with pytest.raises(OSError, match="No space"):
        export(published, exports_dir, run_id="second-run")
    assert len(copied) == 6
    assert os.readlink(exports_dir / "latest") == f"runs/{first.run_dir.name}"
    assert tree_hashes(exports_dir / "latest") == before
    leftovers = [p.name for p in (exports_dir / "runs").iterdir()] + [
        p.name for p in exports_dir.iterdir() if p.name.startswith(".")
    ]
    assert leftovers == [first.run_dir.name], "the partial folder must be removed"


def test_a_publish_during_the_export_makes_it_fail_rather_than_mix_two_files(
    published, exports_dir, monkeypatch
):
    from orchestration.publish.exports import workbook

    first = export(published, exports_dir)
    real_write = workbook.write_workbook

    def publish_meanwhile(*args, **kwargs):
        copy = published.with_name("next.duckdb")
        shutil.copy(published, copy)
        os.replace(copy, published)  # what publish() does
        real_write(*args, **kwargs)

    monkeypatch.setattr(workbook, "write_workbook", publish_meanwhile)
    with pytest.raises(ExportError, match="replaced during the export"):
        export(published, exports_dir, run_id="second-run")
    assert (exports_dir / "latest").resolve() == first.run_dir.resolve()
    assert [p.name for p in (exports_dir / "runs").iterdir()] == [first.run_dir.name]


def test_latest_is_a_relative_symlink_and_older_runs_are_pruned(published, exports_dir):
    results = [export(published, exports_dir, run_id=f"run{i:05d}", keep=2) for i in range(3)]
    assert sorted(p.name for p in (exports_dir / "runs").iterdir()) == sorted(
        r.run_dir.name for r in results[1:]
    )
    assert (exports_dir / "latest").is_symlink()
    assert os.readlink(exports_dir / "latest") == f"runs/{results[-1].run_dir.name}"
    assert results[-1].pruned == [results[0].run_dir]


def fake_runs(exports_dir: Path, count: int) -> list[Path]:
    runs = [exports_dir / "runs" / f"20260101T0000{i:02d}Z_run{i:05d}" for i in range(count)]
    for run in runs:
        run.mkdir(parents=True)
        (run / "manifest.json").write_text("{}")
    return runs


def test_by_default_the_last_five_runs_are_kept(exports_dir):
    runs = fake_runs(exports_dir, 8)
    switch.switch_latest(exports_dir, runs[-1])
    removed = switch.prune(exports_dir)
    assert removed == runs[:3]
    assert sorted((exports_dir / "runs").iterdir()) == runs[3:]


def test_pruning_never_deletes_the_run_latest_points_at(exports_dir):
    runs = fake_runs(exports_dir, 3)
    switch.switch_latest(exports_dir, runs[0])  # an operator rolled back to the oldest run
    assert switch.prune(exports_dir, keep=1) == [runs[1]]
    assert runs[0].is_dir() and runs[2].is_dir()


def test_a_reader_of_latest_never_sees_two_runs_mixed(published, exports_dir):
    """A reader resolving `latest` while runs are switched in finds one complete run."""
    export(published, exports_dir, run_id="run00000")
    stop, problems, reads = threading.Event(), [], [0]

    def reader():
        while not stop.is_set():
            run = Path(os.path.realpath(exports_dir / "latest"))
            manifest = json.loads((run / "manifest.json").read_text())
            for entry in manifest["files"]:
                data = (run / entry["path"]).read_bytes()
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    problems.append(f"{run.name}/{entry['path']}")
            reads[0] += 1
            time.sleep(0.005)  # leave the exporting thread its share of the GIL

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(1, 3):
            export(published, exports_dir, run_id=f"run{i:05d}")
    finally:
        stop.set()
        thread.join()
    assert problems == [] and reads[0] > 0


def test_a_latest_that_is_not_a_symlink_is_refused(published, exports_dir):
    (exports_dir / "latest").mkdir(parents=True)
    with pytest.raises(ExportError, match="not a symlink"):
        export(published, exports_dir)
    assert list((exports_dir / "runs").iterdir()) == []


# --- the SQL prompt ------------------------------------------------------------------------


def run_sql(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PHC_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "sql", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
    )


def cells(table: str) -> list[str]:
    """The cells of a table printed by DuckDB's box renderer."""
    return [cell.strip() for line in table.splitlines() for cell in line.split("│")]


def test_sql_prints_a_query_result(published):
    done = run_sql(published.parent.parent, "select count(*) as n from marts.area_of_work")
    assert done.returncode == 0, done.stderr
    assert "24" in cells(done.stdout)


def test_sql_without_a_published_file_fails_clearly(tmp_path):
    done = run_sql(tmp_path / "empty", "-c", "select 1")
    assert done.returncode == 2
    assert "make run" in done.stderr and "no published warehouse" in done.stderr


def test_sql_errors_exit_non_zero_and_writes_are_refused(published):
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    bad = run_sql(published.parent.parent, "select * from marts.no_such_table")
    assert bad.returncode == 1 and "no_such_table" in bad.stderr
    write = run_sql(published.parent.parent, "-c", "drop table marts.funding")
    assert write.returncode == 1 and "read-only" in write.stderr.lower()
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before


def test_sql_prompt_runs_multi_line_statements_and_dot_commands(published):
    script = (
        ".tables\n.schema marts.funding\nselect area\n  from marts.area_of_work\n"
        "  where total = 72;\n"
    )
    done = run_sql(published.parent.parent, stdin=script)
    assert done.returncode == 0, done.stderr
    assert "marts.area_of_work_by_survey" in done.stdout  # .tables
    assert "funding_source" in done.stdout  # .schema
    assert "Mental health" in done.stdout  # the statement spanning three lines


# --- the real thing ------------------------------------------------------------------------


def _text_of(path: Path) -> str:
    """What a reader of the file sees, read without the exports' own scanner."""
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        return "\n".join(
            str(v)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    if path.suffix == ".parquet":
        with duckdb.connect() as con:
            return repr(con.read_parquet(str(path)).fetchall())
    return path.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.slow
def test_reference_data_end_to_end(tmp_path_factory, reference_refresh):
    from orchestration.publish.warehouse_copy import publish
    from orchestration.runtime.settings import Settings
    from tests.support.warehouse import copy_warehouse

    data = copy_warehouse(reference_refresh, tmp_path_factory.mktemp("exports_ref") / "data")
    settings = Settings.from_env({"PHC_DATA_DIR": str(data)})
    publish(settings.warehouse_path, settings.published_path)
    shutil.rmtree(settings.exports_dir, ignore_errors=True)  # only what this test writes
    result = write_exports(settings.published_path, settings.exports_dir, "slowtest-1", "ref")

    done = run_sql(data, "select count(*) from marts.area_of_work")
    assert done.returncode == 0 and "24" in cells(done.stdout), done.stdout + done.stderr

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        personal = sorted(
            {
                v
                for survey in ("police", "national")
                for column in ('"IP Address"', '"Q3. Name"', '"Q3. Phone number"', '"Q3. Email"')
                for (v,) in con.execute(
                    f"select distinct trim({column}) from raw.{survey}_responses "
                    f"where length(trim({column})) >= 4"
                ).fetchall()
            }
        )
    assert len(personal) > 100, "the reference extracts hold names, emails, phones and IPs"
    files = sorted(p for p in result.run_dir.rglob("*") if p.is_file())
    texts = {p: _text_of(p) for p in files}  # each file read once, not once per value
    leaks = [
        f"{p.relative_to(result.run_dir)}"
        for p, text in texts.items()
        if any(value in text for value in personal)
    ]
    assert leaks == []
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        text = ""
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall():
            text += repr(con.execute(f"select * from marts.{table}").fetchall())
    assert [v for v in personal if v in text] == []

    page = _Cells()
    profile = tmp_path_factory.mktemp("chrome")
    if CHROMIUM.exists():
        page.feed(chromium_dom((result.run_dir / "report.html").resolve(), profile))
        assert page.tables["Table 1"][1] == ["Mental health", "17", "43", "12", "72"]
        assert page.badges["mismatch"] == "mismatch: 0"
