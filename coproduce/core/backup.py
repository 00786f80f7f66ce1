"""Backups of the platform's database and their restore (docs/operations.md).

SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent snapshot
while the web processes go on writing; restore writes the backup back into the live file through
the same API, under SQLite's own locks. PostgreSQL: `pg_dump` in its custom format (a consistent
snapshot of one transaction, taken while the platform runs) and `pg_restore --clean`.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupFailed(Exception):
    """A backup or restore that could not be done (the tool's message says why)."""


def _settings(alias: str) -> dict:
    return connections[alias].settings_dict


def _pg_environ(db: dict) -> dict:
    environ = dict(os.environ)
    if db.get("PASSWORD"):
        environ["PGPASSWORD"] = str(db["PASSWORD"])
    return environ


def _pg_args(db: dict) -> list[str]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _run(command: list[str], db: dict) -> None:
    done = subprocess.run(command, env=_pg_environ(db), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(f"{command[0]} failed: {done.stderr.strip()}")


def database_backup(*, to: Path, alias: str = "default") -> Path:
    """Write a consistent backup of the live database to `to` (a new file); the file."""
    db = _settings(alias)
    vendor = connections[alias].vendor
    to = Path(to)
    if to.exists():
        raise BackupFailed(f"{to} exists already: a backup never overwrites a file.")
    partial = to.with_name(to.name + ".partial")
    partial.unlink(missing_ok=True)
    if vendor == "sqlite":
        source = sqlite3.connect(db["NAME"], timeout=60)
        target = sqlite3.connect(partial)
        try:
            # All pages in one step: a snapshot of one moment, taken under a read lock that
            # writers in WAL mode do not wait for.
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--file", str(partial), *_pg_args(db), db["NAME"]],
            db,
        )
    else:
        raise BackupFailed(f"no backup for a {vendor} database")
    partial.chmod(0o600)
    partial.rename(to)
    return to


def database_restore(*, source: Path, alias: str = "default") -> None:
    """Replace the live database's content with a backup's (every row of the database)."""
    db = _settings(alias)
    vendor = connections[alias].vendor
    source = Path(source)
    if not source.is_file():
        raise BackupFailed(f"{source}: no such backup file.")
    connections[alias].close()
    if vendor == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupFailed(f"{source} is damaged (integrity check failed).")
            live = sqlite3.connect(db["NAME"], timeout=60)
            try:
                backup.backup(live)
            finally:
                live.close()
        except sqlite3.DatabaseError as exc:
            raise BackupFailed(f"{source} is not a SQLite backup: {exc}") from None
        finally:
            backup.close()
    elif vendor == "postgresql":
        # pg_restore --clean cannot drop the partitions' inherited constraints (the presence
        # log is partitioned): the schema is emptied first, then restored in one transaction.
        with connections[alias].cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connections[alias].close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                db["NAME"],
                *_pg_args(db),
                str(source),
            ],
            db,
        )
    else:
        raise BackupFailed(f"no restore for a {vendor} database")
