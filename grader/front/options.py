"""The options every front end shares, parsed here: the language of messages (``--lang``), the
exercise (an id, or ``all`` where a command takes every exercise) and the seed of the hidden cases
(``--seed``, else the ``GRADE_SEED`` environment variable, which other processes cannot read from
the command line) and the sandbox (``--sandbox``, one of the isolation backends of
``grader.core.isolation.NAMES``).  ``grade``, ``grade batch``, ``gradescope``, ``report``, ``similar``,
``export`` and ``quiz`` all go through it."""
from __future__ import annotations

import argparse
import os
from typing import Callable, Iterable

from grader.core.errors import UsageError
from grader.core.i18n import N_, _, language_from_argv, set_language

LANG_HELP = N_("language of messages (default: from LANG)")


def add_language(p: argparse.ArgumentParser, help: str = LANG_HELP) -> None:
    """``--lang {en,ko}``; ``help`` is a msgid (N_), translated here."""
    p.add_argument("--lang", choices=["en", "ko"], help=_(help))


def parse(build: Callable[[], argparse.ArgumentParser], argv: Iterable[str]) -> argparse.Namespace:
    """The parser ``build()`` makes, run on ``argv`` in the language ``--lang`` names: the language is
    set before the parser is built, so that --help and argument errors are in it too."""
    argv = list(argv)
    set_language(language_from_argv(argv))
    args = build().parse_args(argv)
    set_language(getattr(args, "lang", None))
    return args


def take_language(argv: Iterable[str]) -> list[str]:
    """For a command line without one parser (``grade quiz``): apply ``--lang X`` / ``--lang=X``
    (anywhere) and return the rest; an unknown language is a usage error."""
    rest, lang, argv, i = [], None, list(argv), 0
    while i < len(argv):
        a = argv[i]
        if a == "--lang":
            if i + 1 >= len(argv):
                raise UsageError(_("--lang needs a value: en or ko"))
            lang, i = argv[i + 1], i + 2
            continue
        if a.startswith("--lang="):
            lang = a.split("=", 1)[1]
        else:
            rest.append(a)
        i += 1
    try:
        set_language(lang)
    except ValueError:
        raise UsageError(_("unsupported language {lang!r}; choose en or ko").format(lang=lang)) from None
    return rest


def add_seed(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--seed", type=int, default=None, help=help)


def seed(args: argparse.Namespace, default: int | None = 0) -> int | None:
    """``--seed``, else ``GRADE_SEED``, else ``default``."""
    if getattr(args, "seed", None) is not None:
        return args.seed
    env = os.environ.get("GRADE_SEED")
    return int(env) if env else default


def exercise(key: str) -> tuple[str, str]:
    """(exercise id, check module name) of 'ex3', '3', 'EX03' ...; UsageError with "did you mean"."""
    from grader.checks import EXERCISES
    return EXERCISES.resolve(key)


def exercises(key: str) -> list[str]:
    """The ids ``key`` names: one exercise, or every one for ``all``."""
    from grader.checks import EXERCISES
    return list(EXERCISES.module_names()) if key == "all" else [exercise(key)[0]]


def add_sandbox_option(p: argparse.ArgumentParser) -> None:
    """``--sandbox``: the isolation backends of ``grader.core.isolation.NAMES`` (a new backend is named there
    only)."""
    from grader.core.isolation import NAMES
    p.add_argument("--sandbox", choices=list(NAMES), default=None,
                   help=_("how your code is isolated (default: linux on Linux, portable on macOS and Windows; "
                          "portable = a spawned process with time and memory watched, no namespaces)"))
