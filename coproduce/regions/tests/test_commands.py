"""`coproduce import-regions FILE`: what it prints, and how it refuses a bad file."""

import pytest
from django.core.management import CommandError, call_command

from conftest import TREE
from coproduce.regions.models import Region

pytestmark = pytest.mark.django_db


def test_import_regions_reports_what_it_created(tmp_path, capsys):
    csv = tmp_path / "tree.csv"
    csv.write_text(TREE, encoding="utf-8")
    call_command("import_regions", str(csv))
    assert capsys.readouterr().out.strip() == f"{csv}: 11 regions created, 0 updated."
    assert Region.objects.count() == 11


def test_import_regions_refuses_a_bad_file_with_its_line_numbers(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text(
        TREE + "330111002,银湖街道,Yinhu,township,330111\n330111003,,Nameless,township,330111\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failure:
        call_command("import_regions", str(csv))
    message = str(failure.value)
    assert "nothing was imported" in message
    assert "line 13" not in message
    assert "line 14, name_zh: a name is required" in message
    assert Region.objects.count() == 0


def test_import_regions_refuses_a_file_that_is_not_utf8(tmp_path):
    csv = tmp_path / "gbk.csv"
    csv.write_bytes(TREE.encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_regions", str(csv))


def test_import_regions_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_regions", str(tmp_path / "absent.csv"))
