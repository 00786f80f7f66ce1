"""One notification service for every app: `notify(to=..., text=...)`.

The backend is a setting (COPRODUCE_NOTIFY_BACKEND): `log` (default) writes the message to the
`coproduce.notify` log, `sms` posts it to an SMS gateway (COPRODUCE_SMS_GATEWAY_URL, with
COPRODUCE_SMS_GATEWAY_TOKEN as a bearer token), `memory` keeps it in `outbox` (tests and drills).
Call it from `transaction.on_commit` so that nothing is sent for a write that rolled back. A
gateway that fails is logged and reported as not sent; the caller's write stands either way.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

log = logging.getLogger("coproduce.notify")


@dataclass(frozen=True)
class Message:
    """One notification: to whom (a phone number or a user name), what, and its kind."""

    to: str
    text: str
    kind: str = ""
    data: dict = field(default_factory=dict)


# Messages sent with the memory backend (tests clear it).
outbox: list[Message] = []


def _mask(to: str) -> str:
    # Phone numbers are personal data: the log keeps the last four digits only.
    return f"***{to[-4:]}" if to.isdigit() and len(to) > 4 else to


def _send_log(message: Message) -> bool:
    log.info("notify %s to %s: %s", message.kind or "message", _mask(message.to), message.text)
    return True


def _send_memory(message: Message) -> bool:
    outbox.append(message)
    return True


def _send_sms(message: Message) -> bool:
    url = settings.SMS_GATEWAY_URL
    if not url:
        log.error("COPRODUCE_NOTIFY_BACKEND=sms without COPRODUCE_SMS_GATEWAY_URL: not sent")
        return False
    body = json.dumps({"to": message.to, "text": message.text, "kind": message.kind}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as answer:
            ok = 200 <= answer.status < 300
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        log.error("SMS gateway failed for %s: %s", _mask(message.to), exc)
        return False
    if not ok:
        log.error("SMS gateway refused a message to %s", _mask(message.to))
    return ok


BACKENDS = {"log": _send_log, "memory": _send_memory, "sms": _send_sms}


def notify(*, to: str, text: str, kind: str = "", data: dict | None = None) -> bool:
    """Send one notification through the configured backend; True when it was handed over."""
    message = Message(to=to, text=text, kind=kind, data=data or {})
    return BACKENDS[settings.NOTIFY_BACKEND](message)
