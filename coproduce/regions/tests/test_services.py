"""Importing region trees: all or nothing, line numbers, the real Zhejiang file, subtrees."""

from pathlib import Path

import pytest

from conftest import TREE
from coproduce.core.errors import ValidationFailed
from coproduce.core.models import AuditEvent
from coproduce.regions.models import Region
from coproduce.regions.selectors import region_ancestors, region_get, region_subtree
from coproduce.regions.services import regions_import

pytestmark = pytest.mark.django_db

ZHEJIANG = Path(__file__).resolve().parents[1] / "data" / "zhejiang_divisions.csv"
HEADER = "code,name_zh,name_en,level,parent_code\n"


def test_import_stores_the_tree_with_paths_and_depths():
    result = regions_import(text=TREE)
    assert result.created == 11 and result.updated == 0
    area = Region.objects.get(code="330111001001001")
    assert area.path == "/330000/330100/330111/330111001/330111001001/330111001001001/"
    assert area.depth == 5
    assert area.parent_id == "330111001001"
    assert area.name == "秋月一区" and area.name_en == "Qiuyue Area 1"


def test_a_bad_row_stores_nothing_and_names_its_line():
    text = HEADER + "330000,浙江省,Zhejiang,province,\n330100,杭州市,Hangzhou,city,330000\n"
    text += "330111,富阳区,Fuyang,county,339999\n"  # line 4: no such parent
    with pytest.raises(ValidationFailed) as failure:
        regions_import(text=text)
    assert Region.objects.count() == 0
    assert "line 4" in failure.value.message
    assert failure.value.fields["rows"][0].startswith("line 4, parent_code")
    assert not AuditEvent.objects.filter(action="regions.import").exists()


def test_line_numbers_count_blank_lines_and_quoted_line_breaks():
    text = (
        HEADER
        + "330000,浙江省,Zhejiang,province,\n"  # line 2
        + "\n"  # line 3: blank
        + '330100,杭州市,"Hangzhou\nCity",city,330000\n'  # lines 4-5: one quoted record
        + "330111,富阳区,Fuyang,metropolis,330100\n"  # line 6: bad level
    )
    with pytest.raises(ValidationFailed) as failure:
        regions_import(text=text)
    assert failure.value.fields["rows"] == [
        "line 6, level: 'metropolis' is not one of province, city, county, township, "
        "community, residential_area"
    ]


def test_a_bad_row_after_a_good_existing_tree_leaves_the_tree_untouched():
    regions_import(text=TREE)
    before = list(Region.objects.values_list("code", "name", "path"))
    text = HEADER + "330111,改名区,Renamed,county,330100\n331000,台州市,Taizhou,town,330000\n"
    with pytest.raises(ValidationFailed) as failure:
        regions_import(text=text)
    assert "line 3" in failure.value.message
    assert list(Region.objects.values_list("code", "name", "path")) == before


def test_a_header_without_the_columns_is_refused_on_line_1():
    with pytest.raises(ValidationFailed) as failure:
        regions_import(text="code,name\n330000,浙江省\n")
    assert failure.value.message.startswith("Line 1")
    assert Region.objects.count() == 0


def test_an_unreadable_csv_is_a_validation_failure_not_a_crash():
    with pytest.raises(ValidationFailed):
        regions_import(text=HEADER + '330000,"浙江省,Zhejiang,province,\n' + "\x00" * 3)
    assert Region.objects.count() == 0


def test_many_errors_are_capped_and_counted():
    text = HEADER + "".join(f"C{i},x,x,nowhere,\n" for i in range(60))
    with pytest.raises(ValidationFailed) as failure:
        regions_import(text=text)
    rows = failure.value.fields["rows"]
    assert len(rows) == 51 and rows[-1] == "... and 10 more"
    assert "60 error(s)" in failure.value.message


def test_moving_a_region_with_children_is_refused():
    regions_import(text=TREE)
    with pytest.raises(ValidationFailed) as failure:
        regions_import(text=HEADER + "330111001,富春街道,Fuchun,township,330110\n")
    assert "line 2, parent_code" in failure.value.fields["rows"][0]
    assert Region.objects.get(code="330111001").parent_id == "330111"


def test_the_zhejiang_file_gives_1489_regions():
    result = regions_import(text=ZHEJIANG.read_text(encoding="utf-8"))
    assert result.created == 1489
    assert Region.objects.count() == 1489
    assert Region.objects.filter(level="township").count() == 1387
    yuanqiao = Region.objects.get(code="331003107")
    assert yuanqiao.path == "/330000/331000/331003/331003107/"


def test_reimporting_the_same_file_changes_nothing():
    text = ZHEJIANG.read_text(encoding="utf-8")
    regions_import(text=text)
    paths = dict(Region.objects.values_list("code", "path"))
    again = regions_import(text=text)
    assert (again.created, again.updated) == (0, 0)
    assert dict(Region.objects.values_list("code", "path")) == paths


def test_reimport_updates_a_changed_name():
    regions_import(text=TREE)
    result = regions_import(text=TREE.replace("Fuyang District", "Fuyang"))
    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="330111").name_en == "Fuyang"


def test_import_is_audited_with_its_counts():
    regions_import(text=TREE)
    event = AuditEvent.objects.get(action="regions.import")
    assert event.details == {"created": 11, "updated": 0}


def test_subtree_is_one_prefix_query_on_the_path(django_assert_num_queries):
    regions_import(text=TREE)
    fuyang = region_get(code="330111")
    with django_assert_num_queries(1) as captured:
        codes = {r.code for r in region_subtree(region=fuyang)}
    assert codes == {
        "330111",
        "330111001",
        "330111001001",
        "330111001001001",
        "330111001001002",
    }
    sql = captured.captured_queries[0]["sql"]
    assert "path" in sql and "LIKE" in sql.upper()


def test_a_sibling_whose_code_starts_the_same_is_not_in_the_subtree():
    # "/330111/" must not match "/3301110/...": the path ends each code with "/".
    regions_import(text=TREE + "3301110,假区,Lookalike,county,330100\n")
    fuyang = region_get(code="330111")
    assert "3301110" not in {r.code for r in region_subtree(region=fuyang)}


def test_ancestors_are_read_off_the_path_from_the_top():
    regions_import(text=TREE)
    area = region_get(code="330111001001001")
    assert [r.code for r in region_ancestors(region=area)] == [
        "330000",
        "330100",
        "330111",
        "330111001",
        "330111001001",
    ]
