"""The layers of grader/ (README, "Layout"): imports only point down, from the front ends to the exercises'
checks to the judge's tools to the core.  Read from the syntax trees, so a lazy import inside a function
counts too."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRADER = Path(__file__).resolve().parent.parent / "grader"

# package -> the grader packages it must never import
FORBIDDEN = {
    "core": ("grader.judge", "grader.front", "grader.checks", "grader.recipes", "grader.quizzes"),
    "judge": ("grader.front", "grader.checks", "grader.recipes", "grader.quizzes"),
    "checks": ("grader.front",),
    "recipes": ("grader.front", "grader.judge", "grader.checks"),  # child-side: the core's child API only
    "quizzes": ("grader.front",),  # question banks: the quiz-writing API (grader/judge/quizkit.py)
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(GRADER.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return out


def _violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((GRADER / layer).rglob("*.py")):
        for line, name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                bad.append(f"{path.relative_to(GRADER.parent)}:{line} imports {name}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_point_down(layer):
    assert _violations(layer) == []


def test_the_rule_can_fail(tmp_path):
    """The scan sees an upward import, relative or absolute, at the top or inside a function."""
    core = tmp_path / "grader" / "core"
    core.mkdir(parents=True)
    (core / "bad.py").write_text("def f():\n    from ..front import cli\n")
    (core / "worse.py").write_text("import grader.judge.truth\n")
    globals()["GRADER"], saved = tmp_path / "grader", GRADER
    try:
        found = _violations("core")
    finally:
        globals()["GRADER"] = saved
    assert found == ["grader/core/bad.py:2 imports grader.front.cli", "grader/core/worse.py:1 imports grader.judge.truth"]
