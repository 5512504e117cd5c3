"""``grade release --out DIR``: what students receive.

    grade release --out DIR [--force]

DIR gets the exercise stubs (``exercises/``), one notebook per exercise
(``notebooks/exNN_*.ipynb``, built with nbformat from the stub: the module
docstring as markdown cells, one code cell per function or class to write,
and a check cell after each), the datasets, the grader (``grader/``, with its
checks, recipes, quizzes and catalogues), a ``pyproject.toml`` and
``requirements.txt`` for students, and a README that says how to start.
Never the reference solutions, nor the judge's code that computes them: the
expected values of a check whose truth is not Keras's own layer are computed
here by the instructor's ``grader/answers/`` (left out) and shipped as
``grader/checks/<module>.answers.json`` (``write_answers``), and so are the
values of the quizzes' formulas, for every question of their bank
(``grader/quizzes/formulas.answers.json``, ``write_quiz_answers``).  After writing,
the release is searched for the body of every function of ``solutions/``
(when they are installed here), and every function of the release is held
against every solution function by its syntax tree and its outputs on the
public cases (``grader.front.leaks``); each one found is reported and the exit
status is then 1.
"""
from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options
from grader.front.commands import Command

COMMAND = Command("release", usage="grade release --out DIR", summary=N_("write the student release (no solutions)"),
                  order=40)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_PACKAGES = ("grader", "exercises", "datasets")
SHIPPED_FILES = ("docs/ex11_reference.png",)  # the ex11 docstring shows the reference picture
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".pytest_cache", "*.egg-info")
MARKER = ".course-release"
WRITTEN = ("exercises", "datasets", "grader", "notebooks", "docs", "dist", "README.md", "pyproject.toml",
           "requirements.txt", MARKER)
DIST_NAME = "keras-course"  # the student package (the wheel in dist/ and the release's pyproject.toml)
NOTEBOOK_EXTRA = ["ipykernel>=6.29,<8", "jupyterlab>=4,<5"]
SETUP_HEAD = """\
# Run this cell first.  check(...) grades the functions as this notebook defines them,
# in a separate process with a time and a memory limit (an endless loop never hangs the kernel).
import glob, importlib, sys
"""
# In Colab (google.colab is imported by its kernel) the course is installed into the runtime first:
# from the URL given to `grade release --install-url`, or else from the wheel the student uploaded.
COLAB_FROM_URL = """\
if "google.colab" in sys.modules:  # Colab: install the course into this runtime (once per session)
    %pip install -q {url}
    importlib.invalidate_caches()
"""
COLAB_FROM_UPLOAD = """\
_wheels = sorted(glob.glob("keras_course-*.whl") + glob.glob("/content/keras_course-*.whl"))
if "google.colab" in sys.modules and _wheels:  # Colab: the course wheel you uploaded (dist/ of the release)
    %pip install -q {_wheels[-1]}
    importlib.invalidate_caches()
"""
SETUP_TAIL = """\
try:
    from grader.notebook import check
except ModuleNotFoundError:  # the course is not installed: use the folder above notebooks/
    sys.path.insert(0, "..")
    from grader.notebook import check"""
SETUP_CELL = SETUP_HEAD + SETUP_TAIL  # kept for code that reads the plain cell
_URL_FORBIDDEN = re.compile(r"[\s'\"`$;&|<>(){}\\]")


def setup_cell(install_url: str | None = None) -> str:
    """The first code cell of every released notebook."""
    return SETUP_HEAD + (COLAB_FROM_URL.format(url=install_url) if install_url else COLAB_FROM_UPLOAD) + SETUP_TAIL


def check_install_url(url: str) -> str:
    """A URL or path pip can install, written verbatim into a %pip line: no spaces, quotes or
    characters the shell or IPython's {expression} expansion would read."""
    if not url or _URL_FORBIDDEN.search(url):
        raise UsageError(_("--install-url {url!r}: give a URL or path without spaces, quotes, braces or shell "
                           "characters").format(url=url))
    return url


PYPROJECT = '''\
[build-system]
requires = ["setuptools>=68", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "Exercises and a self-checking grader for a Keras CNN / RNN / Transformer course"
readme = "README.md"
requires-python = ">=3.10"
dependencies = [
{dependencies}
]

[project.optional-dependencies]
{extras}

[project.scripts]
grade = "grader.front.cli:main"

[tool.setuptools.packages.find]
include = ["grader*", "exercises*", "datasets*"]

[tool.setuptools.package-data]
grader = ["locale/*/*.po", "checks/*.answers.json", "quizzes/*.answers.json"]
datasets = ["data/*"]
'''

