"""The notebook compiler: a notebook's code cells -> the module to grade.

Pure: it reads cells (text) and returns text, imports nothing of ``grader/front/``, and runs no
student code.  ``build_module`` is an ordered list of small steps, each a function of its own that a
test can call without IPython (``use_ipython=False`` strips magics line by line):

1. ``strip``: IPython syntax out -- line magics (``%matplotlib``), shell escapes (``!pip install``,
   ``files = !ls``), help (``obj?``); ``%%bash``-like cell magics drop the cell, the Python body of
   ``%%time``, ``%%timeit``, ``%%capture`` and ``%%prun`` is kept;
2. ``parse``: each cell's syntax tree, or the ``SyntaxError`` of a cell that does not parse;
3. ``classify``: of the top-level statements, only ``from __future__`` lines, imports (also
   ``try: import x / except ImportError: ...``), simple assignments of constants (literals,
   arithmetic on them, attributes of modules, lambdas) and ``def``/``class`` statements are kept;
   calls, loops, prints, training runs and ``check(...)`` cells are never run when grading;
4. ``drop_unresolvable``: an import of a module this Python cannot find (``google.colab``) is left out
   with a note, and so is a constant that reads a name nothing kept defines (``x = history``);
   for every name only its LAST definition in notebook order counts;
5. ``settle_broken``: a cell that does not parse and (re)defines a function or class no later cell
   defines again makes a saved notebook ungradable (``NotebookError`` naming the cell; "Run All"
   stops there too); otherwise it is left out with a note.  In a running kernel (``strict=False``)
   a broken input changed nothing, so it is always left out with a note;
6. ``order``: notebook order, moved earlier only where a decorator, default value, base class or
   constant needs a name defined further down;
7. ``assemble``: the module text, with a stand-in ``get_ipython`` where a function still calls it.

``read_cells`` and ``extract_notebook`` read an ``.ipynb`` file (nbformat) into cells first.
"""
from __future__ import annotations

import ast
import builtins
import dataclasses
import importlib.util
import json
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Iterable

from grader.core.i18n import _

PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
IGNORED_IMPORTS = ("grader.notebook",)  # the notebook's own `from grader.notebook import check`
GET_IPYTHON_SHIM = '''\
def get_ipython():  # added by the grader: IPython magics inside functions do nothing here
    class _NoIPython:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None
    return _NoIPython()
'''


class NotebookError(ValueError):
    """A notebook that cannot be graded; the message names the file and the cell."""


@dataclasses.dataclass
class Cell:
    label: str  # how the student finds it: "cell 5" (position in the notebook) or "In [7]"
    source: str


@dataclasses.dataclass
class Extraction:
    source: str  # the module to grade
    notes: list[str]  # what was left out and why (shown under the report)
    defined: dict[str, str]  # name -> label of the cell whose definition is used
    imported: set[str] | None = None  # names the imports bind (None: a star import could bind anything)

    def defines(self, name: str) -> bool:
        return name in self.defined or self.imported is None or name in self.imported


# ------------------------------------------------------------------ step 1: IPython syntax
_LINE_MAGIC = re.compile(r"^(\s*)(?:[%!]|\?)")
_ASSIGN_MAGIC = re.compile(r"^(\s*)[\w.\[\], ]+?\s*=\s*[%!]")
_HELP = re.compile(r"^(\s*)[\w.\[\]()'\"]+\s*\?\??\s*$")


def _strip_magics_fallback(code: str) -> str:
    """Line-based removal of IPython syntax, for when IPython is not installed."""
    lines = code.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split()[0] if first[2:].split() else ""
        if name not in PYTHON_CELL_MAGICS:
            return ""
        lines = lines[1:]
    out = []
    for line in lines:
        m = _LINE_MAGIC.match(line) or _ASSIGN_MAGIC.match(line) or _HELP.match(line)
        out.append(f"{m.group(1)}pass" if m else line)
    return "\n".join(out)


_transformer = None


