"""Write the messy-notebook corpus (ex01) of tests/test_notebook.py.

    .venv/bin/python tests/notebooks/make_corpus.py

Each notebook is what a student might really hand in; ``expected.json`` next
to them states the verdict ``grade ex01 --file NOTEBOOK`` must give.  The
files are committed; this script documents how they were made (run it again
after changing a case, and review the diff).
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat import v4

HERE = Path(__file__).resolve().parent

IMPORTS = "import math"
HELPER = '''def _two(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)'''
DEFS = {
    "conv_output_length": '''def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return -(-n // stride)
    pad = 0 if padding == "valid" else int(padding)
    return (n + 2 * pad - kernel_size) // stride + 1''',
    "conv_output_shape": '''def conv_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid"):
    h, w, _c = input_shape
    (kh, kw), (sh, sw) = _two(kernel_size), _two(strides)
    return (conv_output_length(h, kh, sh, padding), conv_output_length(w, kw, sw, padding), filters)''',
    "pool_output_shape": '''def pool_output_shape(input_shape, pool_size, strides=None, padding="valid"):
    h, w, c = input_shape
    ph, pw = _two(pool_size)
    sh, sw = _two(pool_size if strides is None else strides)
    return (conv_output_length(h, ph, sh, padding), conv_output_length(w, pw, sw, padding), c)''',
    "conv_param_count": '''def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = _two(kernel_size)
    return kh * kw * in_channels * filters + (filters if use_bias else 0)''',
    "dense_param_count": '''def dense_param_count(in_features, units, use_bias=True):
    return in_features * units + (units if use_bias else 0)''',
    "flatten_dense_param_count": '''def flatten_dense_param_count(feature_shape, units):
    return math.prod(feature_shape) * units + units''',
}
WRONG_CONV_PARAMS = '''def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = _two(kernel_size)
    return kh * kw * in_channels * filters   # forgot the biases'''
WRONG_LENGTH = '''def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return (n - kernel_size) // stride   # an early attempt, replaced further down'''


def md(text):
    return v4.new_markdown_cell(text)


def code(text, outputs=None, count=None):
    cell = v4.new_code_cell(text)
    if outputs is not None:
        cell.outputs = outputs
    cell.execution_count = count
    return cell


def good_cells():
    return [md("# ex01"), code(IMPORTS), code(HELPER)] + [code(src) for src in DEFS.values()]


def notebook(cells, ids=True):
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"
    return nb


def write(name, nb):
    nbformat.write(nb, str(HERE / name))


CASES: dict[str, dict] = {}


def case(name, expected, why):
    CASES[name] = {**expected, "why": why}


def main():
    # 1. every cell twice (copies keep the same cell id), an early wrong attempt before the right one
    cells = [md("# ex01"), code(IMPORTS), code(HELPER), code(WRONG_LENGTH)]
    for src in DEFS.values():
        cells += [code(src), code(src)]
    nb = notebook(cells)
    for i in range(4, len(nb.cells), 2):  # duplicated cells share their id, as a copy-paste of the JSON would
        nb.cells[i + 1]["id"] = nb.cells[i]["id"]
    nb.cells[5]["source"] = nb.cells[5]["source"].splitlines(keepends=True)  # source as a list of lines
    # raw JSON: nbformat.write would "correct" the duplicated ids
    (HERE / "duplicated_cells.ipynb").write_text(json.dumps(nb, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    case("duplicated_cells.ipynb", {"all": "PASS"},
         "duplicated cells (same ids), an earlier wrong conv_output_length: the last definition counts")

    # 2. reordered: checks first, definitions bottom-up, the helper and the import last
    cells = [md("# ex01"), code('from grader.notebook import check\ncheck("ex01")')]
    cells += [code(src) for src in reversed(list(DEFS.values()))]
    cells += [code(HELPER), code(IMPORTS)]
    write("reordered_cells.ipynb", notebook(cells))
    case("reordered_cells.ipynb", {"all": "PASS"}, "check cell first, functions in reverse order, helper and import last")

    # 3. a later redefinition that does not parse
    cells = good_cells() + [md("Trying something faster:"),
                            code('def conv_output_length(n, kernel_size, stride=1, padding="valid"\n'
                                 '    return (n - kernel_size) // stride + 1')]
    write("later_broken_redefinition.ipynb", notebook(cells))
    case("later_broken_redefinition.ipynb",
         {"all": "ERROR", "message": "cell 11 does not parse", "message2": "it defines conv_output_length"},
         "the last definition of conv_output_length does not parse: ERROR naming the cell, no guessing")

    # 4. a broken scratch cell that defines nothing
    cells = good_cells() + [code("for i in range(3) print(conv_output_length(i + 3, 3))")]
    write("broken_scratch_cell.ipynb", notebook(cells))
    case("broken_scratch_cell.ipynb", {"all": "PASS", "note": "cell 10 does not parse"},
         "a broken cell without definitions is left out, with a note naming it")

    # 5. magics: line magics, help, %%time around a definition, %%bash and %%writefile cells
    defs = list(DEFS.items())
    cells = [md("# ex01"), code("%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n" + IMPORTS),
             code(HELPER), code("%%time\n" + defs[0][1]), code("conv_output_length?\n??conv_output_length"),
             code("%timeit conv_output_length(224, 7, 2, 'same')"),
             code("%%bash\necho 'def conv_param_count(): return 0'"),
             code("%%writefile scratch.py\ndef dense_param_count(in_features, units, use_bias=True):\n    return 0"),
             code("%%capture captured\n" + defs[1][1])]
    cells += [code(src) for _, src in defs[2:]]
    write("magics.ipynb", notebook(cells))
    case("magics.ipynb", {"all": "PASS"},
         "line magics and help lines dropped; %%time/%%capture bodies kept; %%bash/%%writefile cells dropped")

    # 6. shell escapes
    cells = [md("# ex01"), code("!pip install --quiet tensorflow\n%pip install numpy\nfiles = !ls\n" + IMPORTS),
             code(HELPER + "\n\n!echo helper defined")]
    cells += [code(src) for src in DEFS.values()]
    cells[3]["source"] = cells[3]["source"].replace('    if padding == "same":',
                                                    '    if padding == "same":\n        !echo same', 1)
    write("shell_escapes.ipynb", notebook(cells))
    case("shell_escapes.ipynb", {"all": "PASS"},
         "!pip, %pip, files = !ls at the top level and a !command inside a function body")

    # 7. saved outputs and top-level side effects that must not run when grading
    out = [nbformat.v4.new_output("stream", name="stdout", text="4\n"),
           nbformat.v4.new_output("execute_result", data={"text/plain": "4"}, execution_count=3),
           nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=["ValueError: boom"])]
    cells = [md("# ex01"), code(IMPORTS, [], 1), code(HELPER, [], 2)]
    cells += [code(src, out, i + 3) for i, src in enumerate(DEFS.values())]
    cells += [code("print(conv_output_length(7, 3, 2, 'same'))\nassert conv_output_length(7, 3) == 5", out, 10),
              code("while True:   # a 'training loop' left running\n    pass", [], 11),
              code("import sys\nsys.exit('done')", [], 12),
              code("raise RuntimeError('left over')", [], 13),
              code("if __name__ == '__main__':\n    raise SystemExit(1)", [], 14)]
    write("saved_outputs_side_effects.ipynb", notebook(cells))
    case("saved_outputs_side_effects.ipynb", {"all": "PASS"},
         "saved outputs, prints, asserts, an endless loop, sys.exit and raise at the top level are not run")

    # 8. constants used by definitions, defined further down; a variable computed by a call
    cells = [md("# ex01"), code(IMPORTS),
             code("def dense_param_count(in_features, units, use_bias=USE_BIAS):\n"
                  "    return in_features * units + (units if use_bias else 0)"),
             code("USE_BIAS = True\nSHAPE = (32, 32, 3)\nHALF = SHAPE[0] // 2\n"
                  "cache = dict()          # a call: not kept\nsizes = cache   # reads a dropped variable: not kept"),
             code(HELPER)]
    cells += [code(src) for name, src in DEFS.items() if name != "dense_param_count"]
    write("constants_below_definitions.ipynb", notebook(cells))
    case("constants_below_definitions.ipynb", {"all": "PASS"},
         "a default value read from a constant defined in a later cell; assignments from calls are dropped")

    # 9. the right answer first, a wrong redefinition later: the later one is graded
    cells = good_cells() + [md("Simplified:"), code(WRONG_CONV_PARAMS)]
    write("later_wrong_redefinition.ipynb", notebook(cells))
    case("later_wrong_redefinition.ipynb",
         {"checks": {"conv_params": "FAIL", "classic_cases": "FAIL"}, "rest": "PASS"},
         "the last definition of conv_param_count forgets the biases: graded on it, not on the earlier right one")

    # 10. markdown only
    write("markdown_only.ipynb", notebook([md("# ex01\n\nI did it on paper: 760 parameters.")]))
    case("markdown_only.ipynb", {"all": "ERROR", "message": "has no code"}, "no code cell at all")

    # 11. empty notebook (no cells)
    write("empty.ipynb", notebook([]))
    case("empty.ipynb", {"all": "ERROR", "message": "has no code"}, "a notebook without cells")

    # 12. not JSON (a notebook saved half-way, or a .py renamed)
    good = nbformat.writes(notebook(good_cells()))
    (HERE / "invalid_json.ipynb").write_text(good[: len(good) // 2], encoding="utf-8")
    case("invalid_json.ipynb", {"all": "ERROR", "message": "is not JSON"}, "a truncated file")

    # 13. JSON, but not a notebook
    (HERE / "not_a_notebook.ipynb").write_text(json.dumps({"student": "ada", "answers": [1, 2]}), encoding="utf-8")
    case("not_a_notebook.ipynb", {"all": "ERROR", "message": "is not a Jupyter notebook"}, "JSON without cells")

    # 14. an old nbformat 3 notebook (worksheets)
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "ex01"},
          "worksheets": [{"cells": [{"cell_type": "code", "input": src, "language": "python", "outputs": [],
                                     "metadata": {}} for src in [IMPORTS, HELPER, *DEFS.values()]],
                          "metadata": {}}]}
    (HERE / "nbformat3.ipynb").write_text(json.dumps(v3, indent=1), encoding="utf-8")
    case("nbformat3.ipynb", {"all": "PASS"}, "the old nbformat 3 layout is converted")

    # 15. written on Colab: a module that is not installed where grading runs
    cells = [md("# ex01"), code("from google.colab import drive\ndrive.mount('/content/drive')\n" + IMPORTS)]
    cells += [code(HELPER)] + [code(src) for src in DEFS.values()]
    write("colab_imports.ipynb", notebook(cells))
    case("colab_imports.ipynb", {"all": "PASS", "note": "`from google.colab import drive` was left out"},
         "an import of a module the grading machine does not have is left out with a note, not a failed import")

    (HERE / "expected.json").write_text(json.dumps(CASES, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