README = '''\
# Keras course: exercises

Convolutions, classic and modern CNNs, recurrent cells and attention, with a
grader that tells you, for every check, what is wrong and a hint.

## Start

Pick the place you work in.  Everything below is run from this folder (the
one with this README), and needs Python 3.10 to 3.13.

### Google Colab

Colab already has TensorFlow and Keras; the course installs next to them and
changes neither.  Do not `pip install tensorflow` in Colab.

{colab}

After "Runtime > Disconnect and delete runtime" (or a new day), run the first
cell again.  Your work is the notebook: "File > Download > Download .ipynb"
saves it, and `grade ex01 --file ex01_conv_arithmetic.ipynb` grades the
downloaded file on a computer with the course installed.

### Linux and macOS (Intel or Apple silicon)

`python3 --version` must say 3.10 to 3.13 (the `python3` of an older macOS
is 3.9: install one with `brew install python@3.12` and type `python3.12`
instead of `python3` below).

```bash
python3 -m venv .venv
.venv/bin/pip install -e ".[tf-cpu,notebook]"    # TensorFlow (CPU), Keras 3, Jupyter
.venv/bin/jupyter lab notebooks/                 # or open the notebooks in VS Code
```

If TensorFlow and Keras are already installed in the Python you use (conda,
a lab machine), leave out `tf-cpu,`: `pip install -e ".[notebook]"` keeps
the TensorFlow you have.

### Windows

In PowerShell or the Command Prompt, with Python 3.10 to 3.13 from
python.org (`py --list` shows the versions you have; `py -3.12` picks one):

```
py -3.12 -m venv .venv
.venv\\Scripts\\pip install -e ".[tf-cpu,notebook]"
.venv\\Scripts\\jupyter lab notebooks
```

and use `.venv\\Scripts\\grade` wherever this README says `.venv/bin/grade`.
On macOS and Windows the grader runs your code in a separate process with a
time limit and watches its memory; each report says which protections the
platform has.

## Working in a notebook

Open `notebooks/ex01_conv_arithmetic.ipynb` and run its first code cell:

```python
from grader.notebook import check
```

Each notebook has the exercise's explanation, then one code cell per function
to write: replace its `raise NotImplementedError` with your code, run the
cell, then run the check cell below it:

```python
check("ex01", "conv_output_length")   # the checks of one function
check("ex01")                          # every check of the exercise
```

`check` grades the functions as the notebook defines them at that moment
(the last definition of each, whatever the order of your cells) and prints a
table: one row per check with PASS / FAIL / ERROR / TIMEOUT / OUT_OF_MEMORY /
NOT_ATTEMPTED, your points, a message that names the mistake, and a hint.
Your code runs in a separate process with the time and memory limits stated
in the exercise, so an endless loop costs one check, never your kernel.  Only
imports, constants, functions and classes are taken from the notebook: your
experiments (prints, plots, training runs) are not run while grading.

## Working in files

Prefer an editor?  Edit `exercises/exNN_*.py` and run, from this folder:

```bash
.venv/bin/grade list                     # every exercise and its points
.venv/bin/grade ex01                     # grades exercises/ex01_conv_arithmetic.py
.venv/bin/grade ex01 --file notebooks/ex01_conv_arithmetic.ipynb   # grade a notebook
```

Exit status 0 means every check passed.  Some checks are hidden: your
instructor runs them on cases you have not seen, so make your functions work
for every input the docstring allows, not only the public cases.

## Your history

Every `grade exNN`, every run under `--watch` and every `check()` adds one
line to `.grade/history.jsonl` in this folder: the time, the exercise, the
grader's version, how long the run took, and each check's status and named
mistake -- never your code.  It stays on your computer; `grade history`
shows your trail (attempts, time to each first PASS, the mistakes you met),
`grade history off` stops the recording and `grade history on` starts it
again.

## What is here

| folder | what |
| --- | --- |
| `notebooks/` | one notebook per exercise (what most of you will use) |
| `exercises/` | the same exercises as Python files |
| `datasets/` | offline data: `datasets.digits.load_digits_split()`, `datasets.shapes`, `datasets.sequences` |
| `grader/` | the grader (`check`, `grade`, the quizzes: `from grader.quiz import quiz; quiz("q01")`) |

## Exercises

{exercises}
'''