def strip_magics(code: str, *, use_ipython: bool = True) -> str:
    """Python source with IPython syntax replaced by ``get_ipython()`` calls (IPython's own
    transformer) or, without IPython, by ``pass``; non-Python cell magics become ''."""
    global _transformer
    if use_ipython:
        try:
            if _transformer is None:
                from IPython.core.inputtransformer2 import TransformerManager
                _transformer = TransformerManager()
            return _transformer.transform_cell(code)
        except ImportError:
            pass
        except Exception:  # noqa: BLE001 -- IPython's transformer gives up on some broken code
            pass
    return _strip_magics_fallback(code)


# ------------------------------------------------------------------ step 2: syntax trees
@dataclasses.dataclass
class Parsed:
    """One cell after ``strip`` and ``parse``: its code and syntax tree, or why it does not parse."""
    cell: Cell
    code: str
    tree: ast.Module | None = None
    error: SyntaxError | None = None


def _is_get_ipython_call(node: ast.AST) -> bool:
    """``get_ipython().anything(...)``"""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
            and node.func.value.func.id == "get_ipython")


def _python_cell_magic_body(tree: ast.Module) -> str | None:
    """The body of a ``%%time``-like cell (``get_ipython().run_cell_magic('time', '', body)``)."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if (_is_get_ipython_call(call) and call.func.attr == "run_cell_magic" and len(call.args) == 3
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)
            and call.args[0].value in PYTHON_CELL_MAGICS):
        return call.args[2].value
    return None


def parse(cell: Cell, *, use_ipython: bool = True) -> Parsed | None:
    """Steps 1 and 2 for one cell: ``strip_magics``, then its syntax tree (a ``%%time`` cell: the tree of
    its body, stripped in turn); None for a cell with no code left."""
    code = cell.source
    while True:
        code = strip_magics(code, use_ipython=use_ipython)
        if not code.strip():
            return None
        try:
            tree = ast.parse(code)
        except SyntaxError as e:
            return Parsed(cell, code, error=e)
        body = _python_cell_magic_body(tree)
        if body is None:
            return Parsed(cell, code, tree)
        code = body


# ------------------------------------------------------------------ step 3: which statements are kept
_CONSTANT_NODES = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp, ast.BinOp, ast.BoolOp,
                   ast.Compare, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.Starred, ast.IfExp,
                   ast.JoinedStr, ast.FormattedValue, ast.expr_context, ast.unaryop, ast.operator, ast.boolop,
                   ast.cmpop)


def _is_constant_expr(node: ast.AST) -> bool:
    """Literals and arithmetic on them, names, attributes and lambdas: nothing that calls."""
    if isinstance(node, ast.Lambda):
        return all(_is_constant_expr(d) for d in [*node.args.defaults, *node.args.kw_defaults] if d is not None)
    if not isinstance(node, _CONSTANT_NODES):
        return False
    return all(_is_constant_expr(child) for child in ast.iter_child_nodes(node))


def _value_names(node: ast.AST) -> set[str]:
    """Names an expression reads when it is evaluated (a lambda's body only when it is called)."""
    if isinstance(node, ast.Lambda):
        return set().union(*[_value_names(d) for d in [*node.args.defaults, *node.args.kw_defaults]
                             if d is not None])
    if isinstance(node, ast.Name):
        return {node.id}
    return set().union(*[_value_names(c) for c in ast.iter_child_nodes(node)])


def _targets(stmt: ast.stmt) -> list[str] | None:
    """Names a simple constant assignment defines (None: not such an assignment)."""
    if isinstance(stmt, ast.Assign):
        targets, value = stmt.targets, stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and stmt.simple:
        targets, value = [stmt.target], stmt.value
    else:
        return None
    names = []
    for t in targets:
        elts = t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t]
        if not all(isinstance(e, ast.Name) for e in elts):
            return None
        names += [e.id for e in elts]
    return names if _is_constant_expr(value) else None


def _is_import(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Import):
        return not any(a.name.startswith(IGNORED_IMPORTS) for a in stmt.names)
    if isinstance(stmt, ast.ImportFrom):
        return not (stmt.module or "").startswith(IGNORED_IMPORTS)
    return False


def _is_guarded_import(stmt: ast.stmt) -> bool:
    """``try: import x / except ImportError: ...`` made of imports, constants and pass only."""
    if not isinstance(stmt, ast.Try):
        return False
    parts = stmt.body + stmt.orelse + stmt.finalbody + [s for h in stmt.handlers for s in h.body]
    return all(_is_import(s) or isinstance(s, ast.Pass) or _targets(s) is not None for s in parts)


