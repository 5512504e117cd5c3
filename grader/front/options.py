"""The options every front end shares, parsed here: the language of messages (``--lang``), the
exercise (an id, or ``all`` where a command takes every exercise) and the seed of the hidden cases
(``--seed``, else the ``GRADE_SEED`` environment variable, which other processes cannot read from
the command line) and the sandbox (``--sandbox``, one of the isolation backends of
``grader.core.isolation.NAMES``).  ``grade``, ``grade batch``, ``gradescope``, ``report``, ``similar``,
``export`` and ``quiz`` all go through it."""
from __future__ import annotations

import argparse
import os
import re
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


def fill_cells(text: str, width: int, indent: str = "") -> list[str]:
    """``text``'s words in lines of at most ``width`` terminal cells, each after ``indent``.  Cells, not
    characters: a Korean syllable takes two (``rich.cells.cell_len``), so a Korean help text wrapped by its
    length ran past the edge.  A word wider than the line stands on a line of its own."""
    from rich.cells import cell_len
    lines, current = [], ""
    for word in text.split():
        if current and cell_len(indent + current + " " + word) > width:
            lines.append(indent + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, indent + current] if current else [indent.rstrip()]


_ROW = re.compile(r"^(\s+)(\S.*?\S)\s{2,}(\S.*)$")  # an indented table row: a command, 2+ spaces, what it does


def fit_line(line: str, width: int) -> list[str]:
    """One line of a help text in lines of at most ``width`` cells.  Prose is wrapped.  An indented line is a
    command a reader may copy, so it is never broken inside a word: a table row too wide puts what the command
    does on the next lines, indented under it; a command too wide breaks after a pipe (a shell continues the
    line after a trailing ``|``), else before an option with a trailing backslash (as the examples of
    ``grade batch --help`` are written); else it stays whole."""
    from rich.cells import cell_len
    if cell_len(line) <= width or not line.strip():
        return [line.rstrip()]
    if not line[0].isspace():
        return fill_cells(line, width)
    row = _ROW.match(line)
    if row:
        return _stacked(row, width)
    indent = line[:len(line) - len(line.lstrip())]
    for mark, keep, tail in ((" | ", " |", ""), (" --", " \\", "--")):
        cuts = [i for i in _unquoted(line, mark) if i > len(indent) and cell_len(line[:i] + keep) <= width]
        if cuts:
            cut = cuts[-1]
            return [line[:cut] + keep, *fit_line(indent + "    " + tail + line[cut + len(mark):], width)]
    return [line]


def _stacked(row: re.Match, width: int) -> list[str]:
    """A table row (``_ROW``) as the command, then what it does on the lines under it, indented."""
    indent, command, does = row.groups()
    return [*fit_line(indent + command, width), *fill_cells(does, width, indent + "    ")]


def _unquoted(line: str, mark: str) -> list[int]:
    """Where ``mark`` starts in ``line`` outside quotes (a pipe inside a jq program is not the shell's)."""
    found, quote = [], None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif line.startswith(mark, i):
            found.append(i)
    return found


def fit_text(text: str, width: int | None = None) -> str:
    """A help text at ``width`` cells (default: the terminal's, less two, as argparse does).  Lines that fit stay
    as written (tables, examples, hand-broken prose); a paragraph of prose with a line too wide is filled again
    as a whole; in a block of indented lines with one too wide, every table row puts what its command does on
    the next lines, and other lines go through ``fit_line``."""
    import shutil
    from rich.cells import cell_len
    width = width or max(shutil.get_terminal_size().columns - 2, 20)
    out: list[str] = []
    block: list[str] = []  # consecutive lines of one kind: prose, or indented lines (a table, examples)

    def flush() -> None:
        if not any(cell_len(line) > width for line in block):
            out.extend(block)
        elif not block[0][0].isspace():
            out.extend(fill_cells(" ".join(block), width))
        else:  # a table with a row too wide: every row stacked, the command above what it does
            for line in block:
                row = _ROW.match(line)
                out.extend(_stacked(row, width) if row else fit_line(line, width))
        block.clear()
    for line in text.splitlines():
        if not line.strip():
            flush()
            out.append("")
            continue
        if block and block[0][0].isspace() != line[0].isspace():
            flush()
        block.append(line.rstrip())
    flush()
    return "\n".join(out)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """``--help`` at the terminal's width (``COLUMNS``, else the terminal's; argparse's default): the description
    and epilog keep their lines where they fit (tables, examples) and are fitted where not (``fit_text``);
    options' help is wrapped by cells, so the Korean help fits too.  Every command's parser uses it
    (tests/test_commands.py checks them all at 80 columns, in English and Korean)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line + "\n" for line in fit_text(text, width).split("\n"))

    def _split_lines(self, text: str, width: int) -> list[str]:
        return fill_cells(text, width)
