"""Notebooks: the module a notebook defines, `grade --file x.ipynb`, batch with notebooks,
the messy-notebook corpus, and which checks `check(ex, function)` runs."""
from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from grader import checks
from grader.core.lookup import checks_using, exercise_api, functions_of_checks
from grader.front.extract import Cell, NotebookError, build_module, extract_notebook, source_from_notebook, strip_magics
from grader.front.notebook import kernel_cells

CORPUS = Path(__file__).resolve().parent / "notebooks"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


def module_of(*sources: str, strict: bool = True, use_ipython: bool = True):
    return build_module([Cell(f"cell {i}", s) for i, s in enumerate(sources, start=1)], strict=strict,
                        use_ipython=use_ipython)


def run_module(source: str) -> dict:
    ns: dict = {}
    exec(compile(source, "<notebook>", "exec"), ns)
    return ns


# ------------------------------------------------------------------ the extractor (pure)
def test_last_definition_wins_whatever_the_cell_order():
    e = module_of("def f():\n    return 1", "def g():\n    return f() + 10", "def f():\n    return 2")
    ns = run_module(e.source)
    assert ns["f"]() == 2 and ns["g"]() == 12
    assert e.defined == {"g": "cell 2", "f": "cell 3"}
    assert e.source.count("def f") == 1


def test_only_imports_constants_and_definitions_are_kept():
    e = module_of("import math\nfrom math import pi as PI\nprint('training...')\nfor i in range(10**12):\n    pass",
                  "RATE = 1e-3\nSHAPE = (8, 8, 1)\nHALF = SHAPE[0] // 2\nact = lambda x: max(x, 0)\n"
                  "history = train()\nh = history\nx = 1\nx = x * 2\nf(3)\nraise SystemExit\n",
                  "def f(a):\n    return math.floor(a * RATE + PI)")
    ns = run_module(e.source)  # would hang or exit if anything else were kept
    assert ns["HALF"] == 4 and ns["act"](-3) == 0 and ns["f"](1000) == 4
    for dropped in ("print(", "range(", "train()", "history", "SystemExit", "f(3)"):
        assert dropped not in e.source, dropped
    assert "h" not in ns
    assert ns["x"] == 1  # `x = x * 2` reads x itself: left out, the earlier constant stays


def test_definitions_move_before_what_needs_them_at_definition_time():
    e = module_of("class B(A):\n    size = UNITS", "def f(x, eps=EPS):\n    return x + eps",
                  "class A:\n    pass\nUNITS = 4\nEPS = 0.5")
    ns = run_module(e.source)
    assert issubclass(ns["B"], ns["A"]) and ns["B"].size == 4 and ns["f"](1) == 1.5


def test_check_calls_and_the_grader_import_are_not_part_of_the_module():
    e = module_of("from grader.notebook import check\nimport numpy as np", "check('ex01')\ncheck('ex01', 'f')")
    assert "import check" not in e.source and "check(" not in e.source and "import numpy as np" in e.source


@pytest.mark.parametrize("use_ipython", [True, False], ids=["ipython-transformer", "fallback"])
def test_magics_shell_escapes_and_help_are_removed(use_ipython):
    e = module_of("%matplotlib inline\n!pip install foo\nfiles = !ls\nx = %who_ls\nimport math\nmath.floor?\n??math",
                  "%%time\ndef f(x):\n    !echo hi\n    return x + 1",
                  "%%bash\necho 'def g(): return 0'",
                  "%%capture out\ndef h():\n    return 3", use_ipython=use_ipython)
    ns = run_module(e.source)
    assert ns["f"](1) == 2 and ns["h"]() == 3 and "g" not in ns and "files" not in ns


def test_ipython_transformer_is_used_when_installed():
    pytest.importorskip("IPython")
    assert strip_magics("!ls") == "get_ipython().system('ls')\n"
    assert strip_magics("!ls", use_ipython=False) == "pass"


def test_a_broken_definition_names_the_cell_and_a_broken_scratch_cell_is_a_note():
    with pytest.raises(NotebookError, match=r"cell 2 does not parse .*defines f"):
        module_of("def f():\n    return 1", "def f(:\n    return 2")
    e = module_of("def f(:\n    return 2", "def f():\n    return 1")  # broken, then fixed below
    assert run_module(e.source)["f"]() == 1 and "a later cell defines" in e.notes[0]
    e = module_of("def f():\n    return 1", "for i in range(3) print(i)")
    assert run_module(e.source)["f"]() == 1 and "cell 2 does not parse" in e.notes[0]
    # a kernel's history: a broken input changed nothing, the earlier definition is what the kernel has
    e = module_of("def f():\n    return 1", "def f(:\n    return 2", strict=False)
    assert run_module(e.source)["f"]() == 1 and "earlier definition of f" in e.notes[0]