def _loaded_names(nodes: Iterable[ast.AST]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _definition_time_names(stmt: ast.stmt) -> set[str]:
    """Names a def/class/assignment needs when it is executed (not when it is called)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        a = stmt.args
        parts = [*stmt.decorator_list, *a.defaults, *[d for d in a.kw_defaults if d is not None]]
        parts += [x.annotation for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
                  if x is not None and x.annotation is not None]
        if stmt.returns is not None:
            parts.append(stmt.returns)
        return _loaded_names(parts)
    if isinstance(stmt, ast.ClassDef):
        names = _loaded_names([*stmt.decorator_list, *stmt.bases, *[k.value for k in stmt.keywords]])
        for s in stmt.body:
            names |= _definition_time_names(s) if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                   ast.ClassDef)) else _loaded_names([s])
        return names
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        return _value_names(stmt.value) if stmt.value else set()
    return set()


def _defined_names_in_broken_code(code: str) -> list[str]:
    """Top-level ``def``/``class`` names of code that does not parse (read line by line)."""
    return re.findall(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)", code, flags=re.M)


def _bound_by_import(stmt: ast.stmt) -> set[str] | None:
    """Names an import (or a guarded import) binds; None for ``from m import *``."""
    out: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                if a.name == "*":
                    return None
                out.add(a.asname or a.name.split(".")[0])
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
    return out


def segment(lines: list[str], stmt: ast.stmt) -> str:
    """A statement's text, its decorators included."""
    start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
    return "\n".join(lines[start - 1:stmt.end_lineno]).rstrip()


@dataclasses.dataclass
class Item:
    """A kept definition: a ``def``/``class`` ("def") or a constant assignment ("const")."""
    order: int
    names: list[str]
    text: str
    label: str
    needs: set[str]
    kind: str


@dataclasses.dataclass
class Imported:
    """A kept import (``guarded``: inside ``try/except ImportError``, kept whatever it names)."""
    text: str
    label: str
    stmt: ast.stmt
    guarded: bool = False


@dataclasses.dataclass
class Broken:
    """A cell that does not parse: its error, the names it defines (read line by line), its place."""
    cell: Cell
    error: SyntaxError
    names: list[str]
    order: int


@dataclasses.dataclass
class Pieces:
    """What ``classify`` keeps, in notebook order; the later steps narrow it down."""
    futures: list[str] = dataclasses.field(default_factory=list)
    imports: list[Imported] = dataclasses.field(default_factory=list)
    items: list[Item] = dataclasses.field(default_factory=list)
    broken: list[Broken] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    bound: set[str] | None = dataclasses.field(default_factory=set)  # names the imports bind (None: a star)
    last: dict[str, Item] = dataclasses.field(default_factory=dict)  # name -> its last kept definition


def classify(parsed: Iterable[Parsed]) -> Pieces:
    """Step 3: the statements that are kept, each with its place in the notebook (``Item.order``)."""
    pieces, order = Pieces(), 0
    for p in parsed:
        if p.tree is None:
            pieces.broken.append(Broken(p.cell, p.error, _defined_names_in_broken_code(p.code), order))
            order += 1
            continue
        lines = p.code.split("\n")
        for stmt in p.tree.body:
            order += 1
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                text = segment(lines, stmt)
                if text not in pieces.futures:
                    pieces.futures.append(text)
            elif _is_import(stmt) or _is_guarded_import(stmt):
                pieces.imports.append(Imported(segment(lines, stmt), p.cell.label, stmt,
                                               guarded=not _is_import(stmt)))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                pieces.items.append(Item(order, [stmt.name], segment(lines, stmt), p.cell.label,
                                         _definition_time_names(stmt), "def"))
            elif (names := _targets(stmt)) is not None:
                pieces.items.append(Item(order, names, segment(lines, stmt), p.cell.label,
                                         _definition_time_names(stmt), "const"))
            # anything else (calls, loops, prints, training, check(...)) is not run when grading
    return pieces


# ------------------------------------------------------------------ step 4: what cannot resolve
def not_installed(stmt: ast.stmt) -> list[str]:
    """Modules an import needs that this Python cannot find (``google.colab`` in a notebook
    written on Colab): importing them would fail the whole submission.  Only what is certain
    counts: a missing top-level module, or a missing submodule of a namespace package (which
    has no ``__init__`` that could provide it); nothing is imported to find out."""
    if isinstance(stmt, ast.ImportFrom):
        names = [stmt.module] if stmt.module and not stmt.level else []
    else:
        names = [a.name for a in stmt.names]
    missing = []
    for name in dict.fromkeys(names):
        parts = name.split(".")
        try:
            spec = sys.modules.get(parts[0]).__spec__ if parts[0] in sys.modules else \
                importlib.util.find_spec(parts[0])
        except (ImportError, ValueError, AttributeError):
            spec = None
        if spec is None:
            missing.append(parts[0])
        elif len(parts) > 1 and spec.origin in (None, "namespace") and spec.submodule_search_locations:
            from importlib.machinery import PathFinder
            if PathFinder.find_spec(".".join(parts[:2]), list(spec.submodule_search_locations)) is None:
                missing.append(".".join(parts[:2]))
    return missing


def drop_unresolvable(pieces: Pieces) -> Pieces:
    """Step 4: leave out the imports of modules that are not installed (with a note each) -- each import
    once -- then the constant assignments that read a name nothing kept defines (a variable a dropped
    statement computed, ``x = history``: they would fail the whole import); ``pieces.last`` is then
    name -> its last kept definition."""
    kept: list[Imported] = []
    bound: set[str] | None = set()
    for imp in pieces.imports:
        if not imp.guarded and (missing := not_installed(imp.stmt)):
            pieces.notes.append(_("{cell}: `{code}` was left out: {modules} is not installed where the grader "
                                  "runs").format(cell=imp.label, code=imp.text.strip(), modules=", ".join(missing)))
            continue
        if all(imp.text != k.text for k in kept):
            kept.append(imp)
        names = _bound_by_import(imp.stmt)
        bound = None if bound is None or names is None else bound | names
    pieces.imports, pieces.bound = kept, bound
    items = pieces.items
    while True:
        last: dict[str, Item] = {}
        for item in items:
            for n in item.names:
                last[n] = item
        if bound is None:
            break
        known = set(dir(builtins)) | bound | set(last)
        bad = [it for it in items if it.kind == "const" and any(last.get(n) is it for n in it.names)
               and (not it.needs <= known or set(it.needs) & set(it.names))]
        if not bad:
            break
        items = [it for it in items if not any(it is b for b in bad)]
    pieces.items, pieces.last = items, last
    return pieces


# ------------------------------------------------------------------ step 5: cells that do not parse
def settle_broken(pieces: Pieces, *, strict: bool) -> Pieces:
    """Step 5: a note for each cell that does not parse, or ``NotebookError`` (``strict``: a saved
    notebook) when it defines a function or class that no later cell defines again."""
    last = pieces.last
    for b in pieces.broken:
        superseded = [n for n in b.names if n in last and last[n].order > b.order]
        pending = [n for n in b.names if n not in superseded]
        where = f"line {b.error.lineno}" if b.error.lineno else ""
        problem = _("{cell} does not parse ({where}: {error})").format(cell=b.cell.label, where=where,
                                                                       error=b.error.msg)
        if not b.names:
            pieces.notes.append(problem + "; " + _("it defines no function or class, so it was left out"))
            continue
        if pending and strict:
            raise NotebookError(problem + "; " + _(
                "it defines {names}, so the notebook cannot be graded: fix the cell or delete it").format(
                names=", ".join(pending)))
        if pending:
            older = [n for n in pending if n in last]
            pieces.notes.append(problem + "; " + (_("graded with the earlier definition of {names}").format(
                names=", ".join(older)) if older else _("it was left out")))
        else:
            pieces.notes.append(problem + "; " + _("it was left out (a later cell defines the same names)"))
    return pieces


# ------------------------------------------------------------------ step 6: the order of definitions
def order(pieces: Pieces) -> list[Item]:
    """Step 6: the last definition of each name, in notebook order, except that what a definition needs
    at definition time comes first."""
    last = pieces.last
    kept = [it for it in pieces.items if any(last[n] is it for n in it.names)]
    deps = {id(it): {id(last[n]) for n in it.needs if n in last and last[n] is not it} for it in kept}
    todo = sorted(kept, key=lambda it: it.order)
    done: set[int] = set()
    out: list[Item] = []
    while todo:
        # the earliest item whose needs are met; in a cycle, simply the earliest
        item = next((it for it in todo if deps[id(it)] <= done), todo[0])
        todo.remove(item)
        done.add(id(item))
        out.append(item)
    return out


# ------------------------------------------------------------------ step 7: the module
def assemble(pieces: Pieces, ordered: list[Item], name: str) -> Extraction:
    """Step 7: the module text -- ``__future__`` lines, imports, then each kept definition under the
    label of its cell -- and what it defines."""
    text = "\n\n\n".join(f"# {it.label}\n{it.text}" for it in ordered)
    header = f"# Built by grader.notebook from {name}: imports, constants, and the last definition of each name.\n"
    parts = [header + "\n".join(pieces.futures), "\n".join(imp.text for imp in pieces.imports)]
    if re.search(r"\bget_ipython\s*\(", text):
        parts.append(GET_IPYTHON_SHIM)
    parts.append(text)
    source = "\n\n".join(p for p in parts if p.strip()) + "\n"
    last = pieces.last
    defined = {n: it.label for n, it in last.items() if any(last[m] is it for m in it.names)}
    return Extraction(source, pieces.notes, defined, pieces.bound)


def build_module(cells: Iterable[Cell], *, name: str = "notebook", strict: bool = True,
                 use_ipython: bool = True) -> Extraction:
    """The module a notebook's code defines: the steps above, in order.

    ``strict``: a cell that does not parse and defines a function or class no later cell redefines
    raises ``NotebookError`` naming the cell (a saved notebook); otherwise broken cells are left out
    with a note (a kernel's history, where a broken input changed nothing).
    """
    parsed = [p for p in (parse(c, use_ipython=use_ipython) for c in cells) if p is not None]
    pieces = settle_broken(drop_unresolvable(classify(parsed)), strict=strict)
    return assemble(pieces, order(pieces), name)


# ------------------------------------------------------------------ .ipynb files
def read_cells(path_or_nb: Any) -> tuple[str, list[Cell]]:
    """(display name, code cells) of a notebook file, JSON text or nbformat object."""
    import nbformat
    name = "the notebook"
    if isinstance(path_or_nb, (str, os.PathLike)):
        path = Path(path_or_nb)
        name = path.name
        try:
            raw = path.read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            raise NotebookError(_("{name} cannot be read: {error}").format(name=name, error=e.strerror or e)) from None
        if not raw.strip():
            raise NotebookError(_("{name} is empty (0 bytes of JSON): nothing to grade").format(name=name))
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            raise NotebookError(_("{name} is not a valid notebook: it is not JSON ({error}: line {line}, "
                                  "column {column})").format(name=name, error=e.msg, line=e.lineno,
                                                             column=e.colno)) from None
    else:
        data = path_or_nb
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        raise NotebookError(_("{name} is not a Jupyter notebook (no list of cells)").format(name=name))
    try:
        with warnings.catch_warnings():  # duplicated or missing cell ids: nbformat repairs them, and so do we
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(data), as_version=4, capture_validation_error={})
    except Exception as e:  # noqa: BLE001 -- any reader failure means the file is not a notebook
        raise NotebookError(_("{name} is not a valid notebook: {error}").format(name=name, error=e)) from None
    cells = []
    for i, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(source)
            cells.append(Cell(_("cell {n}").format(n=i), source))
    return name, cells


def extract_notebook(path_or_nb: Any, *, use_ipython: bool = True) -> Extraction:
    name, cells = read_cells(path_or_nb)
    if not any(c.source.strip() for c in cells):
        raise NotebookError(_("{name} has no code: nothing to grade").format(name=name))
    return build_module(cells, name=name, strict=True, use_ipython=use_ipython)


def source_from_notebook(path_or_nb: Any) -> str:
    """The module to grade for a notebook (raises ``NotebookError`` naming the file or cell)."""
    return extract_notebook(path_or_nb).source
