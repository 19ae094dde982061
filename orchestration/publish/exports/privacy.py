"""The last gate before a run is switched in: no email, IP address or phone number in any file.

The published marts hold none, but a bug in a mart or an export step could still leak one, and
exports travel further than the warehouse. Every file is read the way its readers would read it
(text, cells, Parquet values, PNG text chunks); a file type without a reader is refused, so a
new kind of export cannot slip past unscanned. Findings name the file and the kind of data,
never the value itself (the error message must not leak it either). What counts as personal
data is `orchestration.domain.privacy`'s rule.

Text and Parquet files are read by DuckDB, which picks the lines and rows that could hold
personal data (`SQL_CANDIDATE`, a superset of the rule's patterns; set-based, so a mart of a
million rows costs a scan, not a million Python calls); only those are confirmed in Python.
"""

from __future__ import annotations

import html
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.domain.privacy import SQL_CANDIDATE, personal_data_kinds
from orchestration.runtime.sql_text import quote_ident

# A line or row worth confirming: a candidate, or an HTML character reference (`&#64;` is an @
# to a reader of the page, so the line is confirmed after unescaping).
_CANDIDATE_OR_ESCAPED = f"{SQL_CANDIDATE}|&"
# The line breaks of Python's str.splitlines, so line numbers are what an editor shows.
_LINE_BREAK = r"\r\n|[\n\r\x{0b}\x{0c}\x{1c}\x{1d}\x{1e}\x{85}\x{2028}\x{2029}]"


def _candidate_lines(
    path: Path, con: duckdb.DuckDBPyConnection, pattern: str
) -> Iterator[tuple[int, str]]:
    """(line number, line) of the file's lines matching `pattern`, in order, in batches."""
    candidates = con.execute(
        """
        with file_lines as (
            select regexp_split_to_array(content, $line_break) as lines
            from read_text($path)
        ),
        numbered as (
            select unnest(lines) as line, generate_subscripts(lines, 1) as number
            from file_lines
        )
        select number, line from numbered
        where regexp_matches(line, $candidate)
        order by number
        """,
        {"path": str(path), "line_break": _LINE_BREAK, "candidate": pattern},
    )
    while batch := candidates.fetchmany(10_000):
        yield from batch


def _text_lines(path: Path, con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    """The lines of a CSV or JSON file that could hold personal data, as they are."""
    for number, line in _candidate_lines(path, con, SQL_CANDIDATE):
        yield f"line {number}", line


def _markup_lines(path: Path, con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    """The lines of an HTML or SVG file that could hold personal data, unescaped as a browser
    would. (Only markup: in a CSV, `&#64;` is those five characters, and every answer naming
    "Health & Justice" would be a candidate: 59,000 lines of a 1M-respondent export.)"""
    for number, line in _candidate_lines(path, con, _CANDIDATE_OR_ESCAPED):
        yield f"line {number}", html.unescape(line)


def _xlsx_parts(path: Path, _con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                yield name, html.unescape(archive.read(name).decode("utf-8"))


def _parquet_values(path: Path, con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    """The column names, then the rows that could hold personal data (values cast to text)."""
    columns = con.read_parquet(str(path)).columns
    yield "column names", " | ".join(columns)
    as_text = ", ".join(f"coalesce(cast({quote_ident(c)} as varchar), '')" for c in columns)
    candidates = con.execute(
        f"""
        with numbered as (
            select file_row_number + 1 as number, concat_ws(' | ', {as_text}) as row_text
            from read_parquet($path, file_row_number = true)
        )
        select number, row_text from numbered
        where regexp_matches(row_text, $candidate)
        order by number
        """,
        {"path": str(path), "candidate": SQL_CANDIDATE},
    )
    while batch := candidates.fetchmany(10_000):
        for number, row_text in batch:
            yield f"row {number}", row_text


def _png_text(path: Path, _con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    data = path.read_bytes()
    position = 8  # after the signature
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind in (b"tEXt", b"iTXt"):
            yield kind.decode(), body.replace(b"\0", b" ").decode("latin-1")
        elif kind == b"zTXt":
            keyword, _, rest = body.partition(b"\0")
            yield (
                kind.decode(),
                keyword.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"),
            )
        position += 12 + length


READERS = {
    ".csv": _text_lines,
    ".html": _markup_lines,
    ".svg": _markup_lines,
    ".json": _text_lines,
    ".xlsx": _xlsx_parts,
    ".parquet": _parquet_values,
    ".png": _png_text,
}


def _without(text: str, allowed: tuple[str, ...]) -> str:
    for value in allowed:
        if value:
            text = text.replace(value, " ")
    return text


def scan_file(
    path: Path,
    label: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    allowed: tuple[str, ...] = (),
) -> list[str]:
    """Findings for one file, like 'report.html line 3: an email address'.

    `allowed`: exact texts the file may carry (the release contact the operator configured,
    PHC_RELEASE_CONTACT); only those texts are passed over, anything else is still found.
    """
    label = label or path.name
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return [f"{label}: no personal-data scanner for {path.suffix or 'extensionless'} files"]
    if con is None:
        with duckdb.connect() as own:
            return scan_file(path, label, own, allowed)
    return [
        f"{label} {where}: {kind}"
        for where, text in reader(path, con)
        for kind in sorted(personal_data_kinds(_without(text, allowed)))
    ]


def scan_tree(root: Path, skip: tuple[str, ...] = (), allowed: tuple[str, ...] = ()) -> list[str]:
    """Findings for every file under `root` (but the `skip` subfolders), by relative path."""
    findings = []
    with duckdb.connect() as con:  # one in-memory connection reads every Parquet file
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            label = path.relative_to(root).as_posix()
            if not label.startswith(tuple(f"{s}/" for s in skip)):
                findings.extend(scan_file(path, label, con, allowed))
    return findings