def test_imports_of_modules_the_grader_lacks_are_left_out_with_a_note():
    e = module_of("import os.path\nimport numpy as np\nfrom google.colab import drive\nimport nosuch_module_xyz.sub\n"
                  "from google.protobuf import message")
    assert "import os.path" in e.source and "import numpy as np" in e.source and "google.protobuf" in e.source
    assert "google.colab" not in e.source and "nosuch_module_xyz" not in e.source
    assert len(e.notes) == 2 and "google.colab is not installed" in e.notes[0]
    run_module(e.source)


def test_a_magic_inside_a_function_does_nothing_when_graded():
    e = module_of("def f():\n    %timeit 1\n    return 5")
    assert run_module(e.source)["f"]() == 5


def test_kernel_history_is_read_from_the_shell():
    class History:
        input_hist_raw = []

    class Shell:
        user_ns = {"In": ["", "def f():\n    return 1", "check('ex01')", "def f():\n    return 2"]}
        history_manager = History()
    cells = kernel_cells(Shell())
    assert [c.label for c in cells] == ["In [1]", "In [2]", "In [3]"]
    assert run_module(build_module(cells, strict=False).source)["f"]() == 2


def test_source_from_notebook_accepts_a_notebook_object():
    import nbformat
    nb = nbformat.read(str(CORPUS / "reordered_cells.ipynb"), as_version=4)
    body = source_from_notebook(nb).split("\n", 1)[1]  # the first line names the file
    assert body == extract_notebook(CORPUS / "reordered_cells.ipynb").source.split("\n", 1)[1]


# ------------------------------------------------------------------ which checks use which function
@pytest.mark.parametrize("ex_id", list(checks.module_names()))
def test_every_public_function_has_checks_and_every_check_a_function(ex_id):
    ex = checks.get(ex_id)
    uses = functions_of_checks(ex)
    api = exercise_api(ex)
    assert api, "the stub defines no public function"
    assert all(uses[c.name] for c in ex.checks), [c.name for c in ex.checks if not uses[c.name]]
    for fn in api:
        assert checks_using(ex, fn)


def test_checks_using_selects_by_the_calls_and_rejects_unknown_names():
    ex = checks.get("ex03")
    assert checks_using(ex, "build_conv_stack") == ["conv_stack_layers", "conv_stack_arguments"]
    assert checks_using(ex, "build_digits_model") == ["digits_model_rules", "digits_model_accuracy"]
    from grader.core.errors import UsageError
    with pytest.raises(UsageError, match="build_conv_stack, build_digits_model"):
        checks_using(ex, "build_conv_stak")


def _recorded_calls(monkeypatch, grade, ex_id):
    """check name -> the student functions a real grading run of the reference called."""
    from grader.core import spec
    seen: dict[str, set[str]] = {}
    real = spec.Trial._send  # every request to the child goes through _send

    def spy(self, op, header, payload, doing, fn):
        if fn:
            seen.setdefault(self.check.name, set()).add(fn)
        return real(self, op, header, payload, doing, fn)
    monkeypatch.setattr(spec.Trial, "_send", spy)
    ex = checks.get(ex_id)
    from conftest import solution_file
    report = grade(ex_id, solution_file(ex.module), hidden=True, block_solutions=False)
    assert report.passed, [(c.name, c.message) for c in report.checks if c.status.value != "PASS"]
    return ex, seen


@pytest.mark.parametrize("ex_id", ["ex01", "ex02", "ex07", "ex09"])
def test_the_declarations_cover_every_call_a_grading_run_makes(monkeypatch, grade, ex_id):
    ex, seen = _recorded_calls(monkeypatch, grade, ex_id)
    uses = functions_of_checks(ex)
    assert seen, "nothing was recorded"
    for name, fns in seen.items():
        assert fns <= uses[name], f"{name} calls {fns - uses[name]} but declares uses={uses[name]}"


@pytest.mark.slow
@pytest.mark.parametrize("ex_id", ["ex03", "ex04", "ex05", "ex06", "ex08", "ex10", "ex11", "ex12", "ex13"])
def test_the_declarations_cover_every_call_slow(monkeypatch, grade, ex_id):
    test_the_declarations_cover_every_call_a_grading_run_makes(monkeypatch, grade, ex_id)


