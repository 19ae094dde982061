"""The last gate before a run is switched in: no email, IP address or phone number in any file.

The published marts hold none, but a bug in a mart or an export step could still leak one, and
exports travel further than the warehouse. Every file is read the way its readers would read it
(text, cells, Parquet values, PNG text chunks); a file type without a reader is refused, so a
new kind of export cannot slip past unscanned. Findings name the file and the kind of data,
never the value itself (the error message must not leak it either). What counts as personal
data is `orchestration.domain.privacy`'s rule.
"""

from __future__ import annotations

import html
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.domain.privacy import personal_data_kinds


def _text_lines(path: Path, _con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        yield f"line {number}", html.unescape(line)


def _xlsx_parts(path: Path, _con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                yield name, html.unescape(archive.read(name).decode("utf-8"))


def _parquet_values(path: Path, con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, str]]:
    relation = con.read_parquet(str(path))
    yield "column names", " | ".join(relation.columns)
    for index, row in enumerate(relation.fetchall(), start=1):
        yield f"row {index}", " | ".join("" if v is None else str(v) for v in row)


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
    ".html": _text_lines,
    ".svg": _text_lines,
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
