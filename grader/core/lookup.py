"""What an exercise declares, looked up beside ``Exercise`` (``grader/core/spec.py``) for the front ends:

* ``exercise_api``: the public functions and classes of its stub (``exercises/<module>.py``), in file order;
* ``checks_using``: the public checks that declare they call a function (``uses=``) -- what the notebook's
  ``check("ex01", "conv_output_length")`` runs and what a released notebook's check cell names;
* ``outline``: its id, title, summary and points read from the check module's source, without importing
  it: a check module imports Keras, and ``grade list`` needs none.  Check declarations stay literals for
  it (``tests/test_lookup.py`` holds the reading equal to the imported exercise for every exercise).
"""
from __future__ import annotations

import ast
import dataclasses
import importlib.util
from pathlib import Path

from grader.core.errors import UsageError
from grader.core.i18n import _


def exercise_api(ex) -> list[str]:
    """Public top-level functions and classes of the exercise's stub, in file order."""
    spec = importlib.util.find_spec(f"exercises.{ex.module}")
    if spec is None or not spec.origin:
        return []
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    return [s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and not s.name.startswith("_")]


def functions_of_checks(ex) -> dict[str, set[str]]:
    """check name -> the exercise's functions it calls, as each check declares them (``uses=``)."""
    return {c.name: set(c.uses) for c in ex.checks}


def checks_using(ex, function: str) -> list[str]:
    """Names of the public checks that declare they call ``function`` (UsageError naming the choices if
    none)."""
    names = [c.name for c in ex.checks_using(function) if not c.hidden]
    if not names:
        declared = {f for c in ex.checks if not c.hidden for f in c.uses}
        known = [f for f in exercise_api(ex) if f in declared]
        raise UsageError(_("no check of {exercise} calls {function}; the functions with checks are: {known}").format(
            exercise=ex.id, function=function, known=", ".join(known)))
    return names


# ------------------------------------------------------------------ an exercise read from its source
@dataclasses.dataclass
class Outline:
    """What ``grade list`` shows of an exercise: titles are msgids (translated when shown)."""
    id: str
    title: str
    summary: str
    public_points: float
    total_points: float


class Unreadable(ValueError):
    """A check module whose declarations are not literals (the caller imports it instead)."""


def _text(node: ast.AST | None) -> str:
    """A string literal, or ``N_("...")`` / ``_("...")`` of one."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("N_", "_") \
            and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise Unreadable(ast.dump(node) if node is not None else "missing")


def _keyword(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _declarations(tree: ast.Module) -> list[ast.Call]:
    """The calls at the top of a module that declare a check: a decorator of a top-level function
    (``@EXERCISE.check(points=1, ...)``) or a top-level call (``RNN.declare_cell_check(EXERCISE, ...,
    points=2)``) with a ``points=`` keyword."""
    calls = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            calls += [d for d in node.decorator_list if isinstance(d, ast.Call)]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            calls.append(node.value)
    return [c for c in calls if _keyword(c, "points") is not None]


def outline_of_source(text: str, attr: str = "EXERCISE") -> Outline:
    """The ``Outline`` of a check module's text (``Unreadable`` when a declaration is not a literal)."""
    tree = ast.parse(text)
    found = [n.value for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
             and any(isinstance(t, ast.Name) and t.id == attr for t in n.targets)]
    if not found:
        raise Unreadable(f"no {attr} = ...")
    call = found[0]
    args = list(call.args)
    ex_id = ast.literal_eval(args[0] if args else _keyword(call, "id"))
    title = _text(args[1] if len(args) > 1 else _keyword(call, "title"))
    summary_node = _keyword(call, "summary")
    summary = _text(summary_node) if summary_node is not None else ""
    public = total = 0.0
    for decl in _declarations(tree):
        try:
            points = ast.literal_eval(_keyword(decl, "points"))
            hidden = ast.literal_eval(_keyword(decl, "hidden")) if _keyword(decl, "hidden") is not None else False
        except ValueError:
            raise Unreadable(ast.unparse(decl)) from None
        total += points
        public += 0 if hidden else points
    return Outline(ex_id, title, summary, public, total)


def outline(registry, key) -> Outline:
    """The ``Outline`` of an exercise of ``registry`` (``grader.checks.EXERCISES``): from its source, or from
    the imported module where that is loaded already or the source cannot be read."""
    import sys
    _id, module = registry.resolve(key)
    name = f"{registry.package}.{module}"
    if name not in sys.modules:
        try:
            spec = importlib.util.find_spec(name)
            return outline_of_source(Path(spec.origin).read_text(encoding="utf-8"), registry.attr)
        except (Unreadable, ImportError, AttributeError, TypeError, OSError, SyntaxError, ValueError):
            pass
    ex = registry.get(key)
    return Outline(ex.id, ex.title, ex.summary or "", ex.public_points, ex.total_points)
