"""The tracing rules stay pure: standard library only, and no clock reads."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

RULES = sorted((Path(__file__).parent.parent / "rules").glob("*.py"))


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rules_import_only_the_standard_library_and_themselves(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("coproduce.tracing.rules")


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rules_never_read_the_clock(path):
    source = path.read_text()
    for call in (".now(", ".today(", ".utcnow(", "time.time("):
        assert call not in source
