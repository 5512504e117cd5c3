"""Notebooks: grade an ``.ipynb`` file, and ``check()`` inside a running notebook.

In a notebook::

    from grader.notebook import check
    check("ex03")                        # every public check of ex03
    check("ex03", "build_conv_stack")    # only the checks that call build_conv_stack

Both paths build a plain Python module from notebook code with the same pure
helper, ``build_module``, and grade it with the engine (``grade_file(...,
source_text=...)``), so the student's code runs in the sandbox's child
process with the exercise's time and memory limits -- a notebook kernel never
hangs on an endless loop.

What goes into the module is chosen by what the code *defines*, not by cell
position or cell ids:

* IPython syntax is removed first: line magics (``%matplotlib``), shell
  escapes (``!pip install``, ``files = !ls``), help (``obj?``), and cell
  magics (``%%bash`` cells are dropped; the Python body of ``%%time``,
  ``%%timeit``, ``%%capture`` and ``%%prun`` cells is kept).
* Of the top-level statements of every code cell, only imports, simple
  assignments of constants (literals, arithmetic on them, attributes of
  modules, lambdas) and ``def``/``class`` statements are kept; calls, loops,
  prints, training runs and ``check(...)`` cells are not executed.
* For every name, only its LAST definition in notebook order counts, so a
  student who duplicated, reordered or deleted cells is graded on what the
  notebook finally defines.  Definitions are emitted in notebook order,
  moved earlier only where a decorator, default value, base class or
  constant needs a name defined further down.
* A code cell that does not parse: when it (re)defines a function or class
  that no later cell defines again, the notebook cannot be graded and the
  error names the cell (the grader will not guess which version was meant,
  and "Run All" in Jupyter stops at that cell too).  A broken cell that
  defines nothing is left out with a note.  In a running kernel (``check``)
  broken inputs never changed the kernel's state, so they are always left
  out with a note.

``check(exercise, function)`` runs the checks that declare ``function`` in
their ``uses=`` (``@EX.check(..., uses=("fn",))``); a check that calls a
function it does not declare ends as an internal grader error, so the
declarations cannot go stale unseen.
"""
from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.util
import inspect
import json
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import _
from grader.core.lookup import checks_using, functions_of_checks

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


# ------------------------------------------------------------------ IPython syntax
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


# ------------------------------------------------------------------ which statements are kept
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


def _not_installed(stmt: ast.stmt) -> list[str]:
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


@dataclasses.dataclass
class _Item:
    order: int
    names: list[str]
    text: str
    label: str
    needs: set[str]
    kind: str  # "def" (def, class) or "const" (a constant assignment)


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


def _segment(lines: list[str], stmt: ast.stmt) -> str:
    start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
    return "\n".join(lines[start - 1:stmt.end_lineno]).rstrip()


