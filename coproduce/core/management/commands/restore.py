"""`coproduce restore FILE --yes`: replace the database's content with a backup's."""

from django.core.management.base import BaseCommand, CommandError

from coproduce.core.audit import audit_record
from coproduce.core.backup import BackupFailed, database_restore


class Command(BaseCommand):
    help = (
        "Replace every row of the database with the content of a backup made by `coproduce "
        "backup`. Stop the web processes, the scheduler and the workers first. Needs --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup written by `coproduce backup`")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="confirm that the database's current content is to be replaced",
        )

    def handle(self, *args, file, yes, **options):
        if not yes:
            raise CommandError(
                "Restoring replaces every row of the database with the backup's: "
                "stop the platform's processes, then run again with --yes."
            )
        try:
            database_restore(source=file)
        except BackupFailed as exc:
            raise CommandError(str(exc)) from None
        audit_record(
            actor=None,
            action="core.restore",
            object_type="database",
            object_id="default",
            details={"file": str(file)},
        )
        self.stdout.write(f"Database restored from {file}.")
