"""The checks a region CSV must pass (no database)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.regions.rules import Level, csv_rows_check, region_path

LEVELS = list(Level)


def numbered(rows):
    """Rows as the reader gives them: with their line, data from line 2."""
    return list(enumerate(rows, start=2))


def row(code, name="x", level="province", parent="", name_en=""):
    return {
        "code": code,
        "name_zh": name,
        "name_en": name_en,
        "level": level,
        "parent_code": parent,
    }


@st.composite
def trees(draw, max_size=25):
    """A valid region tree as CSV rows, parents first: each node below an earlier one."""
    size = draw(st.integers(min_value=1, max_value=max_size))
    depths = [0]
    rows = [row("R0", level=LEVELS[0])]
    for i in range(1, size):
        parents = [j for j in range(i) if depths[j] < len(LEVELS) - 1]
        parent = draw(st.sampled_from(parents))
        depths.append(depths[parent] + 1)
        rows.append(row(f"R{i}", level=LEVELS[depths[i]], parent=f"R{parent}"))
    return rows


@settings(max_examples=50)
@given(trees())
def test_valid_tree_gives_paths_whose_prefixes_are_the_ancestors(rows):
    checked, errors = csv_rows_check(numbered(rows), existing={})
    assert errors == []
    assert [r.code for r in checked] == [r["code"] for r in rows]
    parent_of = {r["code"]: r["parent_code"] or None for r in rows}
    for r in checked:
        ancestors = []
        code = parent_of[r.code]
        while code:
            ancestors.insert(0, code)
            code = parent_of[code]
        assert r.path == "/" + "/".join([*ancestors, r.code]) + "/"
        segments = r.path.strip("/").split("/")
        assert segments[:-1] == ancestors
        assert r.parent_code == parent_of[r.code]


@settings(max_examples=60)
@given(trees(), st.randoms(use_true_random=False))
def test_a_child_before_its_parent_is_reported_on_its_own_line(rows, rnd: random.Random):
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    checked, errors = csv_rows_check(numbered(shuffled), existing={})
    # A row is accepted when its parent was accepted on an earlier line; line 1 is the header.
    accepted: set[str] = set()
    expected_lines = set()
    for line, r in enumerate(shuffled, start=2):
        if not r["parent_code"] or r["parent_code"] in accepted:
            accepted.add(r["code"])
        else:
            expected_lines.add(line)
    assert {e.line for e in errors} == expected_lines
    assert all(e.column == "parent_code" for e in errors)
    for e in errors:
        assert shuffled[e.line - 2]["parent_code"] in e.message
        assert str(e).startswith(f"line {e.line}, parent_code:")
    assert {r.code for r in checked} == accepted


def test_parent_may_be_a_region_already_stored():
    existing = {"330111": ("/330000/330100/330111/", Level.COUNTY)}
    checked, errors = csv_rows_check(
        numbered([row("330111001", level="township", parent="330111")]), existing=existing
    )
    assert errors == []
    assert checked[0].path == "/330000/330100/330111/330111001/"


def test_each_bad_row_is_reported_with_its_line_and_column():
    rows = [
        row("330000", level="province"),
        row("33 01", level="city", parent="330000"),  # line 3: a space in the code
        row("330100", name="", level="city", parent="330000"),  # line 4: no name
        row("330200", level="capital", parent="330000"),  # line 5: unknown level
        row("330300", level="province", parent="330000"),  # line 6: a province below one
        row("330000", level="province"),  # line 7: the code again
        row("330400", name="x" * 101, level="city", parent="330000"),  # line 8: name too long
    ]
    checked, errors = csv_rows_check(numbered(rows), existing={})
    found = {(e.line, e.column) for e in errors}
    assert found == {
        (3, "code"),
        (4, "name_zh"),
        (5, "level"),
        (6, "level"),
        (7, "code"),
        (8, "name_zh"),
    }
    assert [r.code for r in checked] == ["330000"]


def test_a_row_without_a_column_is_reported():
    _, errors = csv_rows_check(
        numbered([{"code": "1", "name_zh": "x", "level": "province"}]), existing={}
    )
    assert [(e.line, e.column) for e in errors] == [(2, "name_en")]


def test_children_of_a_refused_row_are_refused_too():
    rows = [
        row("A", level="province"),
        row("B", level="nowhere", parent="A"),
        row("C", level="county", parent="B"),
    ]
    _, errors = csv_rows_check(numbered(rows), existing={})
    assert {(e.line, e.column) for e in errors} == {(3, "level"), (4, "parent_code")}


def test_region_path_of_a_root_and_of_a_child():
    assert region_path(None, "330000") == "/330000/"
    assert region_path("/330000/", "330100") == "/330000/330100/"