def _colab_steps(install_url: str | None, version: str) -> str:
    """The README's Colab steps: from the instructor's URL, or from the uploaded wheel."""
    wheel = f"keras_course-{version}-py3-none-any.whl"
    if install_url:
        return ("1. Open a notebook of `notebooks/` in Colab (\"File > Upload notebook\", or the link your "
                "instructor gave you).\n"
                f"2. Run its first code cell.  In Colab it runs `%pip install -q {install_url}` (the course, "
                "about a minute the first time) and then `from grader.notebook import check`.\n"
                "3. Work through the notebook: each check cell grades your functions.")
    return ("1. Open a notebook of `notebooks/` in Colab (\"File > Upload notebook\").\n"
            f"2. Upload the course package `dist/{wheel}` from this folder: the folder icon on the left, then "
            "the upload button; it lands in `/content`, next to the notebook's working folder.\n"
            "3. Run the notebook's first code cell.  In Colab it installs the package you uploaded "
            f"(`%pip install -q /content/{wheel}`) and then runs `from grader.notebook import check`.\n"
            "4. Work through the notebook: each check cell grades your functions.")


# ------------------------------------------------------------------ notebooks
_SECTION = re.compile(r"^(Part \d|Grading|What |Why |Where |Conventions|\*\*[A-Z]|\d+\. [A-Z`])")


def docstring_cells(doc: str) -> list[str]:
    """Markdown cells from a module docstring: the first line as a title cell, then the text
    split before each section ("Part 2", "Grading: ...", a numbered step).  The docstrings
    are already Markdown-compatible (``code``, * lists, indented blocks)."""
    lines = doc.strip("\n").split("\n")
    title, body = lines[0].strip(), "\n".join(lines[1:]).strip("\n")
    cells: list[list[str]] = [[]]
    for para in re.split(r"\n\s*\n", body):
        if not para.strip():
            continue
        if _SECTION.match(para) and cells[-1]:
            cells.append([])
        cells[-1].append(para.rstrip())
    return [f"# {title}"] + ["\n\n".join(c) for c in cells if c]


def stub_parts(path: Path) -> tuple[str, str, list[tuple[str, str]]]:
    """(docstring, set-up code, [(name, source)] per public function or class) of a stub."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.split("\n")
    doc = ast.get_docstring(tree, clean=True) or path.stem
    setup: list[str] = []
    defs: list[tuple[str, str]] = []
    prev_end = 0
    for stmt in tree.body:
        start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        chunk = "\n".join(lines[prev_end:stmt.end_lineno]).strip("\n")
        head = "\n".join(lines[prev_end:start - 1]).strip("\n")
        prev_end = stmt.end_lineno
        if (stmt is tree.body[0] and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)):
            continue  # the docstring
        is_public_def = (isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                         and not stmt.name.startswith("_"))
        if is_public_def:  # with the comment lines just above it
            defs.append((stmt.name, chunk if head.strip() else "\n".join(lines[start - 1:stmt.end_lineno])))
        else:
            setup.append(chunk)
    return doc, "\n".join(s for s in setup if s.strip()).strip("\n"), defs


def exercise_notebook(ex, stub: Path, *, install_url: str | None = None):
    """The notebook of one exercise (deterministic cell ids, so a rebuild changes nothing)."""
    import nbformat
    from nbformat import v4

    from grader.core.lookup import checks_using
    doc, setup, defs = stub_parts(stub)
    cells = []

    def add(cell) -> None:
        cell["id"] = f"{ex.id}-{len(cells):02d}"
        cells.append(cell)

    texts = docstring_cells(doc)
    add(v4.new_markdown_cell(texts[0] + "\n\n" + _(
        "Run the first code cell once. Then, for each function: replace `raise NotImplementedError` with your "
        "code, run its cell, and run the check cell below it. `check` grades the functions as this notebook "
        "defines them now (the last definition of each) in a separate process with the exercise's time and "
        "memory limits, and prints what is wrong with a hint.")))
    add(v4.new_code_cell(setup_cell(install_url), metadata={"tags": ["setup"]}))
    for t in texts[1:]:
        add(v4.new_markdown_cell(t))
    if setup:
        add(v4.new_code_cell(setup))
    for name, source in defs:
        add(v4.new_markdown_cell(f"## `{name}`"))
        add(v4.new_code_cell(source))
        try:
            checks_using(ex, name)
            add(v4.new_code_cell(f'check("{ex.id}", "{name}")', metadata={"tags": ["check"]}))
        except UsageError:
            pass  # no check calls it (a helper the checks reach through another function)
    add(v4.new_markdown_cell(_("## Everything at once\n\nWhen each function passes, run every check of {exercise} "
                               "together (the same table as `grade {exercise}` in a terminal).").format(
        exercise=ex.id)))
    add(v4.new_code_cell(f'check("{ex.id}")', metadata={"tags": ["check", "check-all"]}))
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "course": {"exercise": ex.id, "module": ex.module}})
    nbformat.validate(nb)
    return nb


# ------------------------------------------------------------------ the release
def _declared() -> tuple[list[str], dict[str, list[str]]]:
    """The project's dependencies and optional dependencies: from pyproject.toml (tomllib), or on
    Python 3.10 from the installed distribution's metadata (the same declarations)."""
    try:
        import tomllib
        with open(ROOT / "pyproject.toml", "rb") as f:
            project = tomllib.load(f)["project"]
        return list(project["dependencies"]), {k: list(v) for k, v in project.get("optional-dependencies", {}).items()}
    except ImportError:  # Python 3.10
        from importlib import metadata

        from packaging.requirements import Requirement
        core: list[str] = []
        extras: dict[str, list[str]] = {}
        for text in metadata.requires("keras-course-grader") or []:
            req = Requirement(text)
            marker = str(req.marker or "")
            name = next((e for e in ("tf-cpu", "tf", "dev", "cluster") if f'extra == "{e}"' in marker), None)
            if name is None:
                core.append(text)
                continue
            rest = marker.replace(f'extra == "{name}"', "").strip().removeprefix("and").removesuffix("and").strip()
            req.marker = None
            extras.setdefault(name, []).append(f"{req}; {rest}" if rest else str(req))
        return core, extras


