"""Checks declare the student functions they call (``@EX.check(..., uses=("fn",))``): the engine refuses a call
to anything else with an internal grader error, and the notebook's ``check(ex, fn)`` runs the checks that
declare ``fn``."""
from __future__ import annotations

import pytest

from grader import checks
from grader.core.outcome import Status
from grader.core.spec import Exercise
from grader.core.lookup import checks_using, exercise_api


@pytest.mark.parametrize("ex_id", list(checks.module_names()))
def test_every_check_declares_what_it_calls_and_nothing_the_stub_lacks(ex_id):
    ex = checks.get(ex_id)
    api = set(exercise_api(ex))
    for c in ex.checks:
        # declared: ``uses`` is a required keyword (a check without it does not import); uses=() is a check that
        # calls no student code, and the engine holds it to that
        assert isinstance(c.uses, tuple) and all(isinstance(u, str) and u for u in c.uses), c.name
        assert set(c.uses) <= api, f"{ex_id} {c.name} declares {set(c.uses) - api}, which the stub does not define"
    assert any(c.uses for c in ex.checks)


def test_a_check_without_uses_or_with_a_bare_string_is_refused_at_declaration():
    ex = Exercise("ex99", "t", "ex99_m")
    with pytest.raises(TypeError, match="uses"):
        @ex.check(points=1, hint="")
        def no_uses(t):
            pass
    with pytest.raises(TypeError, match=r"uses=\('f',\)"):
        @ex.check(points=1, hint="", uses="f")
        def bare_string(t):
            pass
    assert ex.checks == []

    @ex.check(points=1, hint="", uses=())
    def calls_nothing(t):
        pass
    assert ex.checks[0].uses == ()


def test_a_call_the_check_does_not_declare_is_an_internal_grader_error(grade, tmp_path):
    ex = Exercise("ex91", "declarations", "ex91_uses", timeout=10, memory_mb=512)

    @ex.check(points=1, hint="", uses=("f",))
    def stale(t):
        assert t.call("f") == 1
        t.call("g")  # not declared: the grader's bug, not the student's

    @ex.check(points=1, hint="", uses=("f",))
    def stale_build(t):
        t.build("g", (3,))

    @ex.check(points=1, hint="", uses=("f",))
    def stale_recipe(t):
        t.recipe("anything", fn="g")

    @ex.check(points=1, hint="", uses=("f", "g"))
    def declared(t):
        assert t.call("f") == 1 and t.call("g") == 2

    src = tmp_path / "ex91_uses.py"
    src.write_text("def f():\n    return 1\n\ndef g():\n    return 2\n")
    from grader.core.engine import grade_file
    report = grade_file(ex, str(src))
    for name in ("stale", "stale_build", "stale_recipe"):
        r = report.by_name(name)
        assert r.status is Status.ERROR, (name, r.status, r.message)
        assert "internal grader error" in r.message and "calls g" in r.message and "uses=('f',)" in r.message, \
            r.message
    assert report.by_name("declared").status is Status.PASS


def test_check_of_a_function_runs_exactly_the_checks_that_declare_it(monkeypatch):
    """``check(ex, fn)`` selects by the declarations alone (public checks, in order): change the
    declarations and the selection follows, whatever the check bodies say."""
    ex = Exercise("ex01", "t", "ex01_conv_arithmetic")
    for name, uses, hidden in [("a", ("f",), False), ("b", ("g",), False), ("c", ("g", "f"), False),
                               ("d", ("f",), True), ("e", ("h",), False)]:
        ex.check(points=1, hint="", uses=uses, hidden=hidden, name=name)(lambda t: t.call("conv_output_length"))
    monkeypatch.setattr("grader.core.lookup.exercise_api", lambda ex: ["f", "g", "h", "unchecked"])
    assert checks_using(ex, "f") == ["a", "c"]
    assert checks_using(ex, "g") == ["b", "c"]
    assert [c.name for c in ex.checks_using("f")] == ["a", "c", "d"]
    from grader.core.errors import UsageError
    with pytest.raises(UsageError, match="the functions with checks are: f, g, h$"):
        checks_using(ex, "unchecked")


def test_check_in_a_kernel_runs_the_declared_checks(monkeypatch, grade):
    """The notebook's ``check("ex01", fn)`` end to end: the report holds exactly the public checks of ex01
    that declare ``fn``."""
    import grader.front.notebook as nbmod

    class Shell:
        user_ns = {"In": ["", "def conv_output_length(n, k, stride=1, padding='valid'):\n    return 0\n"]}
        history_manager = None
    monkeypatch.setattr(nbmod, "_ipython", lambda: Shell())
    nbmod.check("ex01", "conv_output_length", quiet=True)
    ex = checks.get("ex01")
    want = [c.name for c in ex.checks if "conv_output_length" in c.uses and not c.hidden]
    assert want and [c.name for c in nbmod.LAST_REPORT.checks] == want
