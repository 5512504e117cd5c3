"""Pairs of submissions whose code is suspiciously alike (``grade similar``, ``grade batch --similarity``).

Each submission (a .py file, a folder, a .zip or a notebook, found as
``grade batch`` finds them: ``Submission.discover``) is reduced to the code it defines: a notebook by
the module its cells define (grader/front/submission.py), docstrings dropped, comments
and layout normalised (the code is parsed and written back).  copydetect
(winnowing over tokens, with names replaced by placeholders) fingerprints it;
the fingerprints of the released stub -- signatures, docstrings and the code
the exercise gives -- are boilerplate and never count.  Renamed variables,
reordered functions and changed comments or whitespace do not hide a copy.

The similarity of a pair (0 to 1) is the largest of: the part of A's compared
code found in B, the part of B's found in A, and -- so that one function
copied into otherwise original work stands out -- the largest part of one
substantial function found in the other file, less 0.3 (independent correct
solutions share more of one function than of a whole file).  A pair at or above
``--threshold`` is flagged.  ``DIR`` gets ``pairs.json`` (every pair with a
similarity above zero, sorted), ``index.html`` and one side-by-side page per
flagged pair with the matching regions highlighted.
"""
from __future__ import annotations

import ast
import html
import io
import json
import tempfile
from itertools import combinations
from pathlib import Path

from grader.core.i18n import _
from grader.front.pages import environment
from grader.front.submission import Submission

NOISE = 25  # copydetect: k-gram length over the filtered code (shorter matches are noise)
GUARANTEE = 30  # copydetect: every match this long is found (winnowing window = GUARANTEE - NOISE + 1)
THRESHOLD = 0.6
MAX_VIEWS = 300  # side-by-side pages written (the most similar flagged pairs); pairs.json lists them all
# a function at least this long (characters of copydetect's filtered code, where every name is one
# character) counts on its own: one such function copied is a copy; shorter ones (a one-line formula)
# have too few ways to be right
MIN_FUNCTION_TOKENS = 90
# ... less this: independent solutions share more of one function than of a whole file (a canonical layer
# list in ex04/ex05 reaches 0.82 of a function, 0.33 of a file; tests/submissions/*/alt_*.py), while a
# copied function is matched whole (1.0 -> 0.7)
FUNCTION_DISCOUNT = 0.3


# ------------------------------------------------------------------ the code compared
class _Docstrings(ast.NodeTransformer):
    def _strip(self, node):
        self.generic_visit(node)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
        return node

    visit_Module = visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _strip


