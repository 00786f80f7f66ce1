"""The `coproduce` console script: Django's manage.py plus the commands of API.md.

`coproduce import-regions FILE` runs the management command `import_regions`: hyphens in the
command name stand for underscores, so every Django command works under its usual name too.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as `manage.py` would."""
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] == "demo":
            # The demo walks through the paper's dates on the exercise clock.
            os.environ.setdefault("COPRODUCE_EXERCISE", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"coproduce: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
