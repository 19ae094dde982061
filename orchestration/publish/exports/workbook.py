"""report_tables.xlsx to the Government Analysis Function's spreadsheet guidance, with `gptables`.

The Office for National Statistics' `gptables` writes the parts the guidance asks for: a cover
sheet (title, what the workbook holds, the key findings, source, release details, contact), a
table of contents, a notes sheet, and one table per sheet: its title in A1, a few lines that
say how to read it, then the table itself, marked as an Excel table, with units and note
markers in the column headers, no merged cells and no blank rows or cells (an empty cell says
why: [z] not applicable, [x] not available). Heading rows of a report table become leading
columns here (the guidance has no subheadings inside a table).

What `gptables` leaves to the XlsxWriter worksheets it exposes, done here before the file is
closed: every sheet prints one page wide (A4, landscape when wide), repeating the table's
header row on every page, the sheet name and page number in the margins; column widths and
row heights computed from the text, so wrapped headers and long text show whole in any
spreadsheet program (LibreOffice, unlike Excel, does not grow rows to fit on opening); the
document properties.
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil
from pathlib import Path
from typing import Any

import gptables as gpt
import pandas as pd
from xlsxwriter.utility import cell_autofit_width

from orchestration.publish.exports.findings import Finding
from orchestration.publish.exports.provenance import SOURCE_EXPORT_COLUMNS, Provenance
from orchestration.publish.exports.report_tables import (
    HEADING_STYLES,
    MARKER_MEANINGS,
    NOT_AVAILABLE,
    ReportTable,
)

WORKBOOK_TITLE = "Policing and health collaboration in England and Wales: survey tables"
REPORT = (
    "Public Health England (2018), Policing and Health Collaboration in England and Wales: "
    "landscape review"
)
COVER_LABEL, CONTENTS_LABEL, NOTES_LABEL, PROVENANCE_LABEL = (
    "Cover",
    "Contents",
    "Notes",
    "Provenance",
)
CONTENTS_COLUMNS = ("Worksheet", "What it holds")
NOTES_COLUMNS = ("Note number", "Note text", "Applies to")
NUMBER_FORMATS = {"int": "#,##0", "pct": "0.0"}
SOURCE_EXPORT_HEADERS = {
    "survey": "Survey",
    "file_name": "File",
    "exported_at": "Exported at",
    "sha256": "SHA-256",
    "row_count": "Rows",
    "loaded_at": "Loaded at",
    "is_current": "Current export",
}

# Layout, in pixels and points, for gptables' theme (Arial 12, titles 16 bold, subtitles 14).
TEXT, SUBTITLE, TITLE = 12, 14, 16
LINE_POINTS = {TEXT: 15.75, SUBTITLE: 18.0, TITLE: 21.0}
MIN_COLUMN, MAX_COLUMN, PADDING = 64, 380, 14
COVER_CHARACTERS = 100  # the cover's one column, in characters (gptables' Cover.width)
PORTRAIT_UP_TO = 600  # pixels of columns that fit an A4 portrait page at a readable scale
A4 = 9  # XlsxWriter's paper code


def _theme() -> gpt.Theme:
    """gptables' own theme, with wrapped text at the top of its row (the row may be taller)."""
    theme = copy.deepcopy(gpt.gptheme)
    theme.update_cover_text_format({"valign": "top"})
    theme.update_data_format({"valign": "top"})
    return theme


def _pixels(text: Any, size: int = TEXT, bold: bool = False) -> int:
    """The width of the longest line of `text`, as XlsxWriter measures it, at a font size."""
    scale = size / 11 * (1.1 if bold else 1.0)
    return max(
        (ceil(cell_autofit_width(line) * scale) for line in _shown(text).split("\n")),
        default=0,
    )


def _lines(text: Any, width: int, size: int = TEXT, bold: bool = False) -> int:
    """How many lines `text` wraps to in a column `width` pixels wide."""
    usable = max(1, width - PADDING)
    return sum(
        max(1, ceil(_pixels(line, size, bold) / usable)) for line in _shown(text).split("\n")
    )


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


@dataclass
class _Sheet:
    """One table sheet: its gptables table and what the layout needs to know of it."""

    label: str
    table: gpt.GPTable | None  # None: a sheet gptables makes itself (contents, notes)
    header_row: int  # 0-based row of the column headers
    headers: list[str]  # as shown: with units and a note marker's room
    rows: list[list[Any]]
    above: list[tuple[str, int, bool]] = field(default_factory=list)  # text, size, bold
    widths: list[int] = field(default_factory=list)  # pixels, set by _fit
    max_width: int = MAX_COLUMN  # pixels: longer text wraps


