"""The production server of `coproduce serve` and `coproduce demo`: gunicorn, several workers."""

import os

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from config.wsgi import application

        return application


def default_workers() -> int:
    """Two workers per core plus one (gunicorn's advice), at most 9."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def serve(*, host: str, port: int, workers: int, threads: int = 1, access_log: bool = True) -> None:
    """Serve the WSGI app with `workers` processes until interrupted."""
    # Per-process limits (core.ratelimit) share their quota out between the workers.
    os.environ["COPRODUCE_SERVE_WORKERS"] = str(workers)
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "accesslog": "-" if access_log else None,
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
            # Workers are forked after the app is loaded once: faster start, shared memory.
            "preload_app": True,
            "proc_name": "coproduce",
        }
    ).run()