def _requirements() -> list[str]:
    return _declared()[0]


def _extras() -> dict[str, list[str]]:
    """The project's TensorFlow extras (``tf``, ``tf-cpu``) when it declares them, and ``notebook``."""
    extras: dict[str, list[str]] = {}
    try:
        extras = {k: v for k, v in _declared()[1].items() if k in ("tf", "tf-cpu")}
    except (ImportError, OSError, KeyError):
        pass
    extras["notebook"] = list(NOTEBOOK_EXTRA)
    return extras


def _wheel_tag_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def build_wheel(release: Path, dist: Path, *, version: str, dependencies: list[str],
                extras: dict[str, list[str]]) -> Path:
    """A pure-Python wheel of the student package (``grader``, ``exercises``, ``datasets`` as they are
    in the release folder: no solutions), written with zipfile -- no build backend, no network.
    Files are sorted and dated 1980-01-01, so the same release gives the same bytes."""
    import base64
    import hashlib
    import zipfile
    dist.mkdir(parents=True, exist_ok=True)
    tag = _wheel_tag_name(DIST_NAME)
    info = f"{tag}-{version}.dist-info"
    path = dist / f"{tag}-{version}-py3-none-any.whl"
    files: list[tuple[str, bytes]] = []
    for pkg in SHIPPED_PACKAGES:
        for f in sorted((release / pkg).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".pyo"):
                files.append((f.relative_to(release).as_posix(), f.read_bytes()))
    meta = ["Metadata-Version: 2.1", f"Name: {DIST_NAME}", f"Version: {version}",
            "Summary: Exercises and a self-checking grader for a Keras CNN / RNN / Transformer course",
            "Requires-Python: >=3.10"]
    meta += [f"Requires-Dist: {d}" for d in dependencies]
    for extra, reqs in extras.items():
        meta.append(f"Provides-Extra: {extra}")
        for r in reqs:
            req, _sep, marker = r.partition(";")
            cond = f'extra == "{extra}"'
            meta.append(f"Requires-Dist: {req.strip()} ; ({marker.strip()}) and {cond}" if marker.strip()
                        else f"Requires-Dist: {req.strip()} ; {cond}")
    files += [(f"{info}/METADATA", ("\n".join(meta) + "\n").encode()),
              (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: grade-release\nRoot-Is-Purelib: true\n"
                                b"Tag: py3-none-any\n"),
              (f"{info}/entry_points.txt", b"[console_scripts]\ngrade = grader.front.cli:main\n"),
              (f"{info}/top_level.txt", ("\n".join(SHIPPED_PACKAGES) + "\n").encode())]
    record = []
    for name, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    for old in dist.glob(f"{tag}-*.whl"):
        old.unlink()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return path