# ------------------------------------------------------------------ the messy corpus, graded by `grade --file`
def test_the_corpus_is_complete():
    files = sorted(p.name for p in CORPUS.glob("*.ipynb"))
    assert files == sorted(EXPECTED), "every notebook needs its verdict in expected.json, and vice versa"
    assert len(files) >= 8
    for name in ("duplicated_cells", "reordered_cells", "later_broken_redefinition", "magics", "shell_escapes",
                 "markdown_only", "empty", "invalid_json"):
        assert f"{name}.ipynb" in files


def grade_cli(capsys, path: Path, *extra: str) -> tuple[int, dict]:
    from grader.front.cli import run
    code = run(["ex01", "--file", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_messy_notebook_verdict(capsys, name):
    want = EXPECTED[name]
    code, report = grade_cli(capsys, CORPUS / name)
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    assert statuses, "no check ran"
    if "all" in want:
        assert set(statuses.values()) == {want["all"]}, statuses
    else:
        for check, status in statuses.items():
            assert status == want["checks"].get(check, want["rest"]), (check, status, statuses)
    for key in ("message", "message2"):
        if key in want:
            assert all(want[key] in c["message"] for c in report["checks"]), report["checks"][0]["message"]
    if "note" in want:
        assert any(want["note"] in n for n in report["notes"]), report["notes"]
    assert code == (0 if set(statuses.values()) == {"PASS"} else 1)


def test_grade_file_ipynb_table_names_the_cell(capsys):
    from grader.front.cli import run
    code = run(["ex01", "--file", str(CORPUS / "later_broken_redefinition.ipynb")])
    out = capsys.readouterr()
    assert code == 1 and "Traceback" not in out.out + out.err
    assert "cell 11" in out.out and "does not parse" in out.out


def test_grade_refuses_other_suffixes(tmp_path):
    from grader.front.cli import run
    from grader.core.errors import UsageError
    path = tmp_path / "ex01.txt"
    path.write_text("x = 1")
    with pytest.raises(UsageError, match=r"\.ipynb"):
        run(["ex01", "--file", str(path)])


def test_a_notebook_and_its_module_get_the_same_verdict(capsys, tmp_path):
    source = source_from_notebook(CORPUS / "later_wrong_redefinition.ipynb")
    module = tmp_path / "ex01_conv_arithmetic.py"
    module.write_text(source)
    _, from_notebook = grade_cli(capsys, CORPUS / "later_wrong_redefinition.ipynb")
    _, from_module = grade_cli(capsys, module)
    assert [(c["name"], c["status"], c["message"]) for c in from_notebook["checks"]] == \
        [(c["name"], c["status"], c["message"]) for c in from_module["checks"]]


# ------------------------------------------------------------------ grade batch with notebooks
def test_batch_grades_notebook_entries(tmp_path):
    from rich.console import Console

    from grader.front.batch import run_batch
    from grader.front.results import read_results
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(CORPUS / "reordered_cells.ipynb", subs / "ada.ipynb")
    shutil.copy(CORPUS / "later_broken_redefinition.ipynb", subs / "bob.ipynb")
    (subs / "cy").mkdir()
    shutil.copy(CORPUS / "magics.ipynb", subs / "cy" / "ex01_conv_arithmetic.ipynb")
    out = tmp_path / "out"
    assert run_batch(["ex01"], subs, out, jobs=1, console=Console(quiet=True)) == 0
    results = read_results(out / "results.jsonl")
    ex = checks.get("ex01")
    assert results[("ada", "ex01")]["score"] == results[("cy", "ex01")]["score"] == ex.total_points
    bob = results[("bob", "ex01")]
    assert bob["score"] == 0 and {c["status"] for c in bob["checks"]} == {"ERROR"}
    assert "cell 11 does not parse" in bob["checks"][0]["message"]


def test_extractor_source_never_imports_or_calls_at_the_top_level():
    """Whatever a corpus notebook holds, the built module's top level is imports, defs and constants."""
    for name in EXPECTED:
        try:
            source = source_from_notebook(CORPUS / name)
        except NotebookError:
            continue
        for stmt in ast.parse(source).body:
            assert isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign,
                                     ast.Try)), (name, ast.unparse(stmt))


# ------------------------------------------------------------------ check() in a kernel (in process, a fake shell)
def _corpus_defs() -> dict[str, str]:
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return {"imports": mod.IMPORTS, "helper": mod.HELPER, **mod.DEFS}


