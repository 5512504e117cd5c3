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


# What a module of grader/checks/ may import from the grader: the check-writing API (grader/judge/__init__.py) --
# its names (__all__), and what is inside the judge's tool modules it lists (TOOLS) -- the message markers, and
# the exercise's own recipes (grader/recipes/<same name>.py).
def _public_api() -> tuple[set[str], set[str]]:
    """(the names of ``grader.judge``, its tool modules), read from its ``__all__`` and ``TOOLS``."""
    tree = ast.parse((GRADER / "judge" / "__init__.py").read_text(encoding="utf-8"))
    values = {n.targets[0].id: n.value for n in tree.body
              if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)}
    tools = set(ast.literal_eval(values["TOOLS"]))
    names = {e.value for e in values["__all__"].elts if isinstance(e, ast.Constant)}
    return names | tools, tools


def _off_api(folder: Path) -> list[str]:
    api, tools = _public_api()
    bad = []
    for path in sorted(folder.rglob("*.py")):
        if path.name == "__init__.py":
            continue  # the registry, not a check module
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[0] != "grader" or name.startswith("grader.core.i18n."):
                continue
            if parts[:2] == ["grader", "judge"] and len(parts) >= 3 and parts[2] in api \
                    and (len(parts) == 3 or parts[2] in tools):
                continue
            if parts[:3] == ["grader", "recipes", path.stem]:
                continue  # its own exercise's recipes: what the child builds, the judge builds alike
            bad.append(f"{path.relative_to(folder.parent.parent)}:{line} imports {name}")
    return bad


def test_checks_use_only_the_check_writing_api():
    """``from grader.judge import Exercise, expect, ...`` (and ``grader.judge.recurrent.X``): never the core
    (``grader.core.spec``, ``grader.core.wire``), a tool's private path, or another layer."""
    assert _off_api(GRADER / "checks") == []


def test_the_api_rule_can_fail(tmp_path):
    (tmp_path / "grader" / "checks").mkdir(parents=True)
    (tmp_path / "grader" / "judge").mkdir()
    (tmp_path / "grader" / "judge" / "__init__.py").write_text(
        (GRADER / "judge" / "__init__.py").read_text(encoding="utf-8"))
    (tmp_path / "grader" / "checks" / "ex98_x.py").write_text(
        "from grader.judge import Exercise, expect\nfrom grader.judge.recurrent import Recurrent\n"
        "from grader.core.i18n import N_\n"
        "from grader.core.wire import StudentModel\nfrom grader.core.spec import rebuild\n"
        "from grader.judge.expect import close\nfrom grader.judge import secret\n"
        "def f():\n    from grader.front import cli\n")
    globals()["GRADER"], saved = tmp_path / "grader", GRADER
    try:
        found = _off_api(tmp_path / "grader" / "checks")
    finally:
        globals()["GRADER"] = saved
    assert [f.split(" imports ")[1] for f in found] == [
        "grader.core.wire.StudentModel", "grader.core.spec.rebuild", "grader.judge.secret", "grader.front.cli"]


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