def _cell(value: Any, fmt: str, marker: str) -> Any:
    if value is None:
        return marker
    if fmt == "pct":
        # A number in a column headed (%), as the guidance asks; rounded past float noise.
        return round(float(value) * 100, 6)
    if fmt == "text":
        return str(value)
    return value


def _flatten(table: ReportTable) -> tuple[list[str], list[list[Any]], list[int]]:
    """Heading rows become leading columns; returns headers, rows and the total rows' indexes."""
    levels = len(table.group_columns)
    groups: list[Any] = [table.empty_marker] * levels
    rows: list[list[Any]] = []
    totals: list[int] = []
    for index, row in enumerate(table.rows):
        style = table.style(index)
        if style in HEADING_STYLES:
            level = HEADING_STYLES.index(style)
            if level < levels:
                groups[level] = str(row[0])
                groups[level + 1 :] = [table.empty_marker] * (levels - level - 1)
            continue
        if style == "total":
            totals.append(len(rows))
        cells = [_cell(v, f, table.empty_marker) for v, f in zip(row, table.formats, strict=True)]
        rows.append([*groups, *cells])
    headers = [*table.group_columns, *table.columns]
    if not rows:  # the guidance has no empty tables: say that there is nothing
        rows = [["None", *[table.empty_marker] * (len(headers) - 1)]]
    return headers, rows, totals


def _note_key(table: ReportTable, index: int) -> str:
    return f"{table.key.lower().replace(' ', '_')}_{index}"


def _description(gptable: gpt.GPTable) -> list[tuple[str, int, bool]]:
    """The lines gptables writes above a table: title, subtitles, instructions, legend, source."""
    title = gptable.title if isinstance(gptable.title, str) else gptable.title.string
    lines = [(title.replace("$$", " ") + " [note 99]", TITLE, True)]
    lines += [(str(s), SUBTITLE, False) for s in gptable.subtitles]
    lines += [(str(gptable.instructions), TEXT, False)]
    lines += [(str(s), TEXT, False) for s in gptable.legend]
    if gptable.source:
        lines.append((str(gptable.source), TEXT, False))
    return lines


def _table_sheet(table: ReportTable, notes: list[tuple[str, str, str]]) -> _Sheet:
    headers, rows, totals = _flatten(table)
    offset = len(table.group_columns)
    keys: dict[str, str] = {}  # note text -> reference: a note said once per table

    def reference(note: str, where: str) -> str:
        if note not in keys:
            keys[note] = _note_key(table, len(keys) + 1)
            notes.append((keys[note], note, where))
        return f"$${keys[note]}$$"

    markers = "".join(reference(note, table.key) for note in table.notes)
    title = f"{table.title} {markers}" if markers else table.title
    column_notes: dict[int, str] = {}
    for column, note in sorted(table.column_notes):  # numbered left to right
        shared = sum(1 for _, n in table.column_notes if n == note) > 1
        where = table.key if shared else f"{table.key}, column {table.columns[column]}"
        column_notes[offset + column] = column_notes.get(offset + column, "") + reference(
            note, where
        )
    units = {
        offset + col: unit
        for col in range(len(table.columns))
        if (unit := table.unit(col)) is not None
    }
    formatting: list[dict[str, Any]] = []
    for col, fmt in enumerate((*("text",) * offset, *table.formats)):
        # Numbers right-aligned with their headers, text left (set here: gptables infers it
        # from the column's values and is thrown by a note marker in a header).
        style: dict[str, Any] = {"align": "left" if fmt == "text" else "right"}
        if fmt in NUMBER_FORMATS:
            style["num_format"] = NUMBER_FORMATS[fmt]
        if col - offset in table.bold_columns:
            style["bold"] = True
        formatting.append({"column": {"columns": [col], "format": style, "include_names": True}})
    if totals:
        formatting.append({"row": {"rows": [t + 1 for t in totals], "format": {"bold": True}}})
    used = [m for m in MARKER_MEANINGS if any(m in row for row in rows)]
    has_notes = bool(table.notes or table.column_notes)
    gptable = gpt.GPTable(
        table=pd.DataFrame(rows, columns=headers),
        table_name=table.key.replace(" ", "_"),
        title=title,
        instructions="This worksheet contains one table."
        + (" Note markers such as [note 1] refer to the Notes worksheet." if has_notes else ""),
        legend=[f"{marker} = {MARKER_MEANINGS[marker]}" for marker in used],
        source=f"Source: {table.source}, in the published warehouse",
        units=units or None,
        table_notes=column_notes or None,
        index_columns={},
        additional_formatting=formatting,
    )
    shown = [
        header
        + (f"\n({units[col]})" if col in units else "")
        + ("\n[note 99]" if col in column_notes else "")
        for col, header in enumerate(headers)
    ]
    return _Sheet(table.key, gptable, gptable.data_range[0], shown, rows, _description(gptable))


