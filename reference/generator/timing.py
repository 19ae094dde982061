"""Start and end times (weekdays, office-ish hours), Response IDs (one increasing platform-wide
sequence, so they rise with Started) and IP addresses from the documentation ranges."""

from __future__ import annotations

import datetime as dt

from reference.generator.pools import IP_PREFIXES
from reference.generator.respondents import Response
from reference.generator.settings import (
    FINAL_AT,
    FIRST_RESPONSE_ID,
    SNAPSHOT_AT,
    SURVEY_CLOSE,
    SURVEY_OPEN,
)


def random_moment(rng, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    while True:
        span = (end - start).total_seconds()
        moment = start + dt.timedelta(seconds=int(rng.random() * span))
        if moment.weekday() < 5 and 7 <= moment.hour < 20:
            return moment


def schedule(rng, police: list[Response], national: list[Response]) -> None:
    """Start/end times; 20 national responses start before the 29/09 snapshot."""
    rng.shuffle(national)
    for i, r in enumerate(national):
        if i < 20:
            r.started = random_moment(rng, SURVEY_OPEN, SNAPSHOT_AT - dt.timedelta(hours=20))
        else:
            r.started = random_moment(rng, SNAPSHOT_AT + dt.timedelta(hours=2), SURVEY_CLOSE)
    rng.shuffle(police)
    for r in police:
        r.started = random_moment(rng, SURVEY_OPEN, SURVEY_CLOSE)
    early_completed = [r for r in national[:20] if r.status == "Completed"]
    came_back = early_completed[:4]  # finished after the snapshot: Partial on 29/09
    for r in police + national:
        if r.status != "Completed":
            continue
        if r in came_back:
            r.ended = random_moment(rng, SNAPSHOT_AT + dt.timedelta(hours=1), SURVEY_CLOSE)
            r.snapshot_cut = rng.choice((1, 2, 3, 4))
            continue
        minutes = rng.choice((rng.randint(9, 55), rng.randint(9, 55), rng.randint(60, 60 * 50)))
        r.ended = min(
            r.started + dt.timedelta(minutes=minutes, seconds=rng.randrange(60)),
            FINAL_AT - dt.timedelta(hours=1),
        )
        if r.version == "national" and r.started < SNAPSHOT_AT <= r.ended:
            r.snapshot_cut = 3
    for r in national[:20]:
        if r.status == "Partial" and r.kind == "included":
            r.snapshot_cut = 2  # the kept partial had only done the grid by 29/09


def assign_ids(rng, responses: list[Response]) -> None:
    next_id = FIRST_RESPONSE_ID
    for r in sorted(responses, key=lambda r: r.started):
        r.response_id = next_id
        next_id += rng.randint(40_000, 2_500_000)
    org_ip: dict[str, str] = {}
    for r in sorted(responses, key=lambda r: r.response_id):
        fresh = rng.choice(IP_PREFIXES) + str(rng.randint(1, 254))
        if r.org is not None and r.org.name in org_ip and rng.random() < 0.5:
            fresh = org_ip[r.org.name]  # same organisation, same proxy
        if r.org is not None:
            org_ip.setdefault(r.org.name, fresh)
        r.ip = fresh
