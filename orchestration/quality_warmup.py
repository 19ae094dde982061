"""Import Great Expectations in the background while the ingest runs.

`import great_expectations` takes ~3 s of CPU, always paid by the contract checks that follow
the ingest. A large ingest spends its time inside DuckDB (1M respondents: ~15 s), which
releases the GIL, so the import costs nothing there. A small one does not, and the two threads
fighting over the GIL made a reference refresh ~3 s slower (measured), so the import starts
early only when the landing folder holds at least WARMUP_BYTES. The check step's own import
waits for this one (Python's import lock).
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

_started = threading.Event()


WARMUP_BYTES = 50_000_000  # ~100k respondents: an ingest of several seconds


def start_gx_import(landing_bytes: int) -> None:
    if landing_bytes < WARMUP_BYTES or _started.is_set():
        return
    _started.set()
    threading.Thread(target=_import_gx, name="gx-import", daemon=True).start()


def _import_gx() -> None:
    from orchestration.quality import _gx

    _gx()


def landing_bytes(landing_dir: Path) -> int:
    from orchestration.ingest.landing import discover

    total = 0
    for landed in discover(landing_dir):
        with contextlib.suppress(OSError):  # vanished: the ingest reports it
            total += landed.path.stat().st_size
    return total
