"""One streaming pass over a delivered file: content hash, size and UTF-8 check."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class FileInfo:
    sha256: str
    size_bytes: int
    utf8_error: str | None  # where the first invalid byte sequence is, for CSV files


def inspect_file(path: Path, check_utf8: bool) -> FileInfo:
    """Hash the bytes as delivered; for CSV also check they decode as UTF-8.

    Decoding in 1 MiB chunks is C speed and keeps memory flat for any file size.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")() if check_utf8 else None
    size = 0
    line = 1
    error = None
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            if decoder is not None and error is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad_at = size + exc.start
                    line += chunk.count(b"\n", 0, exc.start)
                    error = (
                        f"line {line} (byte {bad_at}) holds bytes {chunk[exc.start : exc.end]!r} "
                        "that are not UTF-8"
                    )
                else:
                    line += chunk.count(b"\n")
            size += len(chunk)
    if decoder is not None and error is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            error = f"the file ends in the middle of a UTF-8 character (byte {size})"
    return FileInfo(digest.hexdigest(), size, error)
