from django.core.management.base import BaseCommand, CommandError

from coproduce.core.server import default_workers, serve


class Command(BaseCommand):
    help = "Serve the web app and API with gunicorn over the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=1, help="threads per worker")
        parser.add_argument("--no-access-log", action="store_true")

    def handle(self, *args, host, port, workers, threads, no_access_log, **options):
        if not 1 <= workers <= 64:
            raise CommandError("--workers takes 1 to 64.")
        if not 1 <= port <= 65535:
            raise CommandError("--port takes 1 to 65535.")
        self.stdout.write(f"Coproduce serving on http://{host}:{port}/ with {workers} workers")
        serve(host=host, port=port, workers=workers, threads=threads, access_log=not no_access_log)