def build_module(cells: Iterable[Cell], *, name: str = "notebook", strict: bool = True,
                 use_ipython: bool = True) -> Extraction:
    """The module a notebook's code defines (the pure helper behind ``.ipynb`` grading and ``check``).

    ``strict``: a cell that does not parse and defines a function or class no
    later cell redefines raises ``NotebookError`` naming the cell (a saved
    notebook); otherwise broken cells are left out with a note (a kernel's
    history, where a broken input changed nothing).
    """
    imports: list[str] = []
    bound: set[str] | None = set()  # names the imports bind (None: a star import, anything may exist)
    futures: list[str] = []
    items: list[_Item] = []
    notes: list[str] = []
    broken: list[tuple[Cell, SyntaxError, list[str], int]] = []  # cell, error, names it defines, order
    order = 0

    def take(cell: Cell, code: str) -> None:
        nonlocal order, bound
        code = strip_magics(code, use_ipython=use_ipython)
        if not code.strip():
            return
        try:
            tree = ast.parse(code)
        except SyntaxError as e:
            broken.append((cell, e, _defined_names_in_broken_code(code), order))
            order += 1
            return
        body = _python_cell_magic_body(tree)
        if body is not None:
            take(cell, body)
            return
        lines = code.split("\n")
        for stmt in tree.body:
            order += 1
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                text = _segment(lines, stmt)
                if text not in futures:
                    futures.append(text)
            elif _is_import(stmt) and (missing := _not_installed(stmt)):
                notes.append(_("{cell}: `{code}` was left out: {modules} is not installed where the grader "
                               "runs").format(cell=cell.label, code=_segment(lines, stmt).strip(),
                                              modules=", ".join(missing)))
            elif _is_import(stmt) or _is_guarded_import(stmt):
                text = _segment(lines, stmt)
                if text not in imports:
                    imports.append(text)
                names = _bound_by_import(stmt)
                bound = None if bound is None or names is None else bound | names
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                items.append(_Item(order, [stmt.name], _segment(lines, stmt), cell.label,
                                   _definition_time_names(stmt), "def"))
            elif (names := _targets(stmt)) is not None:
                items.append(_Item(order, names, _segment(lines, stmt), cell.label, _definition_time_names(stmt),
                                   "const"))
            # anything else (calls, loops, prints, training, check(...)) is not run when grading

    for cell in cells:
        take(cell, cell.source)

    last = _drop_unresolvable_constants(items, bound)
    for cell, err, names, at in broken:
        superseded = [n for n in names if n in last and last[n].order > at]
        pending = [n for n in names if n not in superseded]
        where = f"line {err.lineno}" if err.lineno else ""
        problem = _("{cell} does not parse ({where}: {error})").format(cell=cell.label, where=where, error=err.msg)
        if not names:
            notes.append(problem + "; " + _("it defines no function or class, so it was left out"))
            continue
        if pending and strict:
            raise NotebookError(problem + "; " + _(
                "it defines {names}, so the notebook cannot be graded: fix the cell or delete it").format(
                names=", ".join(pending)))
        if pending:
            older = [n for n in pending if n in last]
            notes.append(problem + "; " + (_("graded with the earlier definition of {names}").format(
                names=", ".join(older)) if older else _("it was left out")))
        else:
            notes.append(problem + "; " + _("it was left out (a later cell defines the same names)"))

    kept = [it for it in items if any(last[n] is it for n in it.names)]
    text = "\n\n\n".join(f"# {it.label}\n{it.text}" for it in _ordered(kept, last))
    header = f"# Built by grader.notebook from {name}: imports, constants, and the last definition of each name.\n"
    parts = [header + "\n".join(futures), "\n".join(imports)]
    if re.search(r"\bget_ipython\s*\(", text):
        parts.append(GET_IPYTHON_SHIM)
    parts.append(text)
    source = "\n\n".join(p for p in parts if p.strip()) + "\n"
    defined = {n: it.label for n, it in last.items() if any(last[m] is it for m in it.names)}
    return Extraction(source, notes, defined, bound)


def _drop_unresolvable_constants(items: list[_Item], bound: set[str] | None) -> dict[str, _Item]:
    """Leave out constant assignments that read a name nothing kept defines (a variable a
    dropped statement computed, ``x = history``) -- they would fail the whole import --
    and return name -> its last kept definition."""
    import builtins
    while True:
        last: dict[str, _Item] = {}
        for item in items:
            for n in item.names:
                last[n] = item
        if bound is None:
            return last
        known = set(dir(builtins)) | bound | set(last)
        bad = [it for it in items if it.kind == "const" and any(last.get(n) is it for n in it.names)
               and (not it.needs <= known or set(it.needs) & set(it.names))]
        if not bad:
            return last
        items[:] = [it for it in items if not any(it is b for b in bad)]


def _ordered(kept: list[_Item], last: dict[str, _Item]) -> list[_Item]:
    """Notebook order, except that what a definition needs at definition time comes first."""
    deps = {id(it): {id(last[n]) for n in it.needs if n in last and last[n] is not it} for it in kept}
    todo = sorted(kept, key=lambda it: it.order)
    done: set[int] = set()
    out: list[_Item] = []
    while todo:
        # the earliest item whose needs are met; in a cycle, simply the earliest
        item = next((it for it in todo if deps[id(it)] <= done), todo[0])
        todo.remove(item)
        done.add(id(item))
        out.append(item)
    return out


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


