"""Is a reference answer in the student release?  Every function of ``solutions/`` held against every
function of the release, by what it is and by what it computes -- never by its name.

* **Its syntax tree**: the function's tree with its name, docstrings, annotations and the names of its
  arguments and local variables replaced by their order of first use (``_shape``).  A copy with the
  variables renamed, under another name, in a notebook cell or a module of the wheel, has the same tree.
* **Its outputs on the public cases**: the arguments the public checks pass to each solution function
  (``public_cases``: the checks run in this process with a stand-in trial that calls the solution, and stop
  at their first request that is not a plain call or a model's), and what the solution returns for them.  A
  function of the release's judge side (``BEHAVIOUR_SCANNED``) that returns the same on every public case
  computes the answer, whatever its code looks like -- unless it asks Keras (``asks_keras``): a truth read
  off Keras's own layer (``grader.judge.truth``) is what the course lets a student compute with Keras too.
* **The model it builds**, for a solution function that builds a Keras model (the public checks ask for it
  with ``t.build``, ``t.call_model`` or a ``stateless_<fn>`` recipe): its layers in order -- class, output
  shape, parameter count -- and its total count (``_Built``).  A function of the judge's side that asks Keras
  and builds the same model on every public case (a tensor function called on the same ``keras.Input``, or a
  function returning the model) is a reference answer: a model is no truth Keras computes for you.  Plain
  values of the functions that ask Keras stay allowed.

A function whose body is the stub's (``raise NotImplementedError``) is no answer and is left out.
``grader.front.release`` runs this after writing the release; ``grade release`` fails on what it finds.
"""
from __future__ import annotations

import ast
import contextlib
import copy
import dataclasses
import importlib.util
import inspect
import json
import signal
import sys
import zipfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np


# The release's folders whose functions are also run on the public cases: the judge's side (checks, their
# tools and recipes, the quizzes) and the data.  The front ends and the core are held by their syntax trees
# only: running them on a solution's arguments could start processes or write files.
BEHAVIOUR_SCANNED = ("grader/checks/", "grader/judge/", "grader/recipes/", "grader/quizzes/", "datasets/")
CALL_SECONDS = 2.0  # what one release function may take on one case (longer: not the answer's twin)
BUILD_SECONDS = 30.0  # ... on the cases of a model-building solution (a weightless VGG16 takes seconds)


# ------------------------------------------------------------------ the syntax tree
class _Locals(ast.NodeVisitor):
    """The names a function binds itself: its arguments, assignments, loop and ``with`` targets, nested
    definitions, ``except ... as`` names."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.names.add(node.id)

    def visit_arg(self, node: ast.arg) -> None:
        self.names.add(node.arg)

    def visit_FunctionDef(self, node) -> None:
        self.names.add(node.name)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.names.add(node.name)
        self.generic_visit(node)


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def shape(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The function's syntax tree without what does not change what it computes: its name, decorators,
    docstrings (its own and its nested functions'), annotations, and the spelling of the names it binds
    (renamed in order of first use).  Globals, attributes and keyword names (``np.maximum``,
    ``padding="same"``) stay: they are what the code calls."""
    fn = copy.deepcopy(fn)
    body = [s for i, s in enumerate(fn.body) if not (i == 0 and _is_docstring(s))] or [ast.Pass()]
    found = _Locals()
    for a in ast.walk(fn.args):
        if isinstance(a, ast.arg):
            found.names.add(a.arg)
    for stmt in body:
        found.visit(stmt)
    renamed: dict[str, str] = {}

    def rename(name: str) -> str:
        return renamed.setdefault(name, f"_{len(renamed)}")
    args = fn.args
    for a in [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []), *args.kwonlyargs,
              *([args.kwarg] if args.kwarg else [])]:
        a.arg, a.annotation = rename(a.arg), None
    module = ast.Module(body=body, type_ignores=[])
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and node.id in found.names:
            node.id = rename(node.id)
        elif isinstance(node, ast.arg):
            node.arg, node.annotation = rename(node.arg), None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.name, node.returns, node.decorator_list = rename(node.name), None, []
            if node.body and _is_docstring(node.body[0]):
                node.body = node.body[1:] or [ast.Pass()]
        elif isinstance(node, ast.ExceptHandler) and node.name:
            node.name = rename(node.name)
        elif isinstance(node, ast.AnnAssign):
            node.annotation = ast.Constant(None)
    return ast.dump(args, annotate_fields=False) + "|" + ast.dump(module, annotate_fields=False)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def solution_functions(solutions_dir: Path, stubs_dir: Path | None) -> dict[str, ast.AST]:
    """'module:function' -> the syntax tree of every function and method of the reference solutions whose
    body is not the stub's."""
    out = {}
    for path in sorted(solutions_dir.glob("*.py")):
        stub = stubs_dir / path.name if stubs_dir else None
        stub_shapes = ({n.name: shape(n) for n in _functions(ast.parse(stub.read_text(encoding="utf-8")))}
                       if stub and stub.is_file() else {})
        for node in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            if shape(node) != stub_shapes.get(node.name):
                out[f"{path.stem}:{node.name}"] = node
    return out


