"""Alerts against a real HTTP server and a real SMTP server on localhost."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from orchestration.runtime.alerts import Alert, scrub, send_alert
from orchestration.runtime.settings import Settings
from tests.support.warehouse import read_alerts


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Webhook:
    url: str
    bodies: list[bytes] = field(default_factory=list)
    fail_first: int = 0  # answer 500 to this many requests first


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hook.bodies.append(body)
            status = 500 if len(hook.bodies) <= hook.fail_first else 200
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    port: int
    messages: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.original_content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


def settings_for(tmp_path: Path, webhook_url: str | None, smtp_port: int | None) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",  # does not exist yet: send_alert creates the alerts dir
        landing_dir=tmp_path / "landing",
        alert_webhook_url=webhook_url,
        alert_smtp_host="127.0.0.1" if smtp_port else None,
        alert_smtp_port=smtp_port or 25,
        alert_smtp_to=("data-team@example.org",),
    )


def check_alert(run_id: str = "run-1") -> Alert:
    return Alert(
        kind="check_failed",
        title="marts.area_of_work totals do not add up",
        what_broke="area totals != completed + active + future for 2 areas",
        where="marts.area_of_work",
        failing_values=[
            {"column": "area", "row": 3, "value": "Alcohol", "problem": "total 7 != 3 + 2 + 1"}
        ],
        what_to_do="Look at the newest police export; the published marts were left unchanged.",
        run_id=run_id,
    )


def test_alert_reaches_jsonl_webhook_and_email(
    tmp_path: Path, webhook: Webhook, mailbox: Mailbox
) -> None:
    settings = settings_for(tmp_path, webhook.url, mailbox.port)

    outcome = send_alert(check_alert(), settings)

    assert {k: v["status"] for k, v in outcome.items()} == {
        "webhook": "sent",
        "email": "sent",
        "jsonl": "written",
    }
    (line,) = read_alerts(settings)
    assert line["kind"] == "check_failed" and line["where"] == "marts.area_of_work"
    assert line["run_id"] == "run-1" and line["incident_key"].startswith("check_failed:")
    assert line["channels"]["webhook"]["status"] == "sent"
    assert line["failing_values"][0]["value"] == "Alcohol"

    (body,) = webhook.bodies
    payload = json.loads(body)
    assert "marts.area_of_work totals do not add up" in payload["text"]
    assert "What to do: Look at the newest police export" in payload["text"]
    assert payload["alert"]["failing_values"] == line["failing_values"]

    (raw,) = mailbox.messages
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Subject"] == "[PHC warehouse] marts.area_of_work totals do not add up"
    assert mail["To"] == "data-team@example.org"
    text = mail.get_content()
    assert "Where: marts.area_of_work" in text
    assert "column=area, row=3, value=Alcohol, problem=total 7 != 3 + 2 + 1" in text


def test_same_incident_is_alerted_once_per_run(
    tmp_path: Path, webhook: Webhook, mailbox: Mailbox
) -> None:
    settings = settings_for(tmp_path, webhook.url, mailbox.port)

    first = send_alert(check_alert("run-1"), settings)
    again = send_alert(check_alert("run-1"), settings)
    next_run = send_alert(check_alert("run-2"), settings)

    assert first["jsonl"]["status"] == "written"
    assert again == {"jsonl": {"status": "duplicate", "attempts": 0, "errors": []}}
    assert next_run["webhook"]["status"] == "sent"
    assert [line["run_id"] for line in read_alerts(settings)] == ["run-1", "run-2"]
    assert len(webhook.bodies) == 2 and len(mailbox.messages) == 2


def test_webhook_down_still_alerts_elsewhere_quickly(
    tmp_path: Path, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/hook"
    settings = settings_for(tmp_path, closed, mailbox.port)

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="orchestration.runtime.alerts"):
        outcome = send_alert(check_alert(), settings)
    elapsed = time.monotonic() - started

    assert elapsed < 5, elapsed
    assert outcome["webhook"]["status"] == "failed"
    assert outcome["webhook"]["attempts"] == 3
    assert len(outcome["webhook"]["errors"]) == 3
    assert "refused" in outcome["webhook"]["errors"][0].lower()
    assert outcome["email"]["status"] == "sent" and len(mailbox.messages) == 1
    (line,) = read_alerts(settings)
    assert line["channels"]["webhook"]["status"] == "failed"
    assert line["channels"]["webhook"]["attempts"] == 3
    assert "channel webhook failed after 3 attempts" in caplog.text


def test_webhook_error_is_retried_until_it_answers(tmp_path: Path, webhook: Webhook) -> None:
    webhook.fail_first = 2
    settings = settings_for(tmp_path, webhook.url, None)

    outcome = send_alert(check_alert(), settings)

    assert outcome["webhook"]["status"] == "sent"
    assert outcome["webhook"]["attempts"] == 3
    assert all("500" in error for error in outcome["webhook"]["errors"])
    assert "email" not in outcome and len(webhook.bodies) == 3


def test_smtp_down_and_alert_log_unwritable_still_reach_the_webhook(
    tmp_path: Path, webhook: Webhook
) -> None:
    settings = settings_for(tmp_path, webhook.url, free_port())
    settings.data_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.data_dir.write_text("a file where the data directory should be")

    outcome = send_alert(check_alert(), settings)  # must not raise

    assert outcome["webhook"]["status"] == "sent" and len(webhook.bodies) == 1
    assert outcome["email"]["status"] == "failed" and outcome["email"]["attempts"] == 3
    assert outcome["jsonl"]["status"] == "failed"


PERSONAL = [
    "203.0.113.7",
    "2001:db8::7",
    "jane.doe@example.com",
    "07700 900123",
    "07700900123",
    "7700 900123",
    "Jane Doe",
    "Jane",
]


def test_personal_data_never_reaches_any_channel(
    tmp_path: Path, webhook: Webhook, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(tmp_path, webhook.url, mailbox.port)
    alert = Alert(
        kind="file_rejected",
        title="police_20240301.csv rejected and quarantined",
        # A careless caller quoting the row: the text is scrubbed as well.
        what_broke="Row 3 (Jane Doe, jane.doe@example.com, 07700 900123, from 203.0.113.7 / "
        "2001:db8::7) has an unknown Status",
        where="quarantine/police_20240301.csv",
        failing_values=[
            {"column": "IP Address", "row": 3, "value": "203.0.113.7", "problem": "duplicate"},
            {"column": "Q3. Name", "row": 3, "value": "Jane Doe", "problem": "'Jane Doe' too long"},
            {"column": "Q3. Name", "row": 4, "value": "Jane", "problem": "duplicate"},
            {"column": "Q3. Name", "row": 5, "value": " Jo ", "problem": "too short"},
            {"column": "Q3. Phone number", "row": 3, "value": "07700 900123", "problem": "bad"},
            {"column": "Q3. Email", "row": 3, "value": "jane.doe@example.com", "problem": "bad"},
            {"column": "Q2. Role/rank", "row": 3, "value": "ring 07700900123", "problem": "free"},
            {"column": "Status", "row": 3, "value": "Done", "problem": "not an allowed value"},
        ],
        what_to_do="Fix row 3 in the survey platform and export again; Jane can be asked.",
        run_id="run-7",
    )

    with caplog.at_level(logging.DEBUG):
        outcome = send_alert(alert, settings)

    assert {v["status"] for v in outcome.values()} == {"sent", "written"}
    (raw_mail,) = mailbox.messages
    (raw_hook,) = webhook.bodies
    raw_log = settings.alerts_log_path.read_bytes()
    mail_text = message_from_bytes(raw_mail, policy=policy.default).get_content()
    received = {
        "email": raw_mail,
        "email (decoded)": mail_text.encode(),
        "webhook": raw_hook,
        "jsonl": raw_log,
        "log": caplog.text.encode(),
    }
    for channel, data in received.items():
        for value in PERSONAL:
            assert value.encode() not in data, (channel, value)
            assert json.dumps(value)[1:-1].encode() not in data, (channel, value)
    # What is not personal still gets through, so the alert stays useful.
    for channel in ("email (decoded)", "webhook", "jsonl"):
        assert b"Done" in received[channel] and b"Q3. Name" in received[channel], channel
        assert b"[redacted]" in received[channel], channel
    (line,) = read_alerts(settings)
    personal_values = [item["value"] for item in line["failing_values"] if "Q3" in item["column"]]
    assert personal_values == ["[redacted]"] * 5
    by_column = {item["column"]: item["value"] for item in line["failing_values"]}
    assert by_column["IP Address"] == "[redacted]"
    assert by_column["Q2. Role/rank"] == "ring [redacted phone]"
    # Values of personal columns are removed wherever quoted; the regexes catch the rest.
    assert line["what_broke"] == (
        "Row 3 ([redacted], [redacted], [redacted], from [redacted] / [redacted ip]) "
        "has an unknown Status"
    )
    assert line["what_to_do"] == (
        "Fix row 3 in the survey platform and export again; [redacted] can be asked."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 07700 900123", "call [redacted phone]"),
        ("call +44 7700 900123", "call [redacted phone]"),
        ("call (020) 7946 0958", "call [redacted phone]"),
        ("call 0161 496 0000", "call [redacted phone]"),
        ("from 192.168.10.1.", "from [redacted ip]."),
        ("from fe80::1%eth0 and ::1", "from [redacted ip] and [redacted ip]"),
        ("mail A.B+x@mail.example.co.uk", "mail [redacted email]"),
        # Not personal: kept.
        (
            "ended 01/03/2024 10:20:30, row 12, marts::x",
            "ended 01/03/2024 10:20:30, row 12, marts::x",
        ),
        ("2024-03-01T10:20:30+00:00 total 12345", "2024-03-01T10:20:30+00:00 total 12345"),
    ],
)
def test_scrub(text: str, expected: str) -> None:
    assert scrub(text) == expected
