"""The notebook compiler (grader/front/extract.py) step by step, without IPython: each step is a function of
its own, and the pipeline is their composition.  (tests/test_notebook.py holds the whole compiler to what
notebooks need; these hold each step to its one job.)"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from grader.front import extract
from grader.front.extract import Cell, NotebookError

FRONT = Path(extract.__file__).resolve().parent


def _parsed(*sources: str):
    return [p for p in (extract.parse(Cell(f"cell {i}", s), use_ipython=False) for i, s in enumerate(sources, 1))
            if p is not None]


def test_it_imports_nothing_of_the_front_ends():
    tree = ast.parse((FRONT / "extract.py").read_text(encoding="utf-8"))
    names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert [n for n in names if n.startswith("grader.") and not n.startswith("grader.core.i18n")] == []


def test_step_1_strip_works_without_ipython(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)  # `import IPython` fails
    monkeypatch.setitem(sys.modules, "IPython.core.inputtransformer2", None)
    monkeypatch.setattr(extract, "_transformer", None)
    code = "%matplotlib inline\n!pip install foo\nfiles = !ls\nimport math\nmath.floor?\nx = 1"
    assert extract.strip_magics(code) == "pass\npass\npass\nimport math\npass\nx = 1"
    assert extract.strip_magics("%%bash\necho hi") == ""
    assert extract.strip_magics("%%time\nx = 2") == "x = 2"


def test_step_2_parse_a_cell():
    ok, broken = _parsed("def f():\n    return 1", "def g(:\n    pass")
    assert isinstance(ok.tree, ast.Module) and ok.error is None
    assert broken.tree is None and isinstance(broken.error, SyntaxError)
    assert _parsed("%%bash\nls", "   ") == []  # nothing left to grade


def test_step_3_classify_keeps_definitions_imports_and_constants_only():
    pieces = extract.classify(_parsed(
        "from __future__ import annotations\nimport numpy as np\nfrom grader.notebook import check\nN = 3\n"
        "model = build()\nprint(N)\nfor i in range(3):\n    pass",
        "try:\n    import scipy\nexcept ImportError:\n    scipy = None\n\n\ndef f(x=N):\n    return x\n"
        "class C:\n    pass\ncheck('ex01')",
        "def broken(:\n    pass"))
    assert pieces.futures == ["from __future__ import annotations"]
    assert [(i.text, i.guarded) for i in pieces.imports] == [
        ("import numpy as np", False), ("try:\n    import scipy\nexcept ImportError:\n    scipy = None", True)]
    assert [(it.names, it.kind, it.label) for it in pieces.items] == [
        (["N"], "const", "cell 1"), (["f"], "def", "cell 2"), (["C"], "def", "cell 2")]
    assert pieces.items[1].needs == {"N"}  # a default value is read when the def runs
    assert [(b.cell.label, b.names) for b in pieces.broken] == [("cell 3", ["broken"])]


def test_step_4_drop_what_cannot_resolve():
    pieces = extract.drop_unresolvable(extract.classify(_parsed(
        "import math\nimport nosuch_module_xyz\nimport math", "h = history\nK = math.pi\ndef f():\n    return 1",
        "def f():\n    return 2")))
    assert [i.text for i in pieces.imports] == ["import math"]  # once, and never the missing module
    assert any("nosuch_module_xyz is not installed" in n for n in pieces.notes)
    assert [it.names for it in pieces.items] == [["K"], ["f"], ["f"]]  # `h = history`: history is never defined
    assert pieces.last["f"].label == "cell 3"  # the last definition of a name counts
    assert pieces.bound == {"math"}


def test_step_5_settle_broken_cells():
    def pieces(strict, *sources):
        return extract.settle_broken(extract.drop_unresolvable(extract.classify(_parsed(*sources))), strict=strict)
    with pytest.raises(NotebookError, match="cell 2 does not parse.*defines f"):
        pieces(True, "def g():\n    pass", "def f(:\n    pass")
    assert "later cell defines the same names" in pieces(True, "def f(:\n    pass", "def f():\n    pass").notes[0]
    assert "earlier definition of f" in pieces(False, "def f():\n    pass", "def f(:\n    pass").notes[0]
    assert "defines no function or class" in pieces(True, "print(:").notes[0]


def test_step_6_order_moves_a_need_earlier_only():
    pieces = extract.drop_unresolvable(extract.classify(_parsed(
        "def helper():\n    return SCALE", "@register\ndef f():\n    pass", "def register(fn):\n    return fn",
        "SCALE = 2")))
    assert [it.names[0] for it in extract.order(pieces)] == ["helper", "register", "f", "SCALE"]


def test_step_7_assemble_and_the_whole_pipeline():
    cells = [Cell("cell 1", "import math\n%time x = 1"), Cell("cell 2", "def f():\n    get_ipython().system('ls')")]
    nb = extract.build_module(cells, name="demo.ipynb", use_ipython=False)
    assert nb.source.startswith("# Built by grader.notebook from demo.ipynb")
    assert "import math" in nb.source and "# cell 2\ndef f():" in nb.source
    assert extract.GET_IPYTHON_SHIM in nb.source  # a function still calls get_ipython()
    assert nb.defined == {"f": "cell 2"} and nb.imported == {"math"}
    compile(nb.source, "demo", "exec")