def compared_code(text: str) -> str:
    """The code as compared: parsed and written back (comments, blank lines, quotes and spacing
    normalised), docstrings dropped.  Text that does not parse is compared as it is."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text
    return ast.unparse(_Docstrings().visit(tree)) + "\n"


def fingerprint(name: str, code: str, boilerplate=()):
    from copydetect import CodeFingerprint
    return CodeFingerprint(name, NOISE, GUARANTEE - NOISE + 1, boilerplate=list(boilerplate), filter=True,
                           language="python", fp=io.StringIO(code))


def stub_text(ex_id: str) -> str:
    """The released stub of the exercise (what every student starts from)."""
    import importlib.util

    from grader import checks
    module = checks.module_names()[ex_id]
    spec = importlib.util.find_spec(f"exercises.{module}")
    if spec is None or spec.origin is None:
        return ""
    return Path(spec.origin).read_text(encoding="utf-8")


def submission_text(path: Path) -> str:
    """The text as it is graded (``Submission.load``: a notebook is the module its code defines);
    ValueError saying why for a submission with nothing to grade."""
    sub = Submission.load(path)
    if sub.text is None:
        raise ValueError(sub.problem)
    return sub.text


# ------------------------------------------------------------------ comparing
def function_spans(fp) -> list[tuple[str, int, int]]:
    """(name, start, end) character spans, in the compared code, of the functions and methods long enough
    to count on their own (MIN_FUNCTION_TOKENS characters of copydetect's filtered code)."""
    import numpy as np
    code = fp.raw_code
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    # where each character of the filtered code came from (copydetect's own offset mapping)
    f = np.arange(len(fp.filtered_code))
    if len(fp.offsets):
        raw = f + fp.offsets[:, 1][np.clip(np.searchsorted(fp.offsets[:, 0], f), 0, len(fp.offsets) - 1)]
    else:
        raw = f
    nodes = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for c in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        nodes += [n for n in c.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    out = []
    for n in nodes:
        start, end = starts[n.lineno - 1], starts[min(n.end_lineno, len(starts) - 1)]
        tokens = int(np.searchsorted(raw, end) - np.searchsorted(raw, start))
        if tokens >= MIN_FUNCTION_TOKENS:
            out.append((n.name, start, end))
    return out


def _function_share(spans, slices) -> float:
    """The largest share of one function's code that lies in matching regions."""
    import numpy as np
    if not spans or slices is None or len(slices[0]) == 0:
        return 0.0
    s0, s1 = np.asarray(slices[0]), np.asarray(slices[1])
    best = 0.0
    for _name, a, b in spans:
        covered = np.clip(np.minimum(s1, b) - np.maximum(s0, a), 0, None).sum()
        best = max(best, covered / (b - a))
    return float(best)


def compare(named_texts: dict[str, str], stub: str = "", threshold: float = THRESHOLD) -> tuple[list[dict], dict]:
    """Every pair with a similarity above 0, most similar first, and the fingerprints (for the views)."""
    from copydetect import compare_files
    boiler = fingerprint("stub.py", compared_code(stub)).hashes if stub.strip() else set()
    fps = {name: fingerprint(f"{name}.py", compared_code(text), boiler) for name, text in named_texts.items()}
    spans = {name: function_spans(fp) for name, fp in fps.items()}
    pairs = []
    for a, b in combinations(sorted(fps), 2):
        fa, fb = fps[a], fps[b]
        if not fa.hashes & fb.hashes:  # no shared fingerprint: nothing to align
            continue
        _overlap, (sa, sb), slices = compare_files(fa, fb)
        whole = float(max(sa, sb))
        if whole <= 0:
            continue
        one = 0.0 if whole >= 1 - FUNCTION_DISCOUNT else \
            max(_function_share(spans[a], slices[0]), _function_share(spans[b], slices[1]))  # cannot be higher
        sim = max(whole, one - FUNCTION_DISCOUNT)
        pairs.append({"a": a, "b": b, "similarity": round(sim, 4), "flagged": sim >= threshold,
                      "whole": round(whole, 4), "function": round(one, 4), "_slices": slices})
    pairs.sort(key=lambda p: (-p["similarity"], p["a"], p["b"]))
    return pairs, fps


def _highlighted(code: str, slices) -> str:
    import numpy as np
    if slices is None or len(slices[0]) == 0:
        return html.escape(code)
    out, at = [], 0
    for start, end in zip(np.asarray(slices[0], dtype=int), np.asarray(slices[1], dtype=int)):
        out += [html.escape(code[at:start]), "<mark>", html.escape(code[start:end]), "</mark>"]
        at = end
    out.append(html.escape(code[at:]))
    return "".join(out)


def side_by_side(pair: dict, fps: dict) -> str:
    from grader.core.i18n import get_language
    fa, fb = fps[pair["a"]], fps[pair["b"]]
    sa, sb = pair["_slices"]
    return environment().get_template("similar_pair.html.j2").render(
        lang=get_language(), pair=pair, left=_highlighted(fa.raw_code, sa), right=_highlighted(fb.raw_code, sb))


def public(pair: dict) -> dict:
    return {k: v for k, v in pair.items() if not k.startswith("_")}


def write_outputs(ex_id: str, pairs: list[dict], fps: dict, out: Path, threshold: float, notes: list[str]) -> Path:
    from grader.core.i18n import get_language
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("pair-*.html"):
        old.unlink()
    views = 0
    for n, p in enumerate(pairs):
        p["view"] = None
        if p["flagged"] and views < MAX_VIEWS:
            views += 1
            p["view"] = f"pair-{n + 1:04d}.html"
            (out / p["view"]).write_text(side_by_side(p, fps), encoding="utf-8")
    flagged = sum(p["flagged"] for p in pairs)
    if flagged > MAX_VIEWS:
        notes = notes + [_("{n} flagged pairs: side-by-side pages for the {m} most similar").format(
            n=flagged, m=MAX_VIEWS)]
    summary = {"exercise": ex_id, "submissions": len(fps), "threshold": threshold,
               "pairs": [public(p) for p in pairs], "notes": notes}
    (out / "pairs.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    (out / "index.html").write_text(environment().get_template("similar_index.html.j2").render(
        lang=get_language(), sim=summary), encoding="utf-8")
    return out / "pairs.json"


def collect(ex_id: str, submissions: Path, work: Path) -> tuple[dict[str, str], list[str]]:
    """student -> the text of their submission of ex_id (notebooks as the code they define)."""
    texts, notes = {}, []
    for task in Submission.discover(submissions, [ex_id], work):
        if task.source is None:
            continue
        try:
            texts[task.student] = submission_text(Path(task.source))
        except Exception as e:  # noqa: BLE001 -- an unreadable notebook is left out, with a note
            notes.append(_("{student}: left out ({error})").format(student=task.student, error=e))
    return texts, notes


def run_similar(ex_id: str, submissions: Path, out: Path, threshold: float = THRESHOLD) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="grade-similar-") as work:
        texts, notes = collect(ex_id, Path(submissions), Path(work))
    pairs, fps = compare(texts, stub_text(ex_id), threshold)
    write_outputs(ex_id, pairs, fps, Path(out), threshold, notes)
    return [public(p) for p in pairs]


def similar_for_results(results: dict, ex_ids: list[str], out: Path, console=None,
                        threshold: float = THRESHOLD) -> list[Path]:
    """``grade batch --similarity``: compare the graded sources of each exercise into out/exNN/."""
    written = []
    for ex in ex_ids:
        texts, notes = {}, []
        for (s, e), r in sorted(results.items()):
            src = r.get("source")
            if e != ex or not src or not Path(src).is_file():
                continue
            try:
                texts[s] = submission_text(Path(src))
            except Exception as err:  # noqa: BLE001
                notes.append(_("{student}: left out ({error})").format(student=s, error=err))
        if len(texts) < 2:
            continue
        pairs, fps = compare(texts, stub_text(ex), threshold)
        written.append(write_outputs(ex, pairs, fps, out / ex, threshold, notes))
        if console is not None:
            n = sum(p["flagged"] for p in pairs)
            console.print(_("{exercise}: {n} similar pair(s) of {m} submissions at or above {threshold:.0%}").format(
                exercise=ex, n=n, m=len(texts), threshold=threshold))
    return written
