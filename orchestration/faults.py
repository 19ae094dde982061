"""Pause points for fault tests: where a refresh can be killed inside a critical section.

`PHC_PAUSE_AT=publish` (a comma-separated list of points) makes the refresh write
`PHC_DATA_DIR/.paused-<point>` and sleep `PHC_PAUSE_SECONDS` (default 60) there, so a test can
kill the real process at exactly that moment. Unset (always, outside tests) it does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause_point(name: str, data_dir: Path | None = None) -> None:
    points = os.environ.get("PHC_PAUSE_AT", "")
    if name not in {point.strip() for point in points.split(",") if point.strip()}:
        return
    if data_dir is None:
        from orchestration.config import Settings

        data_dir = Settings.from_env().data_dir
    (data_dir / f".paused-{name}").write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("PHC_PAUSE_SECONDS", "60")))
