"""The generator's literal tables live in data files beside the code, in tables/.

Loaded here into exactly the Python values the generator draws from: every JSON list becomes a
tuple (the draws consume the random stream the same way whatever the container, but equality,
hashing and `in` then behave as they always did), numbers stay numbers, and order is the file's.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

TABLES_DIR = Path(__file__).resolve().parent / "tables"


def frozen(value: Any) -> Any:
    """Lists to tuples, recursively; dicts keep their (file) order."""
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: frozen(v) for k, v in value.items()}
    return value


def read_json(name: str) -> Any:
    with (TABLES_DIR / name).open(encoding="utf-8") as fh:
        return frozen(json.load(fh))


def read_csv(name: str) -> tuple[dict[str, str], ...]:
    with (TABLES_DIR / name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))
