from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coproduce.core.errors import ValidationFailed
from coproduce.regions.services import regions_import


class Command(BaseCommand):
    help = "Load a region tree from a CSV with the columns code,name_zh,name_en,level,parent_code."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot read it as UTF-8 text ({exc}).") from None
        try:
            result = regions_import(text=text)
        except ValidationFailed as exc:
            lines = "\n".join(exc.fields.get("rows", []))
            raise CommandError(f"{file}: {exc.message}\n{lines}") from None
        self.stdout.write(f"{file}: {result.created} regions created, {result.updated} updated.")