def _provenance_sheet(provenance: Provenance) -> _Sheet:
    summary = [f"{label}: {value}" for label, value in provenance.summary()]
    if provenance.source_exports is None:
        headers = ["Item", "Value"]
        rows = [[label, value] for label, value in provenance.summary()]
        summary = [
            "marts.source_exports is not in the published file: which survey exports produced "
            "these tables is not known."
        ]
    else:
        headers = [SOURCE_EXPORT_HEADERS[c] for c in SOURCE_EXPORT_COLUMNS]
        rows = [[_provenance_value(v) for v in values] for values in provenance.source_exports]
        if not rows:
            rows = [["None", *[NOT_AVAILABLE] * (len(headers) - 1)]]
    gptable = gpt.GPTable(
        table=pd.DataFrame(rows, columns=headers),
        table_name="Provenance",
        title="Provenance: what produced these tables",
        subtitles=summary,
        instructions="This worksheet contains one table: the survey exports the figures "
        "come from, with their SHA-256 hashes.",
        source="Source: marts.source_exports, in the published warehouse",
        index_columns={},
    )
    sheet = _Sheet(
        PROVENANCE_LABEL, gptable, gptable.data_range[0], headers, rows, _description(gptable)
    )
    sheet.max_width = _pixels("0" * 66)  # a SHA-256 on one line
    return sheet


def _provenance_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")  # Excel has no time zones: ISO text, as stored
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return NOT_AVAILABLE if value is None else value


def _cover(
    findings: list[Finding],
    provenance: Provenance,
    reconciliation: dict[str, int],
    contact: str,
) -> gpt.Cover:
    summary = "; ".join(f"{status}: {n}" for status, n in reconciliation.items())
    intro: list[Any] = [
        "This workbook reproduces the tables of the 2018 landscape review of policing and "
        "health collaboration from the survey's respondent-level answers, one table per "
        "worksheet. The Contents worksheet lists them; the Notes worksheet holds the notes "
        "that column headers and titles refer to as [note 1], [note 2], ...",
        [{"bold": True}, "Key findings"],
        "Computed from the published warehouse by wording templates, each with the figure it "
        "rests on and the worksheet to check it in.",
        *(f"{f.text} Figure: {f.figure}. See worksheet: {f.table}." for f in findings),
    ]
    about = [
        [{"bold": True}, "Source"],
        "Survey of police forces, offices of police and crime commissioners and "
        f"regional/national organisations, 2017, as analysed in: {REPORT}.",
        [{"bold": True}, "Release details"],
        f"Produced (UTC): {provenance.generated_at}",
        f"Code version: {provenance.code_version}; run: {provenance.run_id}",
        f"Published warehouse file: {provenance.published_file}, SHA-256 "
        f"{provenance.published_sha256}",
        f"Reconciliation with the published report's figures: {summary}. The Reconciliation "
        "worksheet lists every figure that differs, and why.",
        "Status: produced automatically by the warehouse; an analyst reviews and signs it off "
        "before release (README, 'Releasing the tables').",
        [{"bold": True}, "Units, notes and shorthand"],
        "Units are given in round brackets in the column headers: (number) for counts, (%) "
        "for percentages. Note markers are in square brackets, [note 1]. A cell with no value "
        "says why: [z] not applicable, [x] not available.",
    ]
    return gpt.Cover(
        title=WORKBOOK_TITLE,
        intro=intro,
        about=about,
        contact=[contact],
        cover_label=COVER_LABEL,
        width=COVER_CHARACTERS,
    )


def _cover_rows(cover: gpt.Cover) -> list[tuple[str, int]]:
    """The cover's rows as gptables writes them: text and font size."""
    rows = [(cover.title, TITLE)]
    for heading, lines in (
        ("Introductory information", cover.intro),
        ("About these data", cover.about),
        ("Contact", cover.contact),
    ):
        if lines is not None:
            rows.append((heading, SUBTITLE))
            rows.extend((getattr(line, "string", line), TEXT) for line in lines)
    return rows


def _fit(sheet: _Sheet) -> None:
    """Column widths from the text, the first column wide enough for the lines above it."""
    widths = []
    for col, header in enumerate(sheet.headers):
        longest = max([_pixels(header, bold=True), *(_pixels(row[col]) for row in sheet.rows)])
        widths.append(min(sheet.max_width, max(MIN_COLUMN, longest + PADDING)))
    # The title and notes above the table print only over the table's own columns.
    needed = max((_pixels(text, size, bold) for text, size, bold in sheet.above), default=0)
    if sum(widths) < needed + PADDING:
        widths[0] += needed + PADDING - sum(widths)
    sheet.widths = widths


