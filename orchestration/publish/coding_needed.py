"""One `coding_needed` alert when a publish leaves NEW answers in the coding queue.

The answers already told are remembered (PHC_DATA_DIR/alerts/coding_queue_alerted.json: a hash
of each queued answer's key, text and reason), so the same queue never alerts twice; an answer
that comes back for another reason (its text changed since an analyst coded it) is new.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb

from orchestration.runtime.alerts import Alert, send_alert
from orchestration.runtime.settings import Settings


def _queued(published_path: Path) -> dict[str, tuple]:
    with duckdb.connect(str(published_path), read_only=True) as con:
        rows = con.execute(
            "select wave, survey, response_id, question_key, answer, queue_reason "
            "from marts.coding_queue order by all"
        ).fetchall()
    return {hashlib.sha256(json.dumps(row, default=str).encode()).hexdigest(): row for row in rows}


def _already_told(path: Path) -> set[str]:
    try:
        return set(json.loads(path.read_text())["alerted"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def alert_new_queued_answers(settings: Settings, published_path: Path, run_id: str | None) -> int:
    """Send one alert if the queue holds answers not alerted before; returns how many are new."""
    queued = _queued(published_path)
    told = _already_told(settings.coding_alerted_path)
    new = [row for key, row in queued.items() if key not in told]
    if new:
        per_question: dict[str, int] = {}
        for row in new:
            per_question[row[3]] = per_question.get(row[3], 0) + 1
        workbook = settings.exports_latest / "coding_workbook.xlsx"
        send_alert(
            Alert(
                kind="coding_needed",
                title=f"{len(new)} new answer(s) await coding ({len(queued)} in the queue)",
                what_broke=f"The refresh left {len(new)} answer(s) no rule could code ("
                + ", ".join(f"{q}: {n}" for q, n in sorted(per_question.items()))
                + "). The coded tables count them as awaiting coding, not in any category.",
                where="marts.coding_queue",
                what_to_do=f"Code them in {workbook} (a category and a coder on each row) and "
                f"put the workbook in the coding folder {settings.coding_dir}; the next refresh "
                "applies it.",
                failing_values=[
                    {"question": row[3], "survey": row[1], "response_id": row[2], "problem": row[5]}
                    for row in new
                ],
                run_id=run_id,
                incident_key="coding_needed:"
                + hashlib.sha256("".join(sorted(queued)).encode()).hexdigest()[:16],
            ),
            settings,
        )
    remembered = sorted(told | set(queued))
    settings.alerts_dir.mkdir(parents=True, exist_ok=True)
    temp = settings.coding_alerted_path.with_suffix(".tmp")
    temp.write_text(json.dumps({"alerted": remembered}))
    os.replace(temp, settings.coding_alerted_path)
    return len(new)
