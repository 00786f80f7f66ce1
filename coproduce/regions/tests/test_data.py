"""The shipped region tree's English names (issue 17: 常绿 was transliterated "Changlv")."""

import csv
import re
from pathlib import Path

ZHEJIANG = Path(__file__).resolve().parents[1] / "data" / "zhejiang_divisions.csv"
# Machine pinyin writes ü as v: lv, lve, nv, nve. Pinyin has no other syllable with a v, and the
# English words of the names (Town, Street, Village, District...) hold none after an l or n.
MACHINE_U = re.compile(r"[ln]ve?(?![a-z])", re.IGNORECASE)


def test_english_names_write_u_umlaut_not_v():
    with ZHEJIANG.open(encoding="utf-8") as rows:
        wrong = [
            (row["code"], row["name_zh"], row["name_en"])
            for row in csv.DictReader(rows)
            if MACHINE_U.search(row["name_en"])
        ]
    assert not wrong, wrong


def test_changlu_is_written_with_its_u_umlaut():
    with ZHEJIANG.open(encoding="utf-8") as rows:
        names = {row["name_zh"]: row["name_en"] for row in csv.DictReader(rows)}
    assert names["常绿镇"] == "Changlü Town"
    assert names["夏履镇"] == "Xialü Town"
