"""The checkpoint rules stay pure: standard library only, and no clock reads."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

MODULES = [Path(__file__).parent.parent / name for name in ("rules.py", "staffing.py")]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_rules_import_only_the_standard_library(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in sys.stdlib_module_names, name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_rules_never_read_the_clock(path):
    source = path.read_text()
    for call in (".now(", ".today(", ".utcnow(", "time.time("):
        assert call not in source
