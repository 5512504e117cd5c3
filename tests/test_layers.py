"""The layers of grader/ (README, "Layout"): imports only point down, from the front ends to the exercises'
checks to the judge's tools to the core; inside grader/front/, from the commands to the shared pieces; and no
module of grader/ imports itself through others (no import loop).  Read from the syntax trees, so a lazy import
inside a function counts too."""
from __future__ import annotations

import ast
import sys
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
    # the instructor's side of the expected values (grader.judge.answers): plain computations, not in the release
    "answers": ("grader.front", "grader.checks", "grader.judge", "grader.recipes", "grader.quizzes"),
}


def _module(path: Path, grader: Path | None = None) -> str:
    parts = list(path.relative_to((grader or GRADER).parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, grader: Path | None = None) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module(path, grader).split(".")
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


# ------------------------------------------------------------------ inside grader/front/
# The order of grader/front/: a module imports front modules of the levels BELOW its own only (never one of its
# level, never one above).  The shared pieces come first; then the commands (a module that declares COMMAND,
# grader/front/commands.py) and the notebook's check(), which never import each other: `grade` hands a command
# its arguments by name (commands.run), not by an import.  A new module of grader/front/ gets a level here.
FRONT_LEVELS = [
    # 0: pieces that import no other front module (archive: a zip unpacked safely; lateness: late work;
    # serverlink: how the warm grader's client and server reach each other; trail: the learning trail's history
    # file -- its line, writing it, reading it safely)
    {"extract", "options", "pages", "render", "watch", "registry", "commands", "archive", "lateness", "serverlink",
     "trail"},
    # 1: how a download is laid out (Canvas, Moodle, GitHub Classroom, one entry per student)
    {"layouts"},
    # 2: what was handed in (Submission: discovery, loading), the results folder, and the release's search for
    # reference answers (a notebook's code through extract)
    {"submission", "results", "leaks"},
    # 3: what is made from the results: the feedback pages, the class report, the similar pairs; the warm
    # grader (client and server: grader/front/warm.py), over Submission and the link (serverlink)
    {"feedback", "classreport", "similarity", "warm"},
    # 4: the commands, and check() in a notebook
    {"cli", "batch", "report", "similar", "export", "gradescope", "release", "quiz", "new", "notebook", "daemon",
     "history", "submit"},
]


def _front_level(name: str) -> int | None:
    return next((i for i, level in enumerate(FRONT_LEVELS) if name in level), None)


def _front_violations(front: Path) -> list[str]:
    bad = []
    for path in sorted(front.glob("*.py")):
        if path.name == "__init__.py":
            continue
        level = _front_level(path.stem)
        if level is None:
            bad.append(f"grader/front/{path.name} has no level in FRONT_LEVELS")
            continue
        for line, name in _imports(path, front.parent):
            parts = name.split(".")
            if parts[:2] != ["grader", "front"] or len(parts) < 3:
                continue
            other = _front_level(parts[2])
            if other is None and (front / f"{parts[2]}.py").exists():
                continue  # reported above, as a module without a level
            if other is None or other >= level:
                bad.append(f"grader/front/{path.name}:{line} imports {name} (level {other} from level {level})")
    return bad


def test_front_ends_import_only_shared_pieces_below_them():
    assert _front_violations(GRADER / "front") == []


def test_every_front_module_has_a_level():
    names = {p.stem for p in (GRADER / "front").glob("*.py") if p.name != "__init__.py"}
    assert names == set().union(*FRONT_LEVELS), (names ^ set().union(*FRONT_LEVELS))


def test_the_front_order_can_fail(tmp_path):
    front = tmp_path / "grader" / "front"
    front.mkdir(parents=True)
    (front / "results.py").write_text("def f():\n    from grader.front.batch import run_batch\n")  # up
    (front / "batch.py").write_text("from grader.front import report\nfrom grader.front.results import f\n")
    (front / "feedback.py").write_text("from . import classreport\n")  # one of its own level
    (front / "stray.py").write_text("")
    assert _front_violations(front) == [
        "grader/front/batch.py:1 imports grader.front.report (level 4 from level 4)",
        "grader/front/feedback.py:1 imports grader.front.classreport (level 3 from level 3)",
        "grader/front/results.py:2 imports grader.front.batch.run_batch (level 4 from level 2)",
        "grader/front/stray.py has no level in FRONT_LEVELS"]


# ------------------------------------------------------------------ no import loop anywhere
def _graph(root: Path) -> dict[str, set[str]]:
    """module -> the grader modules it imports (an imported name is resolved to the longest module it names:
    ``from grader.core import session`` is grader.core.session, ``from grader.front.results import line`` is
    grader.front.results)."""
    modules = {_module(p, root): p for p in sorted(root.rglob("*.py"))}

    def resolve(name: str) -> str | None:
        parts = name.split(".")
        return next((".".join(parts[:i]) for i in range(len(parts), 0, -1) if ".".join(parts[:i]) in modules), None)
    return {m: {r for _line, n in _imports(p, root) if (r := resolve(n)) not in (None, m)}
            for m, p in modules.items()}


def import_loops(root: Path) -> list[list[str]]:
    """Every set of modules that import each other, directly or through others (the strongly connected
    components of more than one module, Tarjan's algorithm), each as a sorted list."""
    graph = _graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(loops)


def test_no_import_loop_in_grader():
    assert import_loops(GRADER) == []


def test_a_loop_is_found_however_it_is_made(tmp_path):
    """A loop through a lazy import, a relative import and a package's __init__ is found; a chain is not a loop."""
    pkg = tmp_path / "grader"
    (pkg / "front").mkdir(parents=True)
    (pkg / "core").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "front" / "__init__.py").write_text("")
    (pkg / "core" / "__init__.py").write_text("from grader.core import a\n")
    (pkg / "core" / "a.py").write_text("def f():\n    from . import b\n")
    (pkg / "core" / "b.py").write_text("import grader.core\n")  # b -> the package -> a -> b
    (pkg / "front" / "x.py").write_text("from grader.front.y import g\n")
    (pkg / "front" / "y.py").write_text("def g():\n    from grader.front import x\n")
    (pkg / "front" / "z.py").write_text("from grader.front import x\nfrom grader.core import b\n")  # a chain
    assert import_loops(pkg) == [["grader.core", "grader.core.a", "grader.core.b"],
                                 ["grader.front.x", "grader.front.y"]]
