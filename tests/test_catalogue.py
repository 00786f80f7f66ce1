"""The Simplified Chinese catalogue is complete: every string of the code is in it, translated,
none fuzzy, with the placeholders of its msgid (PRODUCT.md 4: English and Simplified Chinese).

The GNU gettext tools read the catalogue (Debian's `gettext`, installed by
scripts/ensure-system-packages): msgattrib lists untranslated and fuzzy entries, msgfmt checks
the placeholders, and `django-admin makemessages` run on a copy of the code says which strings
`make messages` would add.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

APP_ROOT = Path(settings.BASE_DIR) / "coproduce"
CATALOGUE = APP_ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
# Kept by hand: makemessages reads coproduce/ only, and these are in config/settings.py.
OUTSIDE_THE_APPS = {"English", "Simplified Chinese"}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install Debian's gettext (scripts/ensure-system-packages)")
    return path


def _msgids(po_text: str) -> set[str]:
    """The msgids of a catalogue's text (contexts as "context|msgid"), without the header."""
    found = set()
    for entry in re.split(r"\n\s*\n", po_text):
        if entry.lstrip().startswith("#~"):
            continue  # an obsolete entry
        fields = {}
        current = None
        for line in entry.splitlines():
            if match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr\S*) "(.*)"$', line):
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            context = fields.get("msgctxt")
            found.add(f"{context}|{fields['msgid']}" if context else fields["msgid"])
    return found


def _attrib(*options: str) -> set[str]:
    answer = subprocess.run(
        [_tool("msgattrib"), *options, str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    )
    return _msgids(answer.stdout)


def test_no_entry_is_untranslated():
    assert _attrib("--untranslated") == set()


def test_no_entry_is_fuzzy():
    # A fuzzy entry is not compiled: the page shows its English msgid.
    assert _attrib("--only-fuzzy") == set()


def test_translations_keep_the_placeholders_of_their_msgid():
    answer = subprocess.run(
        [_tool("msgfmt"), "--check", "--output-file=/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert answer.returncode == 0, answer.stderr


def test_every_string_of_the_code_is_in_the_catalogue(tmp_path):
    """`make messages` would add nothing: a string marked for translation and never extracted
    shows in English under 中文."""
    _tool("xgettext")
    copy = tmp_path / "coproduce"
    shutil.copytree(
        APP_ROOT,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "node_modules", "tests"),
    )
    before = CATALOGUE.read_bytes()
    # Without settings, makemessages writes to ./locale of the copy, never to LOCALE_PATHS.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        check=True,
    )
    assert CATALOGUE.read_bytes() == before, "makemessages wrote to the real catalogue"
    extracted = _msgids((copy / "locale/zh_Hans/LC_MESSAGES/django.po").read_text())
    catalogued = _msgids(CATALOGUE.read_text())
    assert extracted - catalogued == set(), "run `make messages` and translate the new entries"
    assert catalogued - extracted == OUTSIDE_THE_APPS, "strings the code no longer uses"


def test_the_reader_of_catalogues_sees_every_entry():
    text = (
        'msgid ""\nmsgstr "Language: zh_Hans\\n"\n\n'
        'msgid "Save"\nmsgstr "保存"\n\n'
        'msgctxt "where a person lives"\nmsgid "Home"\nmsgstr "居住地"\n\n'
        'msgid ""\n"A long "\n"message"\nmsgstr ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "已删除"\n'
    )
    assert _msgids(text) == {"Save", "where a person lives|Home", "A long message"}
