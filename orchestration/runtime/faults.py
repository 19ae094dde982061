"""Pause points for fault tests: where a refresh can be killed inside a critical section.

`PHC_PAUSE_AT=publish` (a comma-separated list of points) makes the refresh write
`PHC_DATA_DIR/.paused-<point>` and sleep `PHC_PAUSE_SECONDS` (default 60) there, so a test can
kill the real process at exactly that moment. Unset (always, outside tests) it does nothing.
"""

from __future__ import annotations

import os
import time

from orchestration.runtime.settings import Settings


def pause_point(name: str) -> None:
    points = os.environ.get("PHC_PAUSE_AT", "")
    if name not in {point.strip() for point in points.split(",") if point.strip()}:
        return
    Settings.from_env().pause_marker_path(name).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("PHC_PAUSE_SECONDS", "60")))
