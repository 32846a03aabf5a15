"""No hidden import loops in risk: what a case's status is worked out from, the stored status, and the pages
that read it depend on each other one way, with every import at the top of its module."""

import ast
from pathlib import Path

import pytest

import risk

RISK = Path(risk.__file__).parent

# Each module may import from lower layers only.
LAYERS = [
    {"constants"},
    {"models", "rules"},
    {"snapshots", "due"},  # what the status is worked out from (reads only)
    {"case_status"},  # the stored status: reads that recompute and store stale ones
    {"selectors", "whats_due", "sweeps"},  # what pages and sweeps read
]
LAYER = {name: index for index, names in enumerate(LAYERS) for name in names}


def risk_imports(tree: ast.Module) -> set[str]:
    """The risk modules a module imports (`from . import x`, `from .x import y`, `from risk.x import y`)."""
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1 and node.module is None:
            found.update(alias.name for alias in node.names)
        elif node.level == 1:
            found.add(node.module.split(".")[0])
        elif node.module and node.module.startswith("risk."):
            found.add(node.module.split(".")[1])
    return found


@pytest.mark.parametrize("name", sorted(LAYER))
def test_imports_run_one_way_and_at_the_top(name):
    tree = ast.parse((RISK / f"{name}.py").read_text())
    nested = [
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert nested == [], f"risk/{name}.py imports inside functions at lines {nested}"
    upward = {other for other in risk_imports(tree) if other in LAYER and LAYER[other] >= LAYER[name]}
    assert upward == set(), f"risk/{name}.py imports {upward}, which are not below it"
