"""Shared limits: with COPRODUCE_CACHE_URL (Redis), N processes allow exactly the limit."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS = ("127.0.0.1", 6379)

# One process: wait for the start file, then try `attempts` times; print how many passed.
CHILD = """
import os, sys, time
import django
django.setup()
from coproduce.core.ratelimit import rate_limit_hit
start, key, attempts, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
while not os.path.exists(start):
    time.sleep(0.01)
now = 1_800_000_000.0  # one fixed minute for every process
print(sum(rate_limit_hit(key=key, per_minute=limit, now=now) is None for _ in range(attempts)))
"""


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not _redis_up(), reason="needs the local Redis at 127.0.0.1:6379")
def test_several_processes_allow_exactly_the_limit_through_the_shared_cache(tmp_path):
    """Four web processes, busy unevenly (10, 20, 100 and 100 scans in one minute, limit 120):
    a per-process count would let 10 + 20 + 30 + 30 = 90 through; the shared one lets 120."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_"))}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "COPRODUCE_DATA_DIR": str(tmp_path),
        "COPRODUCE_CACHE_URL": "redis://127.0.0.1:6379/15",
        "COPRODUCE_SERVE_WORKERS": "4",
    }
    start, key = tmp_path / "start", f"test-shared:{uuid.uuid4().hex}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(start), key, str(attempts), "120"],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for attempts in (10, 20, 100, 100)
    ]
    time.sleep(2)  # every process set up and waiting
    start.touch()
    passed = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        passed.append(int(out.strip()))
    # Exactly the limit in all. Which process got how many depends on when each started (the
    # busy ones may take it all before a quiet one runs): only the sum is the property.
    assert sum(passed) == 120
    assert all(0 <= got <= tried for got, tried in zip(passed, (10, 20, 100, 100), strict=True))


def test_the_cache_url_must_name_redis(monkeypatch, tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_"))}
    environ |= {"COPRODUCE_DATA_DIR": str(tmp_path), "COPRODUCE_CACHE_URL": "memcached://x"}
    checked = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "check"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 2 and "COPRODUCE_CACHE_URL" in checked.stderr
