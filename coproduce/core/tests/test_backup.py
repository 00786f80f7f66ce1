"""`coproduce backup` under write load and `coproduce restore`: every write accepted before the
backup began is in the restored database (issue 18, point 11)."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Writes audit events one transaction each, as fast as it can, and appends the number of each
# one to the `accepted` file once it is committed.
WRITER = """
import sys
import django
django.setup()
from coproduce.core.audit import audit_record
accepted = open(sys.argv[1], "a", buffering=1)
i = 0
while True:
    i += 1
    audit_record(actor=None, action="test.write", object_type="load", object_id=str(i))
    accepted.write(f"{i}\\n")
"""


def _environ(data_dir: Path, **extra) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_"))}
    return (
        environ
        | {"DJANGO_SETTINGS_MODULE": "config.settings"}
        | extra
        | {"COPRODUCE_DATA_DIR": str(data_dir)}
    )


def _coproduce(environ, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coproduce.cli", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _accepted(path: Path) -> set[str]:
    return {line for line in path.read_text().splitlines() if line}


def _backup_under_load(environ, tmp_path, backup: Path) -> set[str]:
    """Back up while a writer writes; the writes accepted before the backup began."""
    accepted = tmp_path / "accepted"
    accepted.touch()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(accepted)], cwd=ROOT, env=environ, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while len(_accepted(accepted)) < 200:
            assert writer.poll() is None, writer.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        before = _accepted(accepted)
        done = _coproduce(environ, "backup", str(backup))
        assert done.returncode == 0, done.stderr
        time.sleep(0.5)  # writes go on after the backup
        assert writer.poll() is None, writer.stderr.read()
    finally:
        writer.kill()
        writer.wait()
    assert len(_accepted(accepted)) > len(before)
    return before


@pytest.mark.slow
def test_a_sqlite_backup_under_write_load_restores_every_accepted_write(tmp_path):
    data = tmp_path / "data"
    environ = _environ(data)
    assert _coproduce(environ, "migrate", "-v0").returncode == 0
    backup = tmp_path / "backup.sqlite3"
    before = _backup_under_load(environ, tmp_path, backup)
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    refused = _coproduce(environ, "restore", str(backup))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    done = _coproduce(environ, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(data / "coproduce.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        restored = {
            row[0]
            for row in db.execute(
                "SELECT object_id FROM core_auditevent WHERE action = 'test.write'"
            )
        }
        actions = [row[0] for row in db.execute("SELECT action FROM core_auditevent ORDER BY id")]
    assert before <= restored  # every write accepted before the backup began
    assert "core.backup" not in actions and actions[-1] == "core.restore"


@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_under_write_load_restores_every_accepted_write(tmp_path):
    from django.conf import settings

    from coproduce.core.models import AuditEvent

    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    environ = _environ(tmp_path / "data", COPRODUCE_DATABASE_URL=url)
    backup = tmp_path / "backup.dump"
    before = _backup_under_load(environ, tmp_path, backup)
    done = _coproduce(environ, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    restored = set(
        AuditEvent.objects.filter(action="test.write").values_list("object_id", flat=True)
    )
    assert before <= restored
    assert AuditEvent.objects.filter(action="core.restore").count() == 1
