"""Content hashes: the identity of a delivered file, an archived copy or a published file."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20  # 1 MiB: C-speed hashing and decoding, flat memory for any file size


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashing(
    source: Path, sink: BinaryIO | None, check_utf8: bool
) -> tuple[str, int, str | None]:
    """One pass over `source`: its sha256 and size, a copy into `sink`, and (for CSV) where
    the first byte sequence that is not UTF-8 is (None when it all decodes)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")() if check_utf8 else None
    size, line, error = 0, 1, None
    with source.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            if sink is not None:
                sink.write(chunk)
            if decoder is not None and error is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    line += chunk.count(b"\n", 0, exc.start)
                    error = (
                        f"line {line} (byte {size + exc.start}) holds bytes "
                        f"{chunk[exc.start : exc.end]!r} that are not UTF-8"
                    )
                else:
                    line += chunk.count(b"\n")
            size += len(chunk)
    if decoder is not None and error is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            error = f"the file ends in the middle of a UTF-8 character (byte {size})"
    return digest.hexdigest(), size, error