# ------------------------------------------------------------------ check() in a notebook
def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def kernel_cells(shell=None) -> list[Cell]:
    """What a running kernel defines, as cells: never the ``.ipynb`` file.

    In Colab (and in any front end) the notebook is not a file the kernel can
    read, so ``check()`` works from the kernel itself: the inputs it has
    executed so far, oldest first (IPython's ``In`` history, which every
    IPython kernel keeps -- Jupyter, Colab, VS Code).  Where a shell keeps no
    history, the kernel's namespace is used instead (``namespace_cells``).
    """
    shell = shell or _ipython()
    if shell is None:
        main = sys.modules.get("__main__")
        path = getattr(main, "__file__", None)
        if path and os.path.isfile(path):  # a plain script calling check(): grade its definitions
            return [Cell(os.path.basename(path), Path(path).read_text(encoding="utf-8", errors="replace"))]
        return namespace_cells(vars(main)) if main is not None else []
    history = shell.user_ns.get("In") or getattr(shell.history_manager, "input_hist_raw", None) or []
    cells = [Cell(f"In [{i}]", src) for i, src in enumerate(history) if i and isinstance(src, str)]
    return cells or namespace_cells(shell.user_ns)


_KERNEL_NAME = re.compile(r"^(__\w*__|_+|_i+\d*|_\d+|_(oh|ih|dh))$")  # IPython's and Python's own names
_SIMPLE = (bool, int, float, complex, str, bytes, type(None))


def _simple_value(value, depth: int = 0) -> bool:
    if isinstance(value, _SIMPLE):
        return True
    if isinstance(value, (tuple, list, frozenset, set)) and depth < 3 and len(value) <= 1000:
        return all(_simple_value(v, depth + 1) for v in value)
    if isinstance(value, dict) and depth < 3 and len(value) <= 1000:
        return all(_simple_value(k, depth + 1) and _simple_value(v, depth + 1) for k, v in value.items())
    return False


def _definition_source(obj) -> str | None:
    """The source of a function or class defined in a kernel.  A class is looked up through its
    methods' code (the cell text IPython keeps for linecache), since ``inspect.getsource`` of a
    class reads the file of its module, which a kernel's ``__main__`` has not."""
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        pass
    if not inspect.isclass(obj):
        return None
    import linecache
    for member in vars(obj).values():
        fn = getattr(member, "__func__", member)
        code = getattr(fn, "__code__", None)
        if code is None:
            continue
        text = "".join(linecache.getlines(code.co_filename))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        found = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == obj.__name__
                 and n.lineno <= code.co_firstlineno <= n.end_lineno]
        if found:
            return _segment(text.split("\n"), found[-1])
    return None


def namespace_cells(namespace: dict) -> list[Cell]:
    """Cells rebuilt from a kernel's namespace (the objects it holds now): ``import`` lines for
    modules and for functions and classes of importable modules, the source of the functions
    and classes defined in the kernel (``inspect.getsource``: IPython keeps each cell's text),
    and constants of plain values.  A definition whose source is lost is left out."""
    imports, constants, defs = [], [], []
    for name, value in list(namespace.items()):
        if _KERNEL_NAME.match(name) or name in ("In", "Out", "exit", "quit", "get_ipython", "check"):
            continue
        if inspect.ismodule(value):
            if value.__name__ != "__main__" and name != "__builtins__":
                imports.append(f"import {value.__name__}" + (f" as {name}" if name != value.__name__ else ""))
        elif inspect.isfunction(value) or inspect.isclass(value) or inspect.isbuiltin(value):
            module = getattr(value, "__module__", None)
            if module in (None, "__main__", "builtins") or getattr(sys.modules.get(module), "__file__", None) is None:
                source = _definition_source(value)
                if source:
                    defs.append((name, source))
            elif not module.startswith(IGNORED_IMPORTS):
                qual = getattr(value, "__qualname__", name)
                if "." not in qual and "<" not in qual:
                    imports.append(f"from {module} import {qual}" + (f" as {name}" if name != qual else ""))
        elif _simple_value(value) and name.isidentifier():
            constants.append(f"{name} = {value!r}")
    cells = [Cell(_("the kernel's imports"), "\n".join(imports))] if imports else []
    if constants:
        cells.append(Cell(_("the kernel's constants"), "\n".join(constants)))
    cells += [Cell(name, source) for name, source in defs]
    return cells


