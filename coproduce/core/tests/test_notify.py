"""The notification service: log backend by default, an SMS gateway behind a setting."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from coproduce.core import notify


def test_log_backend_masks_phone_numbers(settings, caplog):
    settings.NOTIFY_BACKEND = "log"
    with caplog.at_level(logging.INFO, logger="coproduce.notify"):
        assert notify.notify(to="13800001234", text="Crisis alert 7", kind="care.alert")
    assert "***1234" in caplog.text and "13800001234" not in caplog.text
    assert "Crisis alert 7" in caplog.text


def _gateway(status: int):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server interface
            length = int(self.headers["Content-Length"])
            received.append(
                (self.headers.get("Authorization"), json.loads(self.rfile.read(length)))
            )
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def test_sms_backend_posts_to_the_gateway(settings):
    server, received = _gateway(202)
    try:
        settings.NOTIFY_BACKEND = "sms"
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
        settings.SMS_GATEWAY_TOKEN = "secret"
        assert notify.notify(to="13800001234", text="Reminder", kind="care.reminder")
    finally:
        server.shutdown()
    assert received == [
        ("Bearer secret", {"to": "13800001234", "text": "Reminder", "kind": "care.reminder"})
    ]


def test_sms_gateway_failure_is_reported_not_raised(settings):
    server, _received = _gateway(500)
    try:
        settings.NOTIFY_BACKEND = "sms"
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
        assert notify.notify(to="13800001234", text="x") is False
    finally:
        server.shutdown()
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/unreachable"
    assert notify.notify(to="13800001234", text="x") is False
