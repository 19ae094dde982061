"""Alerts for a broken import: one JSON-lines log (always), a webhook and an email (if set up).

Why this shape:
- the JSONL log under `PHC_DATA_DIR/alerts/` is the record of truth, so it is written even when
  every remote channel is down, and it records what happened to the others;
- channels are sent concurrently, each with its own short retry budget, so a hanging webhook
  cannot delay or hide the email (and `send_alert` returns in well under 10 s);
- everything is redacted *before* any channel sees it: values from personal columns become
  `[redacted]` (and are removed from every other text of the alert, in case a caller quoted
  them), and emails, IP addresses and UK phone numbers are scrubbed from all text by regex;
- `send_alert` never raises: alerting must not break the run that is reporting a failure.

Only the standard library is imported here, so the Dagster code location stays light.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from orchestration.domain.privacy import is_personal_column, scrub
from orchestration.runtime.locks import exclusive_lock

if TYPE_CHECKING:
    from orchestration.runtime.settings import Settings

log = logging.getLogger(__name__)

AlertKind = Literal["file_rejected", "check_failed", "run_failed", "published", "coding_needed"]
KINDS: tuple[str, ...] = (
    "file_rejected",
    "check_failed",
    "run_failed",
    "published",
    "coding_needed",
)
# Not incidents: the optional notice of a publish (PHC_NOTIFY_ON_PUBLISH), what changed; and
# the notice that a refresh left new answers to code (orchestration/publish/coding_needed.py).
NOTICE_KINDS: tuple[str, ...] = ("published", "coding_needed")
WHAT_LABELS = {"published": "What changed", "coding_needed": "What needs doing"}

ATTEMPTS = 3  # per remote channel
ATTEMPT_TIMEOUT_S = 2.0  # socket timeout of one attempt
BACKOFF_S = (0.25, 0.75)  # sleeps between attempts: worst case ~6.5 s per channel
MAX_FAILING_VALUES = 20  # "a short list": an alert is read by a person, not a data dump

REDACTED = "[redacted]"

# --- the alert -----------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    title: str
    what_broke: str
    where: str  # the file (landing/quarantine name) or table (schema.table)
    what_to_do: str
    # A sample of failing values: dicts like {"column", "row", "value", "problem"}.
    failing_values: list[dict[str, Any]] = field(default_factory=list)
    run_id: str | None = None
    occurred_at: str = field(default_factory=_now)
    # Same key within one run = same incident = one alert. Derived when not given.
    incident_key: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Alert kind {self.kind!r} is not one of {KINDS}")
        if not self.incident_key:
            digest = hashlib.sha256(f"{self.kind}|{self.where}|{self.title}".encode()).hexdigest()
            object.__setattr__(self, "incident_key", f"{self.kind}:{digest[:16]}")


def redact(alert: Alert) -> dict[str, Any]:
    """The alert as a plain dict that is safe to send anywhere."""
    personal_values: set[str] = set()
    values: list[dict[str, Any]] = []
    for item in alert.failing_values[:MAX_FAILING_VALUES]:
        clean = {str(k): v for k, v in item.items()}
        if is_personal_column(str(clean.get("column", ""))) and "value" in clean:
            if clean["value"] is not None and len(str(clean["value"]).strip()) >= 2:
                personal_values.add(str(clean["value"]).strip())
            clean["value"] = REDACTED
        values.append(clean)

    def text(value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float):
            return value
        out = str(value)
        # Longest first, so "Jane Smith" goes before "Jane"; whole words only, so a name like
        # "Jo" does not mangle "Jobs".
        for personal in sorted(personal_values, key=len, reverse=True):
            out = re.sub(rf"(?<!\w){re.escape(personal)}(?!\w)", REDACTED, out)
        return scrub(out)

    data = asdict(alert)
    data["failing_values"] = [{k: text(v) for k, v in item.items()} for item in values]
    omitted = len(alert.failing_values) - len(values)
    if omitted > 0:
        data["failing_values_omitted"] = omitted
    for key in ("title", "what_broke", "where", "what_to_do", "run_id", "incident_key"):
        data[key] = text(data[key])
    return data


def summary(data: Mapping[str, Any]) -> str:
    """A readable plain-text summary of a redacted alert (webhook `text`, email body)."""
    what = WHAT_LABELS.get(data["kind"], "What broke")
    lines = [
        f"[{data['kind']}] {data['title']}",
        f"{what}: {data['what_broke']}",
        f"Where: {data['where']}",
    ]
    if data["failing_values"]:
        lines.append("Failing values:")
        for item in data["failing_values"]:
            lines.append("  - " + ", ".join(f"{k}={v}" for k, v in item.items()))
        if data.get("failing_values_omitted"):
            lines.append(f"  ... and {data['failing_values_omitted']} more")
    lines += [
        f"What to do: {data['what_to_do']}",
        f"Run: {data['run_id'] or '-'}  At: {data['occurred_at']}",
        f"Incident: {data['incident_key']}",
    ]
    return "\n".join(lines)


# --- channels ------------------------------------------------------------------------------

Outcome = dict[str, Any]


def _with_retries(send: Callable[[], None]) -> Outcome:
    errors: list[str] = []
    for attempt in range(1, ATTEMPTS + 1):
        try:
            send()
            return {"status": "sent", "attempts": attempt, "errors": errors}
        except Exception as exc:  # any failure of a channel is recorded, never raised
            errors.append(scrub(f"{type(exc).__name__}: {exc}")[:300])
            if attempt < ATTEMPTS:
                time.sleep(BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)])
    return {"status": "failed", "attempts": ATTEMPTS, "errors": errors}


def _post_webhook(url: str, data: Mapping[str, Any]) -> None:
    import urllib.request  # only when a webhook is configured

    text = summary(data)
    # `text` is what Slack and Teams incoming webhooks display; `alert` is for machines.
    payload = {
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        "alert": data,
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=ATTEMPT_TIMEOUT_S) as response:
        response.read()  # a non-2xx status raises HTTPError


def _send_email(settings: Settings, data: Mapping[str, Any]) -> None:
    import smtplib
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = f"[PHC warehouse] {data['title']}"[:200]
    message["From"] = settings.alert_smtp_from
    message["To"] = ", ".join(settings.alert_smtp_to)
    message.set_content(summary(data))
    host = settings.alert_smtp_host or ""
    with smtplib.SMTP(host, settings.alert_smtp_port, timeout=ATTEMPT_TIMEOUT_S) as smtp:
        if settings.alert_smtp_starttls:
            smtp.starttls()
        if settings.alert_smtp_user:
            smtp.login(settings.alert_smtp_user, settings.alert_smtp_password or "")
        smtp.send_message(message)


def _already_sent(path: Path, run_id: str | None, key: str) -> bool:
    if run_id is None:  # no run to scope the incident to: always alert
        return False
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if key in line:  # cheap filter before parsing
                    record = json.loads(line)
                    if record.get("incident_key") == key and record.get("run_id") == run_id:
                        return True
    except (OSError, ValueError):
        return False
    return False


def send_alert(alert: Alert, settings: Settings) -> dict[str, Outcome]:
    """Send `alert` on every configured channel; returns each channel's outcome. Never raises.

    Outcomes: {"status": "sent" | "failed" | "written" | "duplicate", "attempts", "errors"}.
    """
    try:
        return _send(alert, settings)
    except Exception as exc:  # last resort: alerting must never break the run
        log.error("alert could not be sent: %s", type(exc).__name__)
        return {"jsonl": {"status": "failed", "attempts": 0, "errors": [type(exc).__name__]}}


def _send(alert: Alert, settings: Settings) -> dict[str, Outcome]:
    data = redact(alert)
    log_path = settings.alerts_log_path
    with contextlib.ExitStack() as held:
        # Serialises check-and-append across processes (the daemon's sensors and a run); an
        # unwritable alerts folder gets no lock, and the other channels are still tried.
        with contextlib.suppress(OSError):
            held.enter_context(exclusive_lock(settings.alerts_lock_path))
        if _already_sent(log_path, alert.run_id, data["incident_key"]):
            log.info("alert %s already sent in run %s", data["incident_key"], data["run_id"])
            return {"jsonl": {"status": "duplicate", "attempts": 0, "errors": []}}

        senders: dict[str, Callable[[], None]] = {}
        if settings.alert_webhook_url:
            url = settings.alert_webhook_url
            senders["webhook"] = lambda: _post_webhook(url, data)
        if settings.alert_smtp_host:
            senders["email"] = lambda: _send_email(settings, data)

        results: dict[str, Outcome] = {}  # each thread writes only its own key

        def run(channel: str, send: Callable[[], None]) -> None:
            results[channel] = _with_retries(send)

        threads = [
            threading.Thread(target=run, args=item, name=f"alert-{item[0]}", daemon=True)
            for item in senders.items()
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + ATTEMPTS * ATTEMPT_TIMEOUT_S + sum(BACKOFF_S) + 1
        for thread in threads:
            # Backstop only: each attempt has its own socket timeout.
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        timed_out: Outcome = {"status": "failed", "attempts": 0, "errors": ["timed out"]}
        outcomes = {channel: dict(results.get(channel, timed_out)) for channel in senders}

        record = {**data, "channels": outcomes}

        def append() -> None:
            settings.alerts_dir.mkdir(parents=True, exist_ok=True)
            with open(log_path, "a", encoding="utf-8") as out:
                out.write(json.dumps(record, default=str) + "\n")

        jsonl = _with_retries(append)
        jsonl["status"] = "written" if jsonl["status"] == "sent" else "failed"
        outcomes["jsonl"] = jsonl

    for channel, outcome in outcomes.items():
        if outcome["status"] == "failed":
            log.warning(
                "alert %s: channel %s failed after %s attempts: %s",
                data["incident_key"],
                channel,
                outcome["attempts"],
                "; ".join(outcome["errors"]),
            )
    return outcomes


def run_has_alert(settings: Settings, run_id: str) -> bool:
    """Whether any alert of this run is already in the log (so a run failure is not re-told)."""
    path = settings.alerts_log_path
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if run_id in line:
                    record = json.loads(line)
                    if record.get("run_id") == run_id and record.get("kind") not in NOTICE_KINDS:
                        return True
    except (OSError, ValueError):
        return False
    return False


def alert_run_failure(settings: Settings, run_id: str, job_name: str, message: str) -> None:
    """One alert per failed run, unless a step of the run already said what broke."""
    if run_has_alert(settings, run_id):
        return
    send_alert(
        Alert(
            kind="run_failed",
            title=f"Refresh run {run_id[:8]} of {job_name} failed",
            what_broke=message,
            where=f"Dagster run {run_id}",
            what_to_do="The published warehouse and the exports were not replaced. Open the run "
            "in the Dagster UI (make dev) to see the failed step and its error, fix the "
            "cause, and start the refresh again.",
            run_id=run_id,
            incident_key="run_failed",
        ),
        settings,
    )
