"""`coproduce backup FILE`: a consistent backup of the live database (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError

from coproduce.core.audit import audit_record
from coproduce.core.backup import BackupFailed, database_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the live database to FILE while the platform runs (SQLite: the online "
        "backup API; PostgreSQL: pg_dump's custom format). Restore it with `coproduce restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to write (must not exist)")

    def handle(self, *args, file, **options):
        try:
            written = database_backup(to=file)
        except BackupFailed as exc:
            raise CommandError(str(exc)) from None
        audit_record(
            actor=None,
            action="core.backup",
            object_type="database",
            object_id="default",
            details={"file": str(written), "bytes": written.stat().st_size},
        )
        self.stdout.write(f"Backup written to {written} ({written.stat().st_size:,} bytes).")
