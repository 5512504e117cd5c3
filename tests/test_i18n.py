"""Every message wrapped in _() has a Korean translation with the same placeholders."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from grader.core import i18n

GRADER = Path(i18n.__file__).resolve().parent.parent  # grader/ (i18n.py is in grader/core/)
MARKERS = {"_", "gettext", "N_"}


def wrapped_messages() -> dict[str, str]:
    """msgid -> 'file:line' for every _("...") / N_("...") literal in the grader."""
    out = {}
    for path in sorted(GRADER.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                out.setdefault(node.args[0].value, f"{path.relative_to(GRADER)}:{node.lineno}")
    return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_wrapped_message_has_a_korean_translation():
    ko = i18n.catalogue("ko")
    missing = [f"{where}: {msgid!r}" for msgid, where in wrapped_messages().items() if msgid not in ko]
    assert not missing, "no Korean translation for:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders():
    ko = i18n.catalogue("ko")
    bad = [msgid for msgid in wrapped_messages() if msgid in ko and placeholders(ko[msgid]) != placeholders(msgid)]
    assert not bad, bad


def test_translations_are_korean():
    hangul = re.compile("[\uac00-\ud7a3]")
    ko = i18n.catalogue("ko")
    assert all(hangul.search(v) for v in ko.values())


@pytest.mark.parametrize("env,lang", [({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LANG": "en_US.UTF-8"}, "en"),
                                      ({"LC_ALL": "ko_KR"}, "ko"), ({}, "en")])
def test_language_from_environment(env, lang):
    assert i18n.language_from_env(env) == lang


def test_set_language_switches_and_rejects_unknown():
    try:
        assert i18n.set_language("ko") == "ko"
        with pytest.raises(ValueError):
            i18n.set_language("fr")
    finally:
        i18n.set_language("en")
