"""Settings from the environment: typed helpers, the database URL, WAL, the kept secret."""

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from config.env import data_dir, env_bool, env_int, env_list, env_str, env_times, kept_secret
from config.settings import _database

ROOT = Path(__file__).resolve().parents[3]
COPRODUCE = Path(sys.executable).parent / "coproduce"


@pytest.mark.parametrize("raw, value", [("1", True), ("on", True), (" YES ", True), ("0", False)])
def test_env_bool_reads_yes_and_no(monkeypatch, raw, value):
    monkeypatch.setenv("COPRODUCE_TEST_FLAG", raw)
    assert env_bool("COPRODUCE_TEST_FLAG") is value


def test_env_bool_refuses_maybe_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("COPRODUCE_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="COPRODUCE_TEST_FLAG='maybe'"):
        env_bool("COPRODUCE_TEST_FLAG")


def test_unset_variables_take_their_defaults(monkeypatch):
    monkeypatch.delenv("COPRODUCE_TEST_FLAG", raising=False)
    assert env_bool("COPRODUCE_TEST_FLAG", True) is True
    assert env_int("COPRODUCE_TEST_FLAG", 7) == 7
    assert env_str("COPRODUCE_TEST_FLAG", "x") == "x"
    assert env_list("COPRODUCE_TEST_FLAG", ["a"]) == ["a"]


@pytest.mark.parametrize("raw", ["ten", "1.5", ""])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv("COPRODUCE_TEST_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match="COPRODUCE_TEST_NUMBER"):
        env_int("COPRODUCE_TEST_NUMBER", 1)


def test_env_int_refuses_a_value_out_of_bounds(monkeypatch):
    monkeypatch.setenv("COPRODUCE_TEST_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="COPRODUCE_TEST_NUMBER=0"):
        env_int("COPRODUCE_TEST_NUMBER", 1, minimum=1, maximum=64)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("COPRODUCE_TEST_LIST", " a.example, b.example ,,")
    assert env_list("COPRODUCE_TEST_LIST", []) == ["a.example", "b.example"]


def test_env_times_reads_local_times_by_name(monkeypatch):
    monkeypatch.setenv("COPRODUCE_TEST_TIMES", " logs-purge=2:30 , health-codes-recompute=00:05,")
    assert env_times("COPRODUCE_TEST_TIMES") == {
        "logs-purge": time(2, 30),
        "health-codes-recompute": time(0, 5),
    }
    monkeypatch.delenv("COPRODUCE_TEST_TIMES")
    assert env_times("COPRODUCE_TEST_TIMES") == {}


@pytest.mark.parametrize(
    "raw", ["logs-purge", "logs-purge=24:00", "logs-purge=1:60", "Purge=01:00", "a=1:00,a=2:00"]
)
def test_env_times_refuses_what_is_not_name_equals_a_time_of_day(monkeypatch, raw):
    monkeypatch.setenv("COPRODUCE_TEST_TIMES", raw)
    with pytest.raises(ImproperlyConfigured, match="COPRODUCE_TEST_TIMES"):
        env_times("COPRODUCE_TEST_TIMES")


def test_the_data_directory_is_created(monkeypatch, tmp_path):
    monkeypatch.setenv("COPRODUCE_DATA_DIR", str(tmp_path / "new" / "data"))
    assert data_dir() == tmp_path / "new" / "data" and data_dir().is_dir()


def test_an_uncreatable_data_directory_is_refused(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("COPRODUCE_DATA_DIR", str(tmp_path / "file" / "data"))
    with pytest.raises(ImproperlyConfigured, match="COPRODUCE_DATA_DIR"):
        data_dir()


def test_a_secret_is_made_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("COPRODUCE_TEST_SECRET", raising=False)
    first = kept_secret("COPRODUCE_TEST_SECRET", tmp_path)
    assert len(first) >= 32
    assert kept_secret("COPRODUCE_TEST_SECRET", tmp_path) == first
    path = tmp_path / "coproduce_test_secret"
    assert path.read_text() == first
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert [p.name for p in tmp_path.iterdir()] == ["coproduce_test_secret"]  # no leftovers


def test_a_short_secret_from_the_environment_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("COPRODUCE_TEST_SECRET", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        kept_secret("COPRODUCE_TEST_SECRET", tmp_path)


@pytest.mark.parametrize(
    "url", ["mysql://x", "oracle://u@h/db", "postgres://a:b@:x/y", "nonsense", ""]
)
def test_an_unsupported_or_malformed_database_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="COPRODUCE_DATABASE_URL"):
        _database(url)


def test_postgresql_urls_are_accepted():
    config = _database("postgres://postgres@127.0.0.1:5432/coproduce")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_HEALTH_CHECKS"] is True


def test_sqlite_runs_in_wal_mode(tmp_path, django_db_blocker):
    handler = ConnectionHandler({"default": _database(f"sqlite:///{tmp_path / 'wal.sqlite3'}")})
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
    finally:
        connection.close()


def _coproduce(tmp_path, *args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_"))}
    environ |= {"COPRODUCE_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        [str(COPRODUCE), *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


@pytest.mark.slow
def test_an_unsupported_database_stops_start_up_with_a_clear_message(tmp_path):
    result = _coproduce(tmp_path, "check", COPRODUCE_DATABASE_URL="mysql://x")
    assert result.returncode != 0
    assert "COPRODUCE_DATABASE_URL" in result.stderr and "unsupported" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.slow
def test_a_malformed_flag_stops_start_up_with_a_clear_message(tmp_path):
    result = _coproduce(tmp_path, "check", COPRODUCE_DEBUG="maybe")
    assert result.returncode != 0
    assert "COPRODUCE_DEBUG='maybe'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_secret_key_is_generated_once_in_the_data_directory(tmp_path):
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _coproduce(tmp_path, "shell", "-c", show)
    assert first.returncode == 0, first.stderr
    kept = (tmp_path / "coproduce_secret_key").read_text().strip()
    assert first.stdout.strip().splitlines()[-1] == kept and len(kept) >= 32
    second = _coproduce(tmp_path, "shell", "-c", show)
    assert second.stdout.strip().splitlines()[-1] == kept


@pytest.mark.slow
@pytest.mark.parametrize("days", ["0", "366", "four weeks"])
def test_a_log_retention_out_of_bounds_stops_start_up(tmp_path, days):
    result = _coproduce(tmp_path, "check", COPRODUCE_LOG_RETENTION_DAYS=days)
    assert result.returncode != 0
    assert "COPRODUCE_LOG_RETENTION_DAYS" in result.stderr
    assert "Traceback" not in result.stderr
