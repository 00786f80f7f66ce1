import os
import stat

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_owner_only(sender, connection, **kwargs) -> None:
    """The SQLite file (and its WAL and shared-memory files) readable by their owner only."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm"):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            continue
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)


class CoreConfig(AppConfig):
    name = "coproduce.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_owner_only, dispatch_uid="coproduce.core.sqlite_mode")