def _code_of(name: str, text: str) -> list[str]:
    """The Python code of a file: itself, or every code cell of a notebook (magics taken out)."""
    if not name.endswith(".ipynb"):
        return [text]
    from grader.front.extract import strip_magics
    try:
        cells = json.loads(text).get("cells", [])
        return [strip_magics("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                for c in cells if c.get("cell_type") == "code"]
    except (ValueError, KeyError, AttributeError, TypeError):
        return []


def release_files(release: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of every Python file and notebook of the release, and of every one inside its wheels
    (``dist/x.whl!grader/checks/ex07_rnn.py``)."""
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = path.relative_to(release).as_posix()
        if path.suffix in (".py", ".ipynb"):
            yield rel, path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".whl":
            try:
                with zipfile.ZipFile(path) as z:
                    for member in sorted(z.namelist()):
                        if member.endswith((".py", ".ipynb")):
                            yield f"{rel}!{member}", z.read(member).decode("utf-8", errors="replace")
            except zipfile.BadZipFile:
                continue


def same_syntax(release: Path, solutions: dict[str, ast.AST]) -> list[tuple[str, str, str]]:
    """(where, the release's function, 'module:function') for each function of the release whose syntax
    tree is a solution function's."""
    wanted: dict[str, list[str]] = {}
    for name, node in solutions.items():
        wanted.setdefault(shape(node), []).append(name)
    hits = []
    for where, text in release_files(release):
        for code in _code_of(where, text):
            try:
                tree = ast.parse(code)
            except (SyntaxError, ValueError):
                continue
            for node in _functions(tree):
                for name in wanted.get(shape(node), []):
                    hits.append((where, node.name, name))
    return hits


# ------------------------------------------------------------------ the outputs on the public cases
class _Stop(Exception):
    """A check's request that is not a plain call of a function: the cases end there."""


class _CaseTrial:
    """What a check sees while its public cases are read: ``t.call`` runs the reference solution here and
    notes the arguments and the answer; ``t.build``, ``t.call_model`` and a ``stateless_<fn>`` recipe build
    the solution's model here and note it as the answer (``_Built``); any other request to a child ends the
    check (a recipe's too, once noted)."""

    def __init__(self, check, module, cases: dict):
        from grader.core.spec import PUBLIC_SEED, case_key
        self.check, self.module, self.cases = check, module, cases
        self.seed = PUBLIC_SEED
        self.rng = np.random.default_rng(case_key(PUBLIC_SEED, check.name))
        self._memo: dict = {}

    def once(self, key, fn):
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def call(self, fn: str, *args: Any, **kwargs: Any) -> Any:
        got = getattr(self.module, fn)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        self.cases.setdefault(fn, []).append((copy.deepcopy(args), copy.deepcopy(kwargs), copy.deepcopy(got)))
        return got

    def build(self, fn: str, input_shape, *args: Any, with_weights: bool = False, **kwargs: Any):
        """The solution's tensor function on keras.Input(shape=input_shape), as the child builds it: the model,
        for the check to go on; the case's answer is the model (``_Built``)."""
        inputs = _Input(input_shape)
        model = _model_of(getattr(self.module, fn), (inputs, *args), kwargs)
        self.cases.setdefault(fn, []).append(((inputs, *copy.deepcopy(args)), copy.deepcopy(kwargs), _built(model)))
        return model

    def call_model(self, fn: str, *args: Any, with_weights: bool = False, trace_shape=None, **kwargs: Any):
        model = _model_of(getattr(self.module, fn), args, kwargs)
        self.cases.setdefault(fn, []).append((copy.deepcopy(args), copy.deepcopy(kwargs), _built(model)))
        return model

    def recipe_later(self, name: str, *args: Any, fn: str | None = None, **kwargs: Any):
        """A ``stateless_<fn>`` recipe calls ``fn(*args)`` for a model: that case is noted (the model is the
        answer) and the check ends there, as at any other recipe."""
        if fn is not None and name == f"stateless_{fn}":
            options = {k: v for k, v in kwargs.items() if k not in ("with_weights", "trace_shape")}
            model = _model_of(getattr(self.module, fn), args, options)
            self.cases.setdefault(fn, []).append((copy.deepcopy(args), copy.deepcopy(options), _built(model)))
        raise _Stop(name)

    def __getattr__(self, name: str):
        raise _Stop(name)


class _Input:
    """A case's keras.Input(shape) (a list of shapes: several inputs): a fresh one for every call."""

    def __init__(self, shape):
        self.shape = [tuple(s) for s in shape] if isinstance(shape[0], (list, tuple)) else tuple(shape)

    def make(self):
        import keras
        if isinstance(self.shape, list):
            return [keras.Input(shape=s) for s in self.shape]
        return keras.Input(shape=self.shape)

    def __repr__(self) -> str:
        return f"keras.Input({self.shape})"


@dataclasses.dataclass(frozen=True)
class _Built:
    """A model as the scanner compares it: (class, output shape, parameter count) of each layer in canonical
    order (those without a computation of their own, such as Dropout, left out) and the total count."""
    rows: tuple
    params: int


def _model_of(fn, args: tuple, kwargs: dict):
    """``fn(*args, **kwargs)`` built without weights, as a keras.Model: a Keras tensor (or tensors) it returns is
    wired from the case's inputs (``_Input``, made here); None when it returns neither."""
    import keras

    from grader.core.stateless import no_weights
    with no_weights():
        made = [a.make() if isinstance(a, _Input) else copy.deepcopy(a) for a in args]
        out = fn(*made, **copy.deepcopy(kwargs))
        if isinstance(out, keras.Model):
            return out
        inputs = [a for a, given in zip(made, args) if isinstance(given, _Input)]
        flat = keras.tree.flatten(out) if out is not None else []
        if not inputs or not flat or not all(isinstance(t, keras.KerasTensor) for t in flat):
            return None
        return keras.Model(inputs[0] if len(inputs) == 1 else inputs, out)


def _built(model) -> "_Built | None":
    if model is None:
        return None
    from grader.judge import graph, structure
    rows = structure.layer_rows(model, drop=graph.SILENT)
    return _Built(tuple((r["class"], tuple(r["output_shape"]), int(r["params"])) for r in rows),
                  int(model.count_params()))


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise TimeoutError in this (main) thread after ``seconds``; no limit elsewhere."""
    import threading
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(_signum, _frame):
        raise TimeoutError
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (dataclasses and pickling look a module up by name)
    spec.loader.exec_module(module)
    return module


def _plain(value: Any) -> bool:
    """An answer that can be compared: numbers, arrays, and tuples or lists of them (not None)."""
    if isinstance(value, (bool, int, float, np.number)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf"
    if isinstance(value, (tuple, list)) and value:
        return all(_plain(v) for v in value)
    return False


def _rounded(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_rounded(v) for v in value]
    return np.round(np.asarray(value, dtype=float), 6).tolist()


def _same(a: Any, b: Any) -> bool:
    if isinstance(b, (tuple, list)):
        return isinstance(a, (tuple, list, np.ndarray)) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind in "biuf" and bool(np.allclose(a, b, rtol=1e-5, atol=1e-6))
    except (TypeError, ValueError):
        return False


_CASES: dict[Path, dict] = {}


def public_cases(solutions_dir: Path) -> dict[str, list[tuple]]:
    """The public cases of every solution function (``_read_cases``), read once per process."""
    key = Path(solutions_dir).resolve()
    if key not in _CASES:
        _CASES[key] = _read_cases(key)
    return copy.deepcopy(_CASES[key])


def run_public_checks(ex, solution, cases: dict | None = None) -> dict:
    """Run ``ex``'s public checks here on the module ``solution`` (the reference), each until its first
    request that is not a plain call or a model's (``_CaseTrial``); {function: [(args, kwargs, answer)]} of
    the calls."""
    import keras
    cases = {} if cases is None else cases
    for check in ex.ordered():
        if check.hidden:
            continue
        keras.utils.set_random_seed(0)
        try:
            with _time_limit(30.0):
                check.fn(_CaseTrial(check, solution, cases))
        except (_Stop, TimeoutError, Exception):  # noqa: BLE001 -- the cases read until then count
            pass
    return cases


def load_solution(solutions_dir: Path, module: str):
    """The reference solution's module ``module`` from ``solutions_dir`` (None where there is none)."""
    path = Path(solutions_dir) / f"{module}.py"
    return _load(path, f"_leaks_solution_{module}") if path.is_file() else None


def _positional(solution, case: tuple) -> tuple:
    """(args, kwargs, answer, the same call with every argument in position): a rewrite may name its
    parameters otherwise, and is held to the solution's order of them."""
    args, kwargs, answer = case
    try:
        bound = inspect.signature(solution).bind(*args, **kwargs)
        positional = bound.args if not bound.kwargs else None
    except (TypeError, ValueError):
        positional = None
    return args, kwargs, answer, positional


def _read_cases(solutions_dir: Path) -> dict[str, list[tuple]]:
    """'module:function' -> [(args, kwargs, the solution's answer, the args in position)] for every call of a public check that
    asks a solution function for plain numbers, or for a model (``_Built``: the model built on those arguments);
    each check runs here, on the reference solution, until its first request that is neither."""
    from grader import checks
    out: dict[str, list] = {}
    for ex in checks.all_exercises():
        module = load_solution(solutions_dir, ex.module)
        if module is None:
            continue
        for fn, found in run_public_checks(ex, module).items():
            models = [c for c in found if isinstance(c[2], _Built)]
            kept = [_positional(getattr(module, fn), c) for c in (models or [c for c in found if _plain(c[2])])]
            if kept:
                out[f"{ex.module}:{fn}"] = kept
    return out


def _release_functions(release: Path) -> Iterator[tuple[str, str, Any]]:
    """(where, name, function) of the module-level functions of the release's judge side."""
    for n, path in enumerate(sorted(p for p in release.rglob("*.py"))):
        rel = path.relative_to(release).as_posix()
        if not rel.startswith(BEHAVIOUR_SCANNED) or path.name == "__init__.py":
            continue
        try:
            with _time_limit(60.0):
                module = _load(path, f"_leaks_release_{n}")
        except (Exception, TimeoutError):  # noqa: BLE001 -- a module that does not load here computes nothing here
            continue
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__:
                yield rel, name, fn


def asks_keras(fn, _seen: "set | None" = None) -> bool:
    """Whether the function (or a function it defines or calls by a global name) names Keras or
    TensorFlow, or a global of its module that comes from them: its answer is Keras's own."""
    fn = inspect.unwrap(fn)  # a @memo's function, not its cache
    seen = set() if _seen is None else _seen
    if fn in seen:
        return False
    seen.add(fn)
    names: set[str] = set()
    codes = [fn.__code__]
    while codes:
        code = codes.pop()
        names |= set(code.co_names)
        codes += [c for c in code.co_consts if inspect.iscode(c)]
    if names & {"keras", "tensorflow"}:  # (an import inside the function)
        return True
    for name in names:
        value = fn.__globals__.get(name)
        origin = getattr(value, "__name__", "") if inspect.ismodule(value) else getattr(value, "__module__", "") or ""
        if origin.split(".")[0] in ("keras", "tensorflow"):
            return True
        if inspect.isfunction(inspect.unwrap(value) if callable(value) else value) and asks_keras(value, seen):
            return True
    return False


def same_outputs(release: Path, cases: dict[str, list]) -> list[tuple[str, str, str]]:
    """(where, the release's function, 'module:function') for each function of the release's judge side
    that gives the solution's answer on every one of its public cases (two different answers at least, so
    that a constant is no match; one model is enough: a function that builds the reference's model whatever
    its arguments is still the reference).  The expected values the release ships (``grader.judge.answers``)
    are data, not code: while the functions run, a table answers nothing (``answers.blind``), so a function
    that only looks a value up is no match."""
    from grader.judge import answers
    useful = {name: found for name, found in cases.items()
              if all(isinstance(c[2], _Built) for c in found) or len({repr(_rounded(c[2])) for c in found}) >= 2}
    hits = []
    with answers.blind():
        for where, name, fn in _release_functions(release):
            hits += _same_as_a_solution(where, name, fn, useful)
    return hits


def _call_form(signature, case: tuple) -> "tuple[tuple, dict] | None":
    """How to call a function of ``signature`` on a case: as the check called the solution, or else with
    every argument in position; None when it takes neither."""
    args, kwargs, _want, positional = case
    for form in ((args, kwargs), (positional, {}) if positional is not None else None):
        if form is None:
            continue
        try:
            signature.bind(*form[0], **form[1])
            return form
        except TypeError:
            continue
    return None


def _same_as_a_solution(where: str, name: str, fn, useful: dict) -> list[tuple[str, str, str]]:
    keras_own = asks_keras(fn)  # its plain values are Keras's own truth; the models it builds are not
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    hits = []
    for solution, found in useful.items():
        builds = isinstance(found[0][2], _Built)
        if builds != keras_own:  # (a function that does not ask Keras builds no Keras model)
            continue
        calls = [_call_form(signature, case) for case in found]
        if any(c is None for c in calls):
            continue
        try:
            with _time_limit(BUILD_SECONDS if builds else CALL_SECONDS), np.errstate(all="ignore"):
                if builds:
                    same = all(_built(_model_of(fn, args, kwargs)) == want
                               for (args, kwargs), (_a, _k, want, _p) in zip(calls, found))
                else:
                    same = all(_same(fn(*copy.deepcopy(args), **copy.deepcopy(kwargs)), want)
                               for (args, kwargs), (_a, _k, want, _p) in zip(calls, found))
        except (Exception, TimeoutError):  # noqa: BLE001 -- it fails where the answer does not: not the answer
            same = False
        if same:
            hits.append((where, name, solution))
    return hits


def find(release: Path, solutions_dir: Path, stubs_dir: Path | None = None,
         cases: dict[str, list] | None = None) -> list[tuple[str, str, str, str]]:
    """(where, the release's function, 'module:function', how: "syntax" or "outputs") for every function of
    the release that is a solution function, sorted."""
    solutions = solution_functions(solutions_dir, stubs_dir)
    hits = {(w, n, s, "syntax") for w, n, s in same_syntax(release, solutions)}
    if cases is None:
        cases = public_cases(solutions_dir)
    saved = dict(sys.modules)
    try:
        hits |= {(w, n, s, "outputs") for w, n, s in same_outputs(release, cases)}
    finally:
        for name in set(sys.modules) - set(saved):
            if name.startswith("_leaks_"):
                del sys.modules[name]
    return sorted(hits)


# The judge's own answers still in the release, each until its truth moves to the instructor's side (the
# expected values of the public cases shipped instead, issue #27 part 7): (file in the release, function)
# -> what it is.  ``grade release`` reports everything else it finds, and fails on it;
# tests/test_release.py holds this list to what is really found (nothing stale).
NOT_YET_MOVED: dict[tuple[str, str], str] = {}  # empty since #27 part 7 moved ex03's and ex06's references


def not_yet_moved(where: str, function: str) -> bool:
    """A finding of NOT_YET_MOVED: in the release's folder or in its wheel."""
    return (where.split("!", 1)[-1], function) in NOT_YET_MOVED