def build(out: Path, *, force: bool = False, install_url: str | None = None) -> list[Path]:
    """Write the release into ``out``; returns the notebooks written."""
    import nbformat

    from grader import checks
    from grader.core.engine import __version__
    out = out.expanduser().resolve()
    for src in (ROOT / p for p in (*SHIPPED_PACKAGES, "solutions", "tests")):
        if out == src or src in out.parents:
            raise UsageError(_("--out {out} is inside the course's own folder {src}").format(out=out, src=src))
    if out.exists() and any(out.iterdir()):
        if not force:
            raise UsageError(_("{out} is not empty; pass --force to replace the release files in it").format(out=out))
        for name in WRITTEN:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    for pkg in SHIPPED_PACKAGES:
        shutil.copytree(ROOT / pkg, out / pkg, ignore=IGNORED)
    write_answers(out)
    for rel in SHIPPED_FILES:
        if (ROOT / rel).is_file():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, out / rel)
    (out / "notebooks").mkdir()
    notebooks, rows = [], []
    for ex in checks.all_exercises():
        stub = ROOT / "exercises" / f"{ex.module}.py"
        nb = exercise_notebook(ex, stub, install_url=install_url)
        path = out / "notebooks" / f"{ex.module}.ipynb"
        nbformat.write(nb, str(path))
        notebooks.append(path)
        rows.append(f"| {ex.id} | {ex.title} | `notebooks/{path.name}` | `exercises/{stub.name}` | "
                    f"{ex.public_points:g} (+{ex.total_points - ex.public_points:g} hidden) |")
    deps, extras = _requirements(), _extras()
    (out / "pyproject.toml").write_text(PYPROJECT.format(
        name=DIST_NAME, version=__version__, dependencies="\n".join(f'    "{d}",' for d in deps),
        extras="\n".join(f"{k} = [\n" + "".join(f'    "{r}",\n' for r in v) + "]" for k, v in extras.items())),
        encoding="utf-8")
    (out / "requirements.txt").write_text("\n".join(deps + NOTEBOOK_EXTRA) + "\n", encoding="utf-8")
    table = "| id | title | notebook | file | points |\n| --- | --- | --- | --- | --- |\n" + "\n".join(rows)
    (out / "README.md").write_text(README.format(exercises=table, colab=_colab_steps(install_url, __version__)),
                                   encoding="utf-8")
    (out / MARKER).write_text(json.dumps({"grader": __version__}) + "\n", encoding="utf-8")
    build_wheel(out, out / "dist", version=__version__, dependencies=deps, extras=extras)
    return notebooks


