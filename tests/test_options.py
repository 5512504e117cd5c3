"""What every front end shares: one registry for exercises and quizzes, and the options
(--lang, the exercise id, --seed / GRADE_SEED) parsed in grader/front/options.py."""
from __future__ import annotations

import argparse

import pytest

from grader import checks
from grader.core import i18n
from grader.core.errors import UsageError
from grader.front import options, registry


def test_one_registry_resolves_exercises_and_quizzes():
    assert registry.get("ex3").id == "ex03" and registry.get("3").id == "ex03"
    assert registry.get("q1").id == "q01" and registry.get("Q05").id == "q05"
    assert registry.resolve("ex03_conv_stack") == ("ex03", "ex03_conv_stack")
    with pytest.raises(UsageError, match=r"unknown exercise 'ex99'; did you mean ex09\?"):
        registry.get("ex99")
    with pytest.raises(UsageError, match=r"unknown quiz 'q9'; did you mean q05\?.*grade quiz list"):
        registry.get("q9")


def test_exercise_ids_and_all():
    assert options.exercise("EX01") == ("ex01", checks.module_names()["ex01"])
    assert options.exercises("all") == list(checks.module_names()) and options.exercises("2") == ["ex02"]
    with pytest.raises(UsageError, match="did you mean"):
        options.exercises("ex1x")


def test_seed_from_the_option_the_environment_or_the_default(monkeypatch):
    monkeypatch.delenv("GRADE_SEED", raising=False)
    assert options.seed(argparse.Namespace(seed=None)) == 0
    assert options.seed(argparse.Namespace(seed=None), default=None) is None
    monkeypatch.setenv("GRADE_SEED", "4711")
    assert options.seed(argparse.Namespace(seed=None)) == 4711
    assert options.seed(argparse.Namespace(seed=5)) == 5


def test_language_before_the_parser_is_built():
    seen = []

    def build():
        seen.append(i18n.get_language())  # the help texts are translated when the parser is built
        p = argparse.ArgumentParser()
        options.add_language(p)
        return p
    try:
        assert options.parse(build, ["--lang", "ko"]).lang == "ko" and seen == ["ko"]
        assert i18n.get_language() == "ko"
        assert options.take_language(["list", "--lang=en"]) == ["list"] and i18n.get_language() == "en"
        with pytest.raises(UsageError, match="unsupported language"):
            options.take_language(["--lang", "fr"])
        with pytest.raises(UsageError, match="needs a value"):
            options.take_language(["list", "--lang"])
    finally:
        i18n.set_language("en")