@pytest.fixture
def kernel(monkeypatch, grade):
    """A fake IPython shell whose `In` history the test writes; the forkserver is warm."""
    import grader.front.notebook as nbmod

    class Shell:
        user_ns = {"In": [""]}
        history_manager = None
    shell = Shell()
    monkeypatch.setattr(nbmod, "_ipython", lambda: shell)
    return shell.user_ns["In"]


def test_check_grades_what_the_kernel_ran(kernel, capsys):
    import grader.front.notebook as nbmod
    d = _corpus_defs()
    kernel += ["from grader.notebook import check", d["imports"], d["helper"], d["conv_output_length"],
               "check('ex01', 'conv_output_length')"]
    nbmod.check("ex01", "conv_output_length")
    out = capsys.readouterr().out
    report = nbmod.LAST_REPORT
    assert report is nbmod.CHECKER.last_report  # check()'s memory lives on an object, LAST_REPORT reads it
    assert [c.name for c in report.checks] == checks_using(checks.get("ex01"), "conv_output_length")
    assert {c.status.value for c in report.checks} == {"PASS"}
    assert "length_same" in out and "ex01 conv_output_length: 3/3 points (PASS 3)" in out


def test_check_of_one_function_leaves_checks_needing_later_functions_for_later(kernel):
    import grader.front.notebook as nbmod
    d = _corpus_defs()
    kernel += [d["imports"], d["helper"], d["conv_output_length"], d["conv_output_shape"]]
    nbmod.check("ex01", "conv_output_shape", quiet=True)
    report = nbmod.LAST_REPORT
    assert [c.name for c in report.checks] == ["conv_shapes"] and report.passed
    assert any("classic_cases also calls conv_param_count" in n for n in report.notes)
    kernel.append(d["conv_param_count"])
    nbmod.check("ex01", "conv_param_count", quiet=True)
    assert {c.name for c in nbmod.LAST_REPORT.checks} == {"classic_cases", "conv_params"}
    assert nbmod.LAST_REPORT.passed


def test_check_never_hangs_the_kernel(kernel):
    import time

    import grader.front.notebook as nbmod
    d = _corpus_defs()
    kernel += [d["imports"], "def dense_param_count(in_features, units, use_bias=True):\n    while True:\n        pass",
               "def dense_param_count(:", "print('a broken input: ignored')"]
    start = time.monotonic()
    nbmod.check("ex01", "dense_param_count", timeout=2, quiet=True)
    assert time.monotonic() - start < 30
    assert [c.status.value for c in nbmod.LAST_REPORT.checks] == ["TIMEOUT"]
    assert any("In [3] does not parse" in n for n in nbmod.LAST_REPORT.notes)


def test_check_names_the_functions_when_the_name_is_wrong(kernel, capsys):
    import grader.front.notebook as nbmod
    nbmod.check("ex01", "conv_output_lenght")
    err = capsys.readouterr().err
    assert "no check of ex01 calls conv_output_lenght" in err and "conv_output_length" in err


def test_without_history_check_reads_the_kernel_namespace(tmp_path):
    """A kernel that keeps no input history (check() never reads the .ipynb, which in Colab is no
    file at all): the kernel's own objects -- modules, imported names, constants, and the source
    of what it defined -- make the module."""
    import math
    from math import floor

    import numpy as np
    cell = tmp_path / "cell7.py"  # IPython keeps every cell's text in a file like this (linecache)
    cell.write_text("def _helper(x):\n    return floor(x) + SCALE\n\n\n"
                    "def f(x):\n    return _helper(x) * np.ones(1)[0] + math.pi * 0\n\n\n"
                    "class Thing:\n    size = SCALE\n\n    def twice(self):\n        return 2 * self.size\n")
    ns: dict = {"__name__": "__main__", "SCALE": 3}
    exec(compile(cell.read_text(), str(cell), "exec"), ns)
    ns.update({"np": np, "math": math, "floor": floor, "SCALE": 3, "SHAPE": (8, 8, 1), "_": 5, "_i3": "x",
               "__builtins__": __builtins__, "model": object()})

    class History:
        input_hist_raw = []

    class Shell:
        user_ns = {**ns, "In": [""]}
        history_manager = History()
    cells = kernel_cells(Shell())
    source = build_module(cells, strict=False).source
    out = run_module(source)
    assert out["f"](2.5) == 5 and out["Thing"]().twice() == 6 and out["SHAPE"] == (8, 8, 1)
    assert "import numpy as np" in source and "from math import floor" in source
    assert "model" not in out and "_i3" not in source