# ------------------------------------------------------------------ the expected values, not their code
def write_answers(out: Path, solutions_dir: Path | None = None) -> dict[str, int]:
    """The instructor's side of the expected values (``grader/answers/``, ``grader.judge.answers``) stays
    out of the release; in its place, next to each check module that has one,
    ``grader/checks/<module>.answers.json``: the values its public checks ask for, recorded while they grade
    the reference solution here (the engine, as `grade` runs it: every public check passes on it, so every
    value a check asks for on its way, the named mistakes' included, is asked for); and the quizzes' values
    (``write_quiz_answers``).  {module: values written}."""
    from grader import checks
    from grader.judge import answers
    shutil.rmtree(out / "grader" / "answers", ignore_errors=True)
    written = write_quiz_answers(out)
    modules = {p.stem for p in (ROOT / "grader" / "answers").glob("ex*.py")}
    if not modules:
        return written
    solutions_dir = solutions_dir or _solutions_dir()
    if solutions_dir is None:
        raise UsageError(_("grade release needs the reference solutions (solutions/) to compute the expected "
                           "values of the public cases"))
    from grader.core.engine import grade_file
    for ex in checks.all_exercises():
        if ex.module not in modules:
            continue
        # The public checks graded as `grade` grades them, on the reference: what they ask for is recorded.
        with answers.record() as values:
            report = grade_file(ex, str(solutions_dir / f"{ex.module}.py"), stay_warm=False)
        failed = [c.name for c in report.checks if c.status.value != "PASS"]
        if failed:
            raise UsageError(_("{exercise}: the reference solution does not pass {checks}, so the expected values "
                               "of its public cases would be incomplete").format(exercise=ex.id,
                                                                                 checks=", ".join(failed)))
        table = values.get(ex.module, {})
        (out / "grader" / "checks" / f"{ex.module}{answers.SUFFIX}").write_text(
            json.dumps(table, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
        written[ex.module] = len(table)
    return written


def write_quiz_answers(out: Path) -> dict[str, int]:
    """``grader/quizzes/formulas.answers.json``: the value of every formula call of every question of every
    quiz's bank (each template drawn for every bank index, ``grader.judge.quizkit``), so that the release's
    quizzes check themselves without the formulas.  {"formulas": values written}."""
    from grader.judge import answers, quizkit
    from grader.quizzes import QUIZZES, formulas
    with answers.record() as values:
        for quiz in QUIZZES.all():
            for template in quiz.templates:
                for index in range(quizkit.BANK):
                    quiz.instance(template, index)
    table = values.get(formulas.TABLE.module, {})
    formulas.TABLE.released_path(out / "grader").write_text(
        json.dumps(table, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    return {formulas.TABLE.module: len(table)}


# ------------------------------------------------------------------ no solutions in the release
def _body_lines(fn: ast.AST) -> list[str]:
    body = list(fn.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return [line.strip() for s in body for line in ast.unparse(s).split("\n") if line.strip()]


def solution_bodies(solutions_dir: Path, stubs_dir: Path | None = None) -> dict[str, list[str]]:
    """'module:function' -> the normalised body (``ast.unparse``, one stripped line per
    element) of every function and method of the reference solutions.  A body identical
    to the stub's body of the same name (e.g. ``raise NotImplementedError``) is no answer
    and is left out."""
    out = {}
    for path in sorted(solutions_dir.glob("*.py")):
        stub_bodies = {}
        stub = (stubs_dir / path.name) if stubs_dir else None
        if stub and stub.is_file():
            stub_bodies = {n.name: _body_lines(n) for n in ast.walk(ast.parse(stub.read_text()))
                           if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = _body_lines(node)
                if lines and lines != stub_bodies.get(node.name):
                    out[f"{path.stem}:{node.name}"] = lines
    return out


def _normalised_lines(path: Path, text: str | None = None) -> list[str]:
    """A file's code as stripped ``ast.unparse`` lines (every code cell of a notebook; the
    raw stripped lines of anything that is not Python)."""
    if text is None:
        text = path.read_text(encoding="utf-8", errors="replace")
    chunks = [text]
    if path.suffix == ".ipynb":
        try:
            from grader.front.extract import strip_magics
            cells = json.loads(text).get("cells", [])
            chunks = [strip_magics("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                      for c in cells if c.get("cell_type") == "code"]
        except (ValueError, KeyError, AttributeError):
            pass
    out = []
    for chunk in chunks:
        try:
            chunk = ast.unparse(ast.parse(chunk))
        except (SyntaxError, ValueError):
            pass
        out += [line.strip() for line in chunk.split("\n") if line.strip()]
    return out


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    first = needle[0]
    return any(haystack[i:i + n] == needle for i, line in enumerate(haystack) if line == first)


# Solution helpers whose body the judge also needs, and why that is no reference answer.  They are
# allowed in the judge's check modules and tools (ALLOWED_IN) only: the same body in a notebook, an exercise
# file or anywhere else in the release is still reported.  This is the one list `grade release`
# and its tests use.
GENERIC_HELPERS: dict[str, str] = {}  # none left: ex11's judge no longer rescales an image itself (#27 part 7)
ALLOWED_IN = ("grader/checks/", "grader/judge/")
SCANNED_SUFFIXES = (".py", ".ipynb", ".md", ".txt", ".toml", ".po", ".json", ".cfg", ".sh")


def is_allowed(rel: str, name: str) -> bool:
    """A generic helper (GENERIC_HELPERS) found where the judge keeps its own copy."""
    return name in GENERIC_HELPERS and rel.replace("\\", "/").startswith(ALLOWED_IN)


def find_solution_bodies(release: Path, solutions_dir: Path | None = None, *,
                         include_allowed: bool = False) -> list[tuple[str, str]]:
    """(file relative to the release, 'module:function') for every solution body found in it:
    every reference answer, and the generic helpers too when ``include_allowed``."""
    solutions_dir = solutions_dir or _solutions_dir()
    if solutions_dir is None:
        return []
    bodies = solution_bodies(solutions_dir, ROOT / "exercises")
    hits = []
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = path.relative_to(release).as_posix()
        for member, lines in _files_to_scan(path, rel):
            for name, body in bodies.items():
                if _contains(lines, body) and (include_allowed or not is_allowed(member, name)):
                    hits.append((rel if member == rel else f"{rel}!{member}", name))
    return hits


def _files_to_scan(path: Path, rel: str):
    """(name, normalised lines) of a scanned file, or of every scanned file inside a wheel
    (named by its path in the wheel, e.g. ``grader/checks/ex07_rnn.py``)."""
    if path.suffix == ".whl":
        import zipfile
        try:
            with zipfile.ZipFile(path) as z:
                for member in sorted(z.namelist()):
                    if Path(member).suffix in SCANNED_SUFFIXES:
                        text = z.read(member).decode("utf-8", errors="replace")
                        yield member, _normalised_lines(Path(member), text)
        except zipfile.BadZipFile:
            return
    elif path.suffix in SCANNED_SUFFIXES:
        yield rel, _normalised_lines(path)


def _solutions_dir() -> Path | None:
    spec = importlib.util.find_spec("solutions")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


# ------------------------------------------------------------------ command line
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="grade release", description=_(
        "Write the student release: exercise stubs, one notebook per exercise, the datasets and the grader; "
        "never the reference solutions."), formatter_class=options.HelpFormatter)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help=_("the folder to write"))
    p.add_argument("--force", action="store_true", help=_("replace the release files in a folder that is not empty"))
    p.add_argument("--install-url", metavar="URL", help=_(
        "where students' Colab runtimes install the course from (the URL of the wheel in DIR/dist, once you have "
        "published it): each notebook's first cell runs %%pip install -q URL in Colab"))
    return p


def cli_main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from grader.core.i18n import set_language
    set_language(None)
    startup.start(startup.TOOL)  # the check modules it reads import Keras: quietly
    from grader.core.session import quiet_stderr
    url = check_install_url(args.install_url) if args.install_url is not None else None
    with quiet_stderr():  # TensorFlow's start-up chatter (the checks import Keras)
        notebooks = build(args.out, force=args.force, install_url=url)
    out = args.out.expanduser().resolve()
    print(_("wrote the release to {out}: {n} notebooks, the exercises, the datasets and the grader").format(
        out=out, n=len(notebooks)))
    for wheel in sorted((out / "dist").glob("*.whl")):
        print(_("the student package: {wheel} (pip install it, or publish it and pass its URL to --install-url "
                "for Colab)").format(wheel=wheel.relative_to(out)))
    hits = find_solution_bodies(out)
    for rel, name in hits:
        print(_("warning: {file} contains the body of the reference solution {function}").format(
            file=rel, function=name), file=sys.stderr)
    from grader.front import leaks
    solutions_dir = _solutions_dir()
    found = leaks.find(out, solutions_dir, ROOT / "exercises") if solutions_dir is not None else []
    equivalent = [h for h in found if not leaks.not_yet_moved(h[0], h[1])]
    waiting = sorted({(h[0].split("!", 1)[-1], h[1]) for h in found if leaks.not_yet_moved(h[0], h[1])})
    for where, function, solution, how in equivalent:
        print(_("warning: {file}: {function} computes what the reference solution {solution} computes "
                "(same {how})").format(file=where, function=function, solution=solution,
                                       how=_("syntax tree") if how == "syntax" else _("outputs on the public cases")),
              file=sys.stderr)
    for where, function in waiting:
        print(_("note: {file}: {function} still computes what a solution function computes ({what}); its "
                "truth is yet to move to grader/answers/").format(file=where, function=function,
                                                             what=_(leaks.NOT_YET_MOVED[(where, function)])),
              file=sys.stderr)
    if hits or equivalent:
        print(_("{n} reference answer(s) found in the release: do not hand it out before they are removed").format(
            n=len(hits) + len(equivalent)), file=sys.stderr)
        return 1
    print(_("no reference solution in it; students start with README.md"))
    return 0
