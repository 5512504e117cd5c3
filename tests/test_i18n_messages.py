"""Messages reach the student in English or Korean.

Static guards (no Keras needed) keep English text from being passed to the
student without going through the catalogues; end-to-end tests grade a wrong
submission in Korean through the engine and through ``grade``.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT, SUBMISSIONS

from grader.core import i18n

GRADER = Path(i18n.__file__).resolve().parent.parent  # grader/ (i18n.py is in grader/core/)
HANGUL = re.compile("[\uac00-\ud7a3]")
MARKERS = {"_", "N_", "gettext"}

# Every module of the grader (a new one is guarded as soon as it exists).
GUARDED = sorted(GRADER.rglob("*.py"))

VERDICTS = {"Fail", "StudentError", "NotAttempted", "Timeout", "OutOfMemory", "Verdict", "UsageError"}
EXPECT_MESSAGE_ARGS = {"fail": (0, 1), "that": (1, 2)}  # positional indexes of (message, hint)
EXPECT_HINT_POSITION = {"equal": 4, "close": None, "integer": None}
WHAT_POSITION = {"equal": 2, "close": 2, "integer": 1, "compare_layers": 2, "compare_behaviour": 4}
WORDS = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")  # two English words in a row: prose, not code


def _is_marker_call(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS


def _literal_text(node, role: str = "text") -> list[tuple[str, str]]:
    """(text, role) of the string literals a message is built from, outside _()/N_().

    Follows only the ways a message is assembled -- a literal, an f-string's
    literal parts, ``+``/``%``/``/``, ``x if c else y``, ``a or b``,
    ``"...".format(...)`` -- and never looks inside a call to _() / N_() or any
    other function (describe(layer), repr(x), ...).  The values passed to
    ``.format`` get the role "value": they are usually data (a file name, an
    application's name), so only prose counts there."""
    if node is None or _is_marker_call(node):
        return []
    if isinstance(node, ast.Constant):
        return [(node.value, role)] if isinstance(node.value, str) else []
    if isinstance(node, ast.JoinedStr):
        return [("".join(v.value for v in node.values if isinstance(v, ast.Constant)), role)]
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left, role) + _literal_text(node.right, role)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body, role) + _literal_text(node.orelse, role)
    if isinstance(node, ast.BoolOp):
        return [t for v in node.values for t in _literal_text(v, role)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return (_literal_text(node.func.value, role) + [t for a in node.args for t in _literal_text(a, "value")]
                + [t for k in node.keywords for t in _literal_text(k.value, "value")])
    return []


RICH_MARKUP = re.compile(r"\[/?[a-z ]*\]")  # [bold], [/], [bold green]


def _english(node) -> list[str]:
    """Literal text with a word in it (punctuation such as " -- " or ": " and rich
    markup are fine); prose only in ``.format`` values."""
    return [t for t, role in _literal_text(node)
            if (WORDS.search(t) if role == "value" else re.search("[A-Za-z]", RICH_MARKUP.sub("", t)))]


def _prose(node) -> list[str]:
    """Literal text that reads like English prose (two words in a row), for arguments
    that are usually code: ``what`` names such as "conv_output_length(7, 3)"."""
    return [t for t, _role in _literal_text(node) if WORDS.search(t)]


def _arg(call: ast.Call, index, name):
    if index is not None and len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def untranslated(path: Path, root: Path = GRADER) -> list[str]:
    """Every place in ``path`` where English text reaches a student or instructor
    without _() / N_() (see the rules in the comments)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    rel = path.relative_to(root)
    out = []

    def flag(node, what, texts):
        for t in texts:
            out.append(f"{rel}:{node.lineno}: {what} {t!r}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _callee(node)
            # 1. the message and hint of a verdict: Fail("..."), StudentError(f"...", hint="...")
            if name in VERDICTS:
                flag(node, f"{name} message", _english(_arg(node, 0, "message")))
                flag(node, f"{name} hint", _english(_arg(node, 1, "hint")))
            # 2. expect.fail/that (message, hint); expect.equal/close/integer hint=
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                    and node.func.value.id == "expect":
                if name in EXPECT_MESSAGE_ARGS:
                    m, h = EXPECT_MESSAGE_ARGS[name]
                    flag(node, f"expect.{name} message", _english(_arg(node, m, "message")))
                    flag(node, f"expect.{name} hint", _english(_arg(node, h, "hint")))
                if name in EXPECT_HINT_POSITION:
                    flag(node, f"expect.{name} hint", _english(_arg(node, EXPECT_HINT_POSITION[name], "hint")))
            # 3. `what` arguments are code ("conv_output_length(7, 3)"); English prose in them is a message
            if name in WHAT_POSITION and path.parent.name in ("checks", "grader", "core", "judge", "front"):
                flag(node, f"{name} `what`", _prose(_arg(node, WHAT_POSITION[name], "what")))
            # 4. declarations shown later: @EX.check(hint=...), Exercise(id, title, ..., summary=...)
            if name == "check" and isinstance(node.func, ast.Attribute):
                flag(node, "check hint", _english(_arg(node, None, "hint")))
            if name == "Exercise":
                flag(node, "Exercise title", _english(_arg(node, 1, "title")))
                flag(node, "Exercise summary", _english(_arg(node, None, "summary")))
            # 5. what the terminal shows: print(...), console.print(...), status updates, table columns/titles
            if name in ("print", "update", "add_column", "status") or (
                    name == "Table" and isinstance(node.func, ast.Name)):
                for a in node.args[:1]:
                    flag(node, f"{name}()", _english(a))
                flag(node, f"{name}(title=)", _english(_arg(node, None, "title")))
        # 6. mistake labels: string keys with spaces in dict displays and `d["..."] = ...` in checks
        if path.parent.name in ("checks", "judge"):
            keys = node.keys if isinstance(node, ast.Dict) else \
                [t.slice for t in node.targets if isinstance(t, ast.Subscript)] if isinstance(node, ast.Assign) \
                else []
            for k in keys:
                flag(node, "mistake label", [t for t in _english(k) if " " in t])
    return out


def shadowed_underscore(path: Path) -> list[str]:
    """Functions that call _() but also bind the name _ (``for _ in``, ``a, _ = ...``):
    there _ is a local variable and _("...") fails only when that line runs."""
    tree = ast.parse(path.read_text(), filename=str(path))
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        own = [n for n in _own_nodes(fn)]
        calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in own)
        binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in own) or any(
            isinstance(n, ast.ExceptHandler) and n.name == "_" for n in own)
        if calls and binds:
            out.append(f"{path.relative_to(GRADER)}:{fn.lineno}: {getattr(fn, 'name', 'lambda')}")
    return out


def _own_nodes(fn):
    """The nodes of a function's own scope (not of nested functions or comprehensions)."""
    todo = list(ast.iter_child_nodes(fn))
    while todo:
        n = todo.pop()
        yield n
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
                              ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            todo.extend(ast.iter_child_nodes(n))


@pytest.mark.parametrize("path", GUARDED, ids=[str(p.relative_to(GRADER)) for p in GUARDED])
def test_messages_go_through_the_catalogue(path):
    found = untranslated(path)
    assert not found, "English text shown without _() / N_():\n" + "\n".join(found)


@pytest.mark.parametrize("path", sorted(GRADER.rglob("*.py")), ids=lambda p: str(p.relative_to(GRADER)))
def test_no_function_hides_the_translation_function(path):
    assert not shadowed_underscore(path)


def test_the_guard_catches_what_it_should(tmp_path):
    """The rules flag untranslated text and leave code, punctuation and wrapped text alone."""
    checks = tmp_path / "checks"
    checks.mkdir()
    bad = checks / "exbad.py"
    bad.write_text('''
EX = Exercise("ex99", "A title", "m", summary=f"about {x} things")
@EX.check(points=1, hint="Do this.")
def c(t):
    raise Fail(f"{what} returned {got}", hint="Try again.")
    expect.fail("{} is wrong".format(what))
    expect.that(ok, what + " is not compiled", HINT)
    expect.equal(got, want, f"{what}: input shape", {"forgot the bias": 1})
    m["ignored the stride"] = 2
''')
    good = checks / "exgood.py"
    good.write_text('''
EX = Exercise("ex99", N_("A title"), "m", summary=N_("about things"))
@EX.check(points=1, hint=N_("Do this."))
@EX.check(points=1, hint=lambda: _(A) + " " + _(B))
def c(t):
    raise Fail(_("{what} returned {got}").format(what=what, got=repr(got)) + f" -- {label}", HINT)
    raise StudentError(f"{doing}: {e}")
    expect.equal(got, want, f"conv_output_length({n}, {k}, stride={s})", {_("forgot the bias"): 1})
    expect.close(got, want, what + ", weights", mistakes={N_("x y"): 1})
    m[_("ignored the stride")] = 2
    config = {"kernel": 1, "recurrent_kernel": 2}
    r = h["where"]
''')
    assert untranslated(good, tmp_path) == []
    flagged = untranslated(bad, tmp_path)
    assert len(flagged) == 10, flagged
    for what in ("Exercise title", "Exercise summary", "check hint", "Fail message", "Fail hint",
                 "expect.fail message", "expect.that message", "equal `what`", "mistake label"):
        assert any(what in f for f in flagged), (what, flagged)


# ------------------------------------------------------------------ end to end
@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


def test_a_wrong_answer_is_explained_in_korean(grade, korean):
    report = grade("ex01", SUBMISSIONS / "ex01" / "mutant_floor_same.py", only={"length_same"})
    c = report.by_name("length_same")
    assert c.status.value == "FAIL"
    assert HANGUL.search(c.message) and HANGUL.search(c.hint), (c.message, c.hint)
    # the code stays code: the call, the numbers, Keras's formula
    assert "conv_output_length(7, 3, stride=2, padding='same')" in c.message
    assert "ceil(n / stride)" in c.message and "ceil(n / s)" in c.hint
    assert HANGUL.search(report.title)


def test_a_missing_function_is_reported_in_korean(grade, korean, tmp_path):
    """Messages composed in the child (which cannot know the language) are translated by the judge."""
    f = tmp_path / "ex01_conv_arithmetic.py"
    f.write_text("def conv_output_length(n, kernel_size, stride=1, padding='valid'):\n    return 1\n")
    report = grade("ex01", f, only={"conv_shapes"})
    c = report.by_name("conv_shapes")
    assert c.status.value == "ERROR" and "conv_output_shape" in c.message and HANGUL.search(c.message), c.message


def test_grade_prints_a_korean_table(capsys):
    from grader.front import cli
    try:
        code = cli.run(["ex01", "--file", str(ROOT / "exercises" / "ex01_conv_arithmetic.py"), "--lang", "ko"])
    finally:
        i18n.set_language("en")
    out = capsys.readouterr().out
    assert code == 1
    for text in ("검사", "총점", "아직 시도한 문제가 없습니다", "합성곱 계산"):
        assert text in out, (text, out)
    assert "NOT_ATTEMPTED" in out and "Nothing attempted" not in out


def test_lang_from_the_korean_locale(monkeypatch, capsys):
    from grader.front import cli
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    try:
        assert cli.run(["list"]) == 0
    finally:
        i18n.set_language("en")
    out = capsys.readouterr().out
    assert "합성곱 계산" in out and "Convolution arithmetic" not in out


def test_english_stays_the_default(monkeypatch, capsys):
    from grader.front import cli
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    assert cli.run(["list"]) == 0
    assert "Convolution arithmetic" in capsys.readouterr().out and i18n.get_language() == "en"
