"""Disguised copies for `grade similar`: what students do to hide a copy.

Each function takes Python source and returns a disguised version that still
runs the same: renamed variables, reordered functions, changed comments and
whitespace, one function transplanted into otherwise original work, or the
whole file split into notebook cells.  tests/test_report.py builds a corpus per
exercise from the reference solution and the independent ``alt_*.py``
solutions of tests/submissions; bench/report.py builds 200 submissions with
``variants``.
"""
from __future__ import annotations

import ast
import builtins
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["alpha", "beta", "gamma", "delta", "tmp", "val", "arr", "res", "acc", "cur", "nxt", "q", "z", "k2",
         "buf", "item", "thing", "data", "stuff", "foo", "bar", "baz", "m", "p", "r", "u", "idx", "cnt"]


def reference(ex: str) -> str:
    return next((ROOT / "solutions").glob(f"{ex}_*.py")).read_text()


def alternatives(ex: str) -> dict[str, str]:
    return {p.stem: p.read_text() for p in sorted((ROOT / "tests" / "submissions" / ex).glob("alt_*.py"))}


class _Renamer(ast.NodeTransformer):
    """Renames every local variable and argument inside functions (not globals, modules or attributes)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: dict[str, str] = {}

    def _new(self, old: str) -> str:
        if old not in self.names:
            self.names[old] = f"{self.rng.choice(WORDS)}_{len(self.names)}"
        return self.names[old]

    def visit_FunctionDef(self, node):
        local = {a.arg for a in node.args.args + node.args.kwonlyargs + node.args.posonlyargs} - {"self"}
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                local.add(n.id)
        local -= set(dir(builtins))
        for n in ast.walk(node):
            if isinstance(n, ast.arg) and n.arg in local:
                n.arg = self._new(n.arg)
            elif isinstance(n, ast.Name) and n.id in local:
                n.id = self._new(n.id)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def rename(code: str, rng: random.Random) -> str:
    """Every local variable and parameter renamed (calls by keyword are rewritten to match)."""
    tree = ast.parse(code)
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    renamer = _Renamer(rng)
    params_before = {name: [a.arg for a in d.args.args] for name, d in defs.items()}
    tree = renamer.visit(tree)
    for call in ast.walk(tree):  # keep keyword calls between the file's own functions valid
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in params_before:
            for kw in call.keywords:
                if kw.arg in renamer.names:
                    kw.arg = renamer.names[kw.arg]
    return ast.unparse(tree) + "\n"


def reorder(code: str, rng: random.Random) -> str:
    """The same functions in another order (imports stay on top)."""
    tree = ast.parse(code)
    head = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr))]
    rest = [n for n in tree.body if n not in head]
    original = list(rest)
    while len(rest) > 1 and rest == original:
        rng.shuffle(rest)
    lines = code.splitlines()
    chunks = [("\n".join(lines[n.lineno - 1 - len(n.decorator_list) if hasattr(n, "decorator_list") else
                               n.lineno - 1:n.end_lineno])) for n in rest]
    top = "\n".join(lines[:head[-1].end_lineno]) if head else ""
    return top + "\n\n\n" + "\n\n\n".join(chunks) + "\n"


def recomment(code: str, rng: random.Random) -> str:
    """Other comments, other blank lines, two-space indentation, other spacing; same code."""
    out = []
    for line in code.splitlines():
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 4 * "  " + (len(line) - len(stripped)) % 4 * " "
        if stripped.startswith("#"):
            continue  # the old comments go
        if stripped.startswith(("def ", "class ")):
            out += ["", f"{indent}# {rng.choice(WORDS)} -- my own helper, written from scratch"]
        if re.match(r"^[\w, ]+ = ", stripped) and "#" not in stripped and not stripped.endswith(("(", "[", "{", ",")):
            stripped = stripped.replace(" = ", "=", 1) + f"    # {rng.choice(WORDS)}"
        out.append(indent + stripped if stripped else "")
    return "\n".join(out) + "\n"


def transplant(original: str, donor: str, function: str) -> str:
    """``original`` with its ``function`` replaced by the donor's (the rest stays the original work)."""
    def span(code):
        tree = ast.parse(code)
        node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
        return node.lineno - 1 - len(node.decorator_list), node.end_lineno
    o_lines, d_lines = original.splitlines(), donor.splitlines()
    (os_, oe), (ds, de) = span(original), span(donor)
    return "\n".join(o_lines[:os_] + d_lines[ds:de] + o_lines[oe:]) + "\n"


def as_notebook(code: str) -> str:
    """The file as a Jupyter notebook: one cell per top-level definition, markdown between, outputs saved."""
    tree = ast.parse(code)
    lines = code.splitlines()
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# My notebook\nWork for the exercise."}]
    for n in tree.body:
        if isinstance(n, ast.Expr):
            continue
        src = "\n".join(lines[n.lineno - 1:n.end_lineno])
        cells.append({"cell_type": "code", "execution_count": len(cells), "metadata": {}, "outputs": [],
                      "source": src})
        cells.append({"cell_type": "markdown", "metadata": {}, "source": "Next step."})
    cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                  "source": "%matplotlib inline\nprint('done')"})
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                      "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1)


def variants(ex: str, rng: random.Random) -> str:
    """A random disguise of the reference or of an alternative (for the benchmark's 200 submissions)."""
    base = rng.choice([reference(ex), *alternatives(ex).values()])
    for step in rng.sample([rename, reorder, recomment], k=rng.randint(1, 3)):
        base = step(base, rng)
    return base
