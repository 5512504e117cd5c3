"""Messages in English and Korean, from gettext catalogues.

Every message the grader prints is written in English in the code, wrapped in
``_()``, with ``{named}`` placeholders filled by ``.format`` *after*
translation::

    _("{what} returned {got}, expected {want}").format(what=..., got=..., want=...)

The Korean texts live in gettext ``.po`` catalogues under ``grader/locale/ko/``
(one file per part of the grader, so that each part's owner edits only its
own; all files of a language are merged).  ``--lang ko`` on the command line,
or a Korean locale in ``LANG``/``LC_ALL``/``LC_MESSAGES``, picks Korean.
``tests/test_i18n.py`` fails when a wrapped message has no Korean translation
or when its placeholders differ.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "ko")
_current = "en"


def language_from_env(environ=os.environ) -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    """Set the language of messages ("en", "ko"; None = from the environment)."""
    global _current
    lang = (lang or language_from_env()).lower()[:2]
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang
    return lang


def language_from_argv(argv) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` in a command line, if it names a
    language (so that --help and argument errors can be translated before the
    parser runs); None otherwise."""
    argv = list(argv)
    for i, a in enumerate(argv):
        value = argv[i + 1] if a == "--lang" and i + 1 < len(argv) else a[7:] if a.startswith("--lang=") else None
        if value and value.lower()[:2] in LANGUAGES:
            return value.lower()[:2]
    return None


def get_language() -> str:
    return _current


@functools.lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> msgstr of every ``locale/<lang>/*.po`` file (untranslated entries left out)."""
    import polib
    out: dict[str, str] = {}
    for po in sorted((LOCALE_DIR / lang).glob("*.po")):
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                out[entry.msgid] = entry.msgstr
    return out


def gettext(message: str) -> str:
    if _current == "en":
        return message
    return catalogue(_current).get(message, message)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it now (translate with ``_`` later)."""
    return message