def _layout(worksheet: Any, sheet: _Sheet) -> None:
    """Column widths and the heights of rows whose text wraps."""
    for col, width in enumerate(sheet.widths):
        worksheet.set_column_pixels(col, col, width)
    for offset, row in enumerate([sheet.headers, *sheet.rows]):
        lines = max(
            _lines(value, width, bold=offset == 0)
            for value, width in zip(row, sheet.widths, strict=True)
        )
        if lines > 1:
            worksheet.set_row(sheet.header_row + offset, lines * LINE_POINTS[TEXT] + 2)


def _layout_cover(worksheet: Any, cover: gpt.Cover) -> None:
    width = cell_autofit_width("0" * COVER_CHARACTERS)
    for row, (text, size) in enumerate(_cover_rows(cover)):
        lines = _lines(text, width, size, bold=size > TEXT)
        if lines > 1:
            worksheet.set_row(row, lines * LINE_POINTS[size] + 2)


def _print_setup(worksheet: Any, width: int, header_row: int | None) -> None:
    """One page wide, A4, the sheet name and page number on every page."""
    worksheet.set_paper(A4)
    worksheet.fit_to_pages(1, 0)  # 1 page wide, as many tall as it takes
    if width > PORTRAIT_UP_TO:
        worksheet.set_landscape()
    else:
        worksheet.set_portrait()
    worksheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    worksheet.set_header("&L&A")
    worksheet.set_footer("&RPage &P of &N")
    if header_row is not None:
        worksheet.repeat_rows(header_row)


def write_workbook(
    path: Path,
    tables: list[ReportTable],
    provenance: Provenance,
    generated: datetime,
    *,
    findings: list[Finding],
    reconciliation: dict[str, int],
    contact: str,
) -> None:
    notes: list[tuple[str, str, str]] = []
    sheets = [_table_sheet(table, notes) for table in tables]
    sheets.append(_provenance_sheet(provenance))
    cover = _cover(findings, provenance, reconciliation, contact)
    with warnings.catch_warnings():
        # gptables warns about empty cells (ours say why: [z], [x]), and pandas 3 warns
        # about gptables' own use of it: neither is news to whoever reads the log.
        warnings.simplefilter("ignore", UserWarning)
        warnings.filterwarnings("ignore", module=r"gptables\.")
        book = gpt.produce_workbook(
            filename=str(path),
            sheets={sheet.label: sheet.table for sheet in sheets},
            theme=_theme(),
            cover=cover,
            contentsheet_label=CONTENTS_LABEL,
            contentsheet_options={"title": "Table of contents", "column_names": CONTENTS_COLUMNS},
            notes_table=pd.DataFrame(notes, columns=["Note reference", *NOTES_COLUMNS[1:]]),
            notesheet_label=NOTES_LABEL,
            notesheet_options={"title": "Notes"},
            auto_width=False,
            gridlines="hide_all",
        )
    # The two sheets gptables made itself, with their rows in its order (notes are numbered in
    # the order they are referred to: sheet by sheet, title first, then columns left to right,
    # which is the order `notes` was filled in).
    contents = _Sheet(
        CONTENTS_LABEL,
        None,
        2,  # title, instructions
        list(CONTENTS_COLUMNS),
        [[s.label, s.above[0][0].replace(" [note 99]", "")] for s in sheets],
        [("Table of contents", TITLE, True)],
    )
    notes_sheet = _Sheet(
        NOTES_LABEL,
        None,
        2,
        list(NOTES_COLUMNS),
        [[n, text, where] for n, (_, text, where) in enumerate(notes, start=1)],
        [("Notes", TITLE, True)],
    )
    by_label = {s.label: s for s in (*sheets, contents, notes_sheet)}
    for sheet in by_label.values():
        _fit(sheet)
    for worksheet in book.worksheets():
        sheet = by_label.get(worksheet.get_name())
        if sheet is None:  # the cover: one column of wrapped text
            _layout_cover(worksheet, cover)
            _print_setup(worksheet, cell_autofit_width("0" * COVER_CHARACTERS), None)
            continue
        _layout(worksheet, sheet)
        _print_setup(worksheet, sum(sheet.widths), sheet.header_row)
    book.set_properties(
        {
            "title": WORKBOOK_TITLE,
            "subject": "Tables of the 2018 landscape review, reproduced from the survey data",
            "author": "phc-warehouse exports",
            "comments": f"Code version {provenance.code_version}, run {provenance.run_id}",
            "created": generated.replace(tzinfo=None),
        }
    )
    book.close()
