"""What the registry reads from a check module's source without importing it."""
from __future__ import annotations

import pytest

from grader import checks


@pytest.mark.parametrize("ex_id", list(checks.module_names()))
def test_a_declaration_read_from_the_source_is_the_exercise_s_own(ex_id):
    ex = checks.get(ex_id)
    for keyword, default in (("child_keras", True), ("child_weights", True), ("timeout", 20.0),
                             ("memory_mb", 2048)):
        assert checks.EXERCISES.declared_in_source(ex_id, keyword, default) == getattr(ex, keyword), keyword
        assert checks.EXERCISES.declared(ex_id, keyword, default) == getattr(ex, keyword), keyword


def test_the_numpy_only_exercises_are_read_as_such():
    """ex01 and ex02 declare child_keras=False (their child needs no Keras); ex03 does not say it."""
    assert checks.EXERCISES.declared_in_source("ex01", "child_keras", True) is False
    assert checks.EXERCISES.declared_in_source("2", "child_keras", True) is False
    assert checks.EXERCISES.declared_in_source("ex03", "child_keras", True) is True


def test_a_keyword_that_is_not_a_literal_reads_as_the_default(tmp_path, monkeypatch):
    from grader.core.registry import Registry
    pkg = tmp_path / "fakechecks"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "ex07_fake.py").write_text("T = 3\nEXERCISE = Exercise('ex07', 't', 'm', timeout=T, child_keras=False)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = Registry("fakechecks", [str(pkg)], "ex", "EXERCISE", lambda k, h: f"unknown {k}")
    assert reg.declared_in_source("ex07", "child_keras", True) is False
    assert reg.declared_in_source("ex07", "timeout", 20.0) == 20.0  # a name, not a literal
    assert reg.declared_in_source("ex07", "memory_mb", 2048) == 2048  # not there
