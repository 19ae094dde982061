"""Time the whole test suite (`make test-time`): runs pytest as `make test` does and writes
bench/results/make_test.json ({"seconds", "passed", "failed", "date", "cores", "load"}) for the
bench's table. The goal (issue 13): at most 5 minutes on 2 cores."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench" / "results" / "make_test.json"


def count(summary: str, word: str) -> int:
    found = re.search(rf"(\d+) {word}", summary)
    return int(found[1]) if found else 0


def main(argv: list[str]) -> int:
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *argv], cwd=ROOT, capture_output=True, text=True
    )
    seconds = round(time.monotonic() - started, 1)
    sys.stdout.write(done.stdout)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    result = {
        "seconds": seconds,
        "passed": count(summary, "passed"),
        "failed": count(summary, "failed") + count(summary, "error"),
        "skipped": count(summary, "skipped"),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "goal_seconds": 300,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"make test: {seconds:.0f}s, {result['passed']} passed -> {RESULT}")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
