"""Pause points for fault tests: where a refresh can be killed inside a critical section.

`PHC_PAUSE_AT=publish` (a comma-separated list of points) makes the refresh write
`PHC_DATA_DIR/.paused-<point>` and wait there `PHC_PAUSE_SECONDS` (default 60), or until the
test removes that file, so a test can look at the data folder, or kill the real process, at
exactly that moment (one refresh can pause at several points in turn). Unset (always, outside
tests) it does nothing.
"""

from __future__ import annotations

import os
import time

from orchestration.runtime.settings import Settings


def pause_point(name: str) -> None:
    points = os.environ.get("PHC_PAUSE_AT", "")
    if name not in {point.strip() for point in points.split(",") if point.strip()}:
        return
    marker = Settings.from_env().pause_marker_path(name)
    marker.write_text(str(os.getpid()))
    deadline = time.monotonic() + float(os.environ.get("PHC_PAUSE_SECONDS", "60"))
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