def _in_jupyter(shell) -> bool:
    """A notebook front end (Jupyter, VS Code, Colab), not IPython in a terminal."""
    return shell is not None and (hasattr(shell, "kernel") or "google.colab" in sys.modules)


LAST_REPORT = None  # the report of the latest check(), for code that wants the numbers
_LANGUAGE_CHOSEN = False


def prepare() -> None:
    """Ready what ``check()`` needs, while the student reads and writes: the child server starts (it imports
    Keras in its own process) and this kernel imports Keras with the collector paused
    (``compat.import_problem``).  ``from grader.notebook import check`` calls it, so the setup cell takes
    the few seconds of TensorFlow's start-up that the first ``check()`` (or the first cell that imports
    Keras) took before.  Never raises: a Keras that does not import is reported by ``check()``
    (``grader/core/startup.py``, the notebook role)."""
    startup.start(startup.NOTEBOOK)


def check(exercise: str, function: str | Callable | None = None, *, timeout: float | None = None,
          memory_mb: int | None = None, lang: str | None = None, quiet: bool = False) -> None:
    """Grade the functions of ``exercise`` as the notebook defines them right now.

    ``function`` (a name, or the function itself) runs only the checks that
    call it.  Prints the same table as ``grade`` (as HTML in Jupyter) with the
    hint of every check that did not pass; the report is kept in
    ``grader.front.notebook.LAST_REPORT``.  Your code runs in a separate process
    with the exercise's time and memory limits, so an endless loop costs one
    check, never the kernel.

    Works wherever the notebook is not a file (Colab): it grades what the
    kernel ran (``kernel_cells``).  On a runtime with a GPU (Colab) the
    verdict is the CPU's: the judge computes under ``tf.device("/CPU:0")`` and
    the process that runs your code sees no GPU (``grader/core/devices.py``); your
    own cells keep the GPU.
    """
    global LAST_REPORT, _LANGUAGE_CHOSEN
    from grader import checks
    from grader.core import i18n, session
    if lang is not None or not _LANGUAGE_CHOSEN:  # the first check() follows LANG, as `grade` does
        i18n.set_language(lang)
        _LANGUAGE_CHOSEN = True
    if callable(function):
        function = function.__name__
    shell = _ipython()
    prepare()  # (again: the server may have died with an earlier child; the check module imports Keras)
    try:
        with session.quiet_stderr():  # the check modules import Keras: keep TensorFlow's start-up log out
            ex = checks.get(exercise)
            only = checks_using(ex, function) if function else None
    except UsageError as e:
        print(_("check: {error}").format(error=e), file=sys.stderr)
        return None
    from grader.front.submission import Submission
    sub = Submission.from_cells(kernel_cells(shell), name=_("this notebook"))
    skipped: list[str] = []
    if only is not None:
        only, skipped = _runnable(ex, only, function, sub.extraction)
    jupyter = _in_jupyter(shell)
    handle = None
    if jupyter and not quiet:
        from IPython.display import display
        handle = display({"text/plain": _("running the checks...")}, raw=True, display_id=True)

    def progress(done: int, n: int, result) -> None:
        if quiet:
            return
        text = _("running checks... {done}/{n} done ({name}: {status})").format(
            done=done, n=n, name=result.name, status=result.status.value)
        if handle is not None:
            handle.update({"text/plain": text}, raw=True)
        else:
            print("\r" + text.ljust(79), end="", flush=True)
    report = grade_text(ex, sub, only=only, timeout=timeout, memory_mb=memory_mb, progress=progress)
    if handle is None and not quiet:
        print("\r" + " " * 79 + "\r", end="", flush=True)
    report.notes[len(sub.notes):len(sub.notes)] = skipped
    LAST_REPORT = report
    if not quiet:
        show(report, function=function, handle=handle, jupyter=jupyter)
    return None


