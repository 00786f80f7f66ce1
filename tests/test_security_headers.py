"""Security headers and no third-party origin (issue 18, point 10)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_carries_the_policy_and_the_permissions_policy(client):
    for path in ["/login/", "/api/v1/docs", "/admin/login/", "/api/v1/health"]:
        answer = client.get(path)
        policy = answer["Content-Security-Policy"]
        # The nonce is named only when a page used it (Django adds it lazily).
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
        assert script_src.startswith("script-src 'self'") and "unsafe" not in script_src
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "camera=(self)" in answer["Permissions-Policy"]
        assert "microphone=()" in answer["Permissions-Policy"]


def test_hsts_when_cookies_are_secure():
    assert "Strict-Transport-Security" not in Client().get("/login/")
    with override_settings(SECURE_HSTS_SECONDS=31536000):
        answer = Client().get("/login/", secure=True)
    assert answer["Strict-Transport-Security"].startswith("max-age=31536000")
    env = {**os.environ, "COPRODUCE_SECURE_COOKIES": "on"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
            "from django.conf import settings;print(settings.SECURE_HSTS_SECONDS)",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(out.stdout) >= 180 * 24 * 3600


def test_the_api_reference_needs_no_other_origin(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in html and "https://" not in html
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # no inline script; settings travel as JSON
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_no_template_has_an_inline_script_or_event_handler():
    import re

    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    inline = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*nonce=)[^>]*>", re.IGNORECASE)
    found = []
    for path in (ROOT / "coproduce").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if handler.search(text) or inline.search(text):
            found.append(str(path.relative_to(ROOT)))
    assert not found, found


def test_the_data_directory_and_sqlite_file_are_the_owners_only(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "COPRODUCE_DATA_DIR": str(data)}
    env.pop("COPRODUCE_DATABASE_URL", None)
    env["COPRODUCE_DATABASE_URL"] = f"sqlite:///{data}/coproduce.sqlite3"
    code = (
        "import os,django;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup();"
        "from django.db import connection;connection.cursor().execute('create table t(x)')"
    )
    old = os.umask(0o022)
    try:
        subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("coproduce.sqlite3", "coproduce.sqlite3-wal"):
        if (data / name).exists():
            assert stat.S_IMODE((data / name).stat().st_mode) & 0o077 == 0, name
