"""``grade new ex14 TOPIC``: start a new exercise, as working files that the generic tests accept.

    grade new ex14 pooling_layers [--title TITLE] [--summary TEXT] [--recipe] [--root DIR]

It writes, in the course repository (the current folder, or ``--root``):

* ``exercises/ex14_TOPIC.py``: the stub (a docstring to write, one function raising ``NotImplementedError``);
* ``solutions/ex14_TOPIC.py``: the reference, the same public API;
* ``grader/checks/ex14_TOPIC.py``: the checks -- a public one and a hidden one (cases drawn from the
  seed), each with points, a hint and ``uses=``, comparing the function with Keras's own layer and
  naming a known mistake;
* with ``--recipe``, ``grader/recipes/ex14_TOPIC.py``: grader code that runs in the child, next to
  the student's module, and a check that asks for it (``t.recipe``);
* ``grader/locale/ko/ex14.po``: the Korean catalogue of the check module's messages (the title and
  summary are yours to translate);
* ``tests/submissions/ex14/mutant_abs.py``: a plausible mistake with its ``expect:`` lines;
* a row in the README's table of exercises.

The example function is ``relu``: replace it with the exercise's own (the stub, the solution, the
checks and the mutant together).  Then it grades the reference (public and hidden checks) and the stub
in a ``grade`` of that repository, as the generic tests do (``tests/test_exercises.py``: the reference
scores full marks, the stub scores zero with every check NOT_ATTEMPTED), and lists what is still to fill
in.  Exit status: 0 when both hold, 1 when not, 2 for a usage error (an id or a file that exists).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options
from grader.front.commands import Command

COMMAND = Command("new", usage="grade new EX TOPIC [--recipe]",
                  summary=N_("start a new exercise: stub, solution, checks, tests (instructors)"), order=50)

README_TABLE = "<!-- exercises: one row per exercise; `grade new` adds one -->"

STUB = '''"""@EX@ -- @TITLE@

TODO (instructor): teach the idea here.  This docstring is what the student reads (and the text of the
released notebook): state everything the grader asks -- shapes, dtypes, budgets, thresholds -- and the
limits of every check (@TIMEOUT@ s, @MEMORY@ MB).

Write:

* ``relu(x)``: ``x`` (a numpy array of any shape) with every negative entry replaced by 0, as float64.
  (The example of ``grade new``: replace it with the exercise's own functions.)
"""
from __future__ import annotations

import numpy as np  # noqa: F401


def relu(x):
    """max(x, 0) elementwise, as a float64 numpy array of the shape of ``x``."""
    raise NotImplementedError
'''

SOLUTION = '''"""Reference solution of @EX@ (@TITLE@)."""
from __future__ import annotations

import numpy as np


def relu(x):
    """max(x, 0) elementwise, as a float64 numpy array of the shape of ``x``."""
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
'''

CHECKS = '''"""Checks of @EX@: TODO (instructor) -- what is compared with what.

Written by ``grade new`` as a working example: ``relu`` compared with Keras's own ReLU layer on public
cases and on hidden cases drawn from the seed, naming a known mistake.  Replace it with the exercise's
functions; keep a hidden check (hidden cases keep hard-coded answers out), a hint and ``uses=`` on every
check, and the truth Keras's own (a check module is shipped to students: it holds no answer).
"""
from __future__ import annotations

import keras
import numpy as np

from grader.judge import N_, Exercise, _, expect

EXERCISE = Exercise("@EX@", N_(@TITLE_TEXT@), "@MODULE@",
                    timeout=@TIMEOUT@, memory_mb=@MEMORY@, child_keras=False,
                    summary=N_(@SUMMARY_TEXT@)@RECIPES@)

RELU_HINT = N_("relu(x) keeps the positive entries and puts 0 where x < 0: np.maximum(x, 0).")


def keras_relu(x):
    """The truth: Keras's ReLU layer."""
    return np.asarray(keras.ops.convert_to_numpy(keras.layers.ReLU()(np.asarray(x, dtype="float32"))),
                      dtype=np.float64)


def _check_relu(t, cases):
    for x in cases:
        expect.close(t.call("relu", x), keras_relu(x), f"relu(x), x.shape == {x.shape}",
                     mistakes={_("took the absolute value: a negative entry becomes 0, not -x"): np.abs(x)})


@EXERCISE.check(points=2, hint=RELU_HINT, uses=("relu",))
def relu_matches_keras(t):
    _check_relu(t, [np.array([-2.0, -0.5, 0.0, 0.5, 3.0]), np.linspace(-1.0, 1.0, 12).reshape(3, 4)])
@RECIPE_CHECK@

@EXERCISE.check(points=1, hint=RELU_HINT, hidden=True, uses=("relu",))
def hidden_relu(t):
    _check_relu(t, [t.rng.normal(size=(4, 5)), t.rng.normal(size=(2, 3, 3))])
'''

RECIPE_CHECK = '''

@EXERCISE.check(points=1, hint=RELU_HINT, uses=("relu",))
def relu_in_the_child(t):
    # the grid is made, and relu called, in the child: grader/recipes/@MODULE@.py
    x, y = t.recipe("relu_on_grid", 11, fn="relu")
    x = np.asarray(x)
    expect.close(y, keras_relu(x), "relu(np.linspace(-1, 1, 11))",
                 mistakes={_("took the absolute value: a negative entry becomes 0, not -x"): np.abs(x)})
'''

RECIPE = '''"""@EX@ recipes: grader code that runs in the child, next to the student's module (``t.recipe``).

A recipe receives the student's module first; it may build what the student's function needs where it
runs (a model, a figure) and sends back plain data for the judge to compare.  Nothing is judged here.
"""
from __future__ import annotations

import numpy as np

from grader.core.child import call, recipe


@recipe
def relu_on_grid(module, n: int):
    """``relu`` of an evenly spaced grid made in the child: (the grid, the student's answer)."""
    x = np.linspace(-1.0, 1.0, n)
    return x, np.asarray(call(module, "relu", (x,)), dtype=np.float64)
'''

MUTANT = '''"""A plausible mistake (written by ``grade new`` as the first example): relu as the absolute value.

expect: * FAIL "absolute value"
"""
from __future__ import annotations

import numpy as np


def relu(x):
    return np.abs(np.asarray(x, dtype=np.float64))
'''

PO_HEAD = '''#
msgid ""
msgstr ""
"Project-Id-Version: keras-course-grader\\n"
"Language: ko\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
'''
# the Korean of the example's own messages; the title and summary are the instructor's to translate
PO_EXAMPLE = {
    "relu(x) keeps the positive entries and puts 0 where x < 0: np.maximum(x, 0).":
        "relu(x)는 양수 항목은 그대로 두고 x < 0인 곳은 0으로 만듭니다: np.maximum(x, 0).",
    "took the absolute value: a negative entry becomes 0, not -x":
        "절댓값을 취했습니다: 음수 항목은 -x가 아니라 0이 됩니다",
}


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def locale_file(module: str, title: str, summary: str) -> str:
    entries = [(title, ""), (summary, ""), *PO_EXAMPLE.items()]
    body = "".join(f"\n#: checks/{module}.py\nmsgid {_po_string(msgid)}\nmsgstr {_po_string(msgstr)}\n"
                   for msgid, msgstr in entries)
    return PO_HEAD + body


def files(ex_id: str, topic: str, title: str, summary: str, *, recipe: bool = False, timeout: int = 10,
          memory_mb: int = 512) -> dict[str, str]:
    """relative path -> text of every file of a new exercise (nothing is written here)."""
    module = f"{ex_id}_{topic}"
    fields = {  # in this order: the recipe's parts hold fields of their own
        "@RECIPE_CHECK@": RECIPE_CHECK.rstrip("\n") + "\n" if recipe else "",
        "@RECIPES@": f',\n                    recipes="grader.recipes.{module}"' if recipe else "",
        "@EX@": ex_id, "@MODULE@": module, "@TITLE@": title, "@TIMEOUT@": str(timeout), "@MEMORY@": str(memory_mb),
        # the check module's strings are Python literals (a title may hold quotes)
        "@TITLE_TEXT@": json.dumps(title, ensure_ascii=False),
        "@SUMMARY_TEXT@": json.dumps(summary, ensure_ascii=False)}

    def fill(template: str) -> str:
        for key, value in fields.items():
            template = template.replace(key, value)
        return template
    out = {f"exercises/{module}.py": fill(STUB), f"solutions/{module}.py": fill(SOLUTION),
           f"grader/checks/{module}.py": fill(CHECKS),
           f"grader/locale/ko/{ex_id}.po": locale_file(module, title, summary),
           f"tests/submissions/{ex_id}/mutant_abs.py": MUTANT}
    if recipe:
        out[f"grader/recipes/{module}.py"] = fill(RECIPE)
    return out


def readme_row(ex_id: str, title: str, summary: str) -> str:
    """The row of an exercise in the README's table (a ``|`` in a cell stays text)."""
    return "| " + " | ".join(text.replace("|", "\\|") for text in (ex_id, title, summary)) + " |"


def add_readme_row(readme: Path, row: str) -> bool:
    """Add ``row`` at the end of the README's table of exercises (after ``README_TABLE``); False when the
    README has no such table."""
    lines = readme.read_text(encoding="utf-8").split("\n")
    try:
        at = lines.index(README_TABLE)
    except ValueError:
        return False
    end = at + 1
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    lines.insert(end, row)
    readme.write_text("\n".join(lines), encoding="utf-8")
    return True


def _existing(root: Path, ex_id: str) -> list[Path]:
    return sorted([*root.glob(f"grader/checks/{ex_id}_*.py"), *root.glob(f"exercises/{ex_id}_*.py"),
                   *root.glob(f"solutions/{ex_id}_*.py"), *root.glob(f"grader/recipes/{ex_id}_*.py"),
                   *[p for p in (root / "tests" / "submissions" / ex_id, root / "grader" / "locale" / "ko" /
                                 f"{ex_id}.po") if p.exists()]])


def try_it(root: Path, ex_id: str, paths: dict[str, Path], lang: str | None) -> dict[str, dict | str]:
    """Grade each file of ``paths`` (name -> file) with the hidden checks, seed 0, in a ``grade`` of the
    repository at ``root`` (its own grader, the new check module included), side by side: name -> the
    report (``grade --json``), or the error that ``grade`` printed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("GRADE_SEED", None)
    code = "from grader.front.cli import main; main()"
    runs = {name: subprocess.Popen([sys.executable, "-c", code, ex_id, "--file", str(path), "--hidden", "--seed",
                                    "0", "--json", *(["--lang", lang] if lang else [])],
                                   cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, path in paths.items()}
    out: dict[str, dict | str] = {}
    for name, proc in runs.items():
        stdout, stderr = proc.communicate()
        try:
            out[name] = json.loads(stdout)
        except json.JSONDecodeError:
            out[name] = (stderr.strip().splitlines() or [_("exit status {code}").format(code=proc.returncode)])[-1]
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="grade new", description=_(
        "Start a new exercise: write its stub, reference solution, checks (and a recipe if asked), a Korean "
        "catalogue, a first mutant with its expect: lines and a README row, then grade the reference and the "
        "stub and say what is still to fill in. The example function is relu: replace it with your own."),
        epilog=_("example:\n  grade new ex14 pooling_layers --title \"Pooling layers\" --recipe"),
        formatter_class=options.HelpFormatter)
    p.add_argument("exercise", help=_("the new exercise's id (ex14)"))
    p.add_argument("topic", help=_("its topic in snake_case (pooling_layers): the module is exNN_TOPIC"))
    p.add_argument("--title", help=_("its title (default: the topic in words)"))
    p.add_argument("--summary", default="TODO: what the exercise covers",
                   help=_("what it covers, one line (grade list, the README row)"))
    p.add_argument("--recipe", action="store_true",
                   help=_("also write grader/recipes/exNN_TOPIC.py (grader code run in the child) and a check "
                          "that uses it"))
    p.add_argument("--root", type=Path, default=Path("."),
                   help=_("the course repository (the folder holding grader/, exercises/ and solutions/; "
                          "default: the current folder)"))
    options.add_language(p)
    return p


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)  # writing files; the trial runs are `grade` processes of their own
    ex_id, topic = args.exercise.strip().lower(), args.topic.strip()
    if not re.fullmatch(r"ex\d\d", ex_id):
        raise UsageError(_("{id} is not an exercise id: ex and two digits (ex14)").format(id=args.exercise))
    if not re.fullmatch(r"[a-z][a-z0-9_]*", topic):
        raise UsageError(_("{topic} is not a topic: lower-case letters, digits and _ (pooling_layers)").format(
            topic=args.topic))
    root = args.root.expanduser().resolve()
    if not all((root / d).is_dir() for d in ("grader/checks", "exercises", "solutions")):
        raise UsageError(_("{root} is not the course repository (no grader/checks/, exercises/ and solutions/); "
                           "run grade new there or pass --root").format(root=root))
    taken = _existing(root, ex_id)
    if taken:
        raise UsageError(_("{id} exists already: {files}").format(
            id=ex_id, files=", ".join(str(p.relative_to(root)) for p in taken)))
    title = args.title or topic.replace("_", " ").capitalize()
    module = f"{ex_id}_{topic}"
    written = files(ex_id, topic, title, args.summary, recipe=args.recipe)
    for rel, text in written.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(_("wrote {n} files for {id}:").format(n=len(written), id=ex_id))
    for rel in written:
        print(f"  {rel}")
    readme = root / "README.md"
    in_readme = readme.is_file() and add_readme_row(readme, readme_row(ex_id, title, args.summary))
    print(_("  README.md: a row in the table of exercises") if in_readme else
          _("  README.md has no table of exercises: add the row yourself"))

    print(_("grading the reference and the stub (hidden checks, seed 0)..."), flush=True)
    got = try_it(root, ex_id, {"reference": root / "solutions" / f"{module}.py",
                               "stub": root / "exercises" / f"{module}.py"}, args.lang)
    ok = True
    for name, want, label in (("reference", "PASS", _("the reference")), ("stub", "NOT_ATTEMPTED", _("the stub"))):
        report = got[name]
        if isinstance(report, str):
            print(_("{what}: grade failed: {error}").format(what=label, error=report))
            ok = False
            continue
        statuses = sorted({c["status"] for c in report["checks"]})
        full = report["score"] == report["max_score"] if want == "PASS" else report["score"] == 0
        good = statuses == [want] and full
        ok = ok and good
        print(_("{what}: {score:g}/{max_score:g} points, {statuses} ({verdict})").format(
            what=label, score=report["score"], max_score=report["max_score"], statuses=", ".join(statuses),
            verdict=_("as the generic tests require") if good else _("the generic tests require every check {status}")
            .format(status=want)))
    print(_("still to fill in:"))
    for item in (
            _("exercises/{module}.py: the docstring (what the student learns and every budget), and the "
              "exercise's functions instead of relu").format(module=module),
            _("solutions/{module}.py: the reference of the same functions").format(module=module),
            _("grader/checks/{module}.py: the checks of those functions (public and hidden), with their hints "
              "and named mistakes; the truth from Keras").format(module=module),
            *([_("grader/recipes/{module}.py: the recipes the checks ask the child for").format(module=module)]
              if args.recipe else []),
            _("grader/locale/ko/{id}.po: the Korean of the title and the summary, and of every new message "
              "(tests/test_i18n.py lists the missing ones)").format(id=ex_id),
            _("tests/submissions/{id}/: at least 5 mutant_*.py (plausible mistakes) and 1 alt_*.py (another "
              "correct solution), each with expect: lines; there is 1 mutant").format(id=ex_id),
            _("README.md: the row's summary, and a section if the exercise needs one")):
        print(f"  - {item}")
    return 0 if ok else 1