def _runnable(ex, only: list[str], function: str, extraction: Extraction) -> tuple[list[str], list[str]]:
    """The checks of ``function`` whose other functions the notebook already defines, and a note
    for each one left for later (a notebook run top to bottom checks each function right after
    its cell; a check that also calls a function further down runs at that function's check)."""
    uses = functions_of_checks(ex)
    run, notes = [], []
    for name in only:
        missing = sorted(f for f in uses[name] if f != function and not extraction.defines(f))
        if missing:
            notes.append(_("{check} also calls {missing}, which this notebook does not define yet: it runs with "
                           "the check of {missing} or with check(\"{exercise}\")").format(
                check=name, missing=", ".join(missing), exercise=ex.id))
        else:
            run.append(name)
    return run, notes


def grade_text(ex, source_text, *, only=None, timeout=None, memory_mb=None,
               progress: Callable[[int, int, Any], None] | None = None):
    """Grade module text (or a ``Submission``, its notes first in the report) with the engine (the
    forkserver is started in this process)."""
    from grader.front.submission import Submission
    sub = source_text if isinstance(source_text, Submission) else Submission(f"<{ex.module}>", source_text)
    from grader.core import session
    n = sum(1 for c in ex.checks if not c.hidden and (only is None or c.name in only))
    done = [0]

    def on_check(result) -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], n, result)
    with session.quiet_stderr():
        from grader.core.devices import cpu_only_environment
        with cpu_only_environment():  # (again: the server may have died with an earlier child) no GPU for it
            session.warm_up()
        return sub.grade(ex, only=only, timeout=timeout, memory_mb=memory_mb, on_check=on_check)


def summary_line(report, function: str | None = None) -> str:
    """One line a test (or a student skimming the output) can read: score and statuses."""
    from collections import Counter
    counts = Counter(c.status.value for c in report.checks)
    what = f"{report.exercise} {function}" if function else report.exercise
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return _("{what}: {score:g}/{max_score:g} points ({statuses})").format(
        what=what, score=report.score, max_score=report.max_score, statuses=statuses or "-")


def console_bundle(console) -> dict[str, str]:
    """``text/plain`` and ``text/html`` of everything a recording rich console printed.

    Both exports read the same record buffer, so the first one must keep it
    (``clear=False``): rich's exports clear it by default, and an HTML export
    taken after ``export_text()`` was an empty ``<pre></pre>`` -- the empty box
    every front end (JupyterLab, Colab, VS Code) showed, since they render the HTML.
    """
    text = console.export_text(clear=False)
    html = console.export_html(inline_styles=True, clear=True, code_format='<pre style="font-family:monospace;'
                               'line-height:1.3">{code}</pre>')
    return {"text/plain": text, "text/html": html}


def show(report, *, function: str | None = None, handle=None, jupyter: bool = False) -> None:
    """The table of ``grade``: HTML in Jupyter (with a plain-text copy), the terminal otherwise."""
    import io

    from rich.console import Console

    from grader.front.render import print_report
    line = summary_line(report, function)
    if not jupyter:
        print_report(report, Console())
        print(line)
        return
    console = Console(record=True, file=io.StringIO(), width=110, force_jupyter=False, color_system="truecolor")
    print_report(report, console)
    if any(c.status.value not in ("PASS", "NOT_ATTEMPTED") for c in report.checks):
        console.print(_("Read the hint of each check that did not pass, fix the function, run its cell again, "
                        "then run this check again."))
    console.print(line)
    bundle = console_bundle(console)
    metadata = {"keras_course_grader": {**report.to_dict(), "function": function}}  # for tools, not shown
    if handle is not None:
        handle.update(bundle, raw=True, metadata=metadata)
    else:
        from IPython.display import display
        display(bundle, raw=True, metadata=metadata)
