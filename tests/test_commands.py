"""The commands of `grade` register themselves (grader/front/commands.py): a module of grader/front/ that declares
COMMAND is `grade NAME`, listed in `grade --help`, found without importing any command; adding a command is
adding its module."""
from __future__ import annotations

import importlib
import re
import sys

import pytest

from grader.core.i18n import set_language
from grader.front import commands

EXPECTED = {  # name -> (usage, group): every command `grade` has
    "batch": ("grade batch EX DOWNLOAD --out DIR", commands.OTHER),
    "quiz": ("grade quiz q01", commands.OTHER),
    "history": ("grade history [EX|on|off]", commands.OTHER),
    "submit": ("grade submit EX [--out FILE.zip]", commands.OTHER),
    "gradescope": ("grade gradescope EX --out FILE.zip", commands.OTHER),
    "release": ("grade release --out DIR", commands.OTHER),
    "new": ("grade new EX TOPIC [--recipe]", commands.OTHER),
    "daemon": ("grade daemon status|stop", commands.OTHER),
    "report": ("grade report DIR", commands.CLASS),
    "similar": ("grade similar EX SUBMISSIONS --out D", commands.CLASS),
    "export": ("grade export canvas|moodle|gh-classroom|csv DIR --roster ROSTER.csv --out FILE", commands.CLASS),
}


def test_every_command_is_found_in_help_order():
    table = commands.table()
    assert list(table) == list(EXPECTED)
    assert {n: (c.usage, c.group) for n, c in table.items()} == EXPECTED


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_declaration_read_from_the_source_is_the_module_s_own(name):
    found = commands.find(name)
    module = importlib.import_module(found.module)
    assert (module.COMMAND.name, module.COMMAND.usage, module.COMMAND.summary, module.COMMAND.group,
            module.COMMAND.order) == (found.name, found.usage, found.summary, found.group, found.order)
    assert callable(module.cli_main)


def test_help_lists_the_commands_as_before():
    """The lines of `grade --help` (the seven commands it listed before commands registered themselves come out
    exactly as the hand-written text had them)."""
    set_language("en")
    try:
        other, klass = commands.help_lines(commands.OTHER), commands.help_lines(commands.CLASS)
    finally:
        set_language(None)
    assert other == (
        "other commands (each has its own --help):\n"
        "  grade batch EX DOWNLOAD --out DIR      grade a folder of submissions (instructors)\n"
        "  grade quiz q01                         take a self-checking quiz\n"
        "  grade history [EX|on|off]              your own trail: attempts, time to pass, mistakes met\n"
        "  grade submit EX [--out FILE.zip]       one .zip to hand in: your exercise file and its history\n"
        "  grade gradescope EX --out FILE.zip     build a Gradescope autograder bundle\n"
        "  grade release --out DIR                write the student release (no solutions)\n"
        "  grade new EX TOPIC [--recipe]          start a new exercise: stub, solution, checks, tests (instructors)\n"
        "  grade daemon status|stop               the warm grader's background server: show it, or end it")
    assert klass == (
        "the class as a whole (instructors; after grade batch):\n"
        "  grade report DIR                       DIR/report.html: scores, failed checks, mistakes, crashes\n"
        "  grade similar EX SUBMISSIONS --out D   pairs of suspiciously similar submissions\n"
        "  grade export canvas|moodle|gh-classroom|csv DIR --roster ROSTER.csv --out FILE   scores for the gradebook")
    set_language("ko")
    try:
        assert "  grade quiz q01                         스스로 채점하는 퀴즈 풀기" in commands.help_lines(commands.OTHER)
    finally:
        set_language(None)


def test_grade_help_shows_every_command(capsys):
    from grader.front import cli
    with pytest.raises(SystemExit):
        cli.run(["--help"])
    out = capsys.readouterr().out
    out = re.sub(r" \\\n\s+", " ", out)  # a command continued on the next line (a terminal too narrow for it)
    for usage, _group in EXPECTED.values():
        assert usage in out


def test_a_new_module_is_a_new_command(tmp_path, monkeypatch, capsys):
    """A module that declares COMMAND in the folder of the front ends is `grade NAME`: listed, and run with its
    arguments; nothing else names it."""
    pkg = tmp_path / "morefront"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "hello.py").write_text(
        "from grader.core.i18n import N_\nfrom grader.front.commands import CLASS, Command\n\n"
        "COMMAND = Command('hello', usage='grade hello NAME', summary=N_('say hello'), group=CLASS, order=5)\n\n\n"
        "def cli_main(argv):\n    print('hello', *argv)\n    return 3\n")
    (pkg / "helper.py").write_text("X = 'COMMAND is only a word here'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(commands, "FRONT", pkg)
    monkeypatch.setattr(commands, "PACKAGE", "morefront")
    commands.table.cache_clear()
    try:
        assert list(commands.table()) == ["hello"]
        assert commands.help_lines(commands.CLASS).endswith("  grade hello NAME                       say hello")
        from grader.front import cli
        assert cli.run(["hello", "world"]) == 3
        assert capsys.readouterr().out == "hello world\n"
    finally:
        commands.table.cache_clear()
        sys.modules.pop("morefront.hello", None)
        sys.modules.pop("morefront", None)


HELP = [[], *([name] for name in EXPECTED), ["quiz", "grade"]]


def _help_text(argv: list[str], lang: str, columns: int, capsys, monkeypatch) -> str:
    from grader.core.i18n import set_language
    from grader.front import cli
    monkeypatch.setenv("COLUMNS", str(columns))
    capsys.readouterr()
    try:
        code = cli.run([*argv, "--help", "--lang", lang])
    except SystemExit as e:
        code = e.code
    finally:
        set_language(None)
    assert code in (0, None), (argv, code)
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("argv", HELP, ids=lambda a: " ".join(["grade", *a]))
def test_every_help_fits_a_terminal_of_80_columns(argv, lang, capsys, monkeypatch):
    """`grade ... --help` as an 80-column terminal shows it: no line wider than 80 cells (a Korean syllable takes
    two), and nothing lost -- the same words, in the same order, as on a terminal wide enough for every line (a
    backslash that continues a command is the only word added).  Before: 13 lines of `grade --help` ran past 80
    columns (its description, the table of commands), every subcommand's description was one line of up to 330
    characters, and Korean option help was wrapped by characters, not cells."""
    from rich.cells import cell_len
    narrow = _help_text(argv, lang, 80, capsys, monkeypatch)
    wide = _help_text(argv, lang, 1000, capsys, monkeypatch)
    over = [line for line in narrow.splitlines() if cell_len(line) > 80]
    assert not over, over
    assert [w for w in narrow.split() if w != "\\"] == [w for w in wide.split() if w != "\\"]
    assert len(narrow.splitlines()) > 3  # (it printed the help)


def test_a_command_too_wide_breaks_where_a_shell_continues_it():
    from grader.front.options import fit_line, fit_text
    line = "  grade similar ex03 submissions/ --out similar/ --json | jq '.[] | select(.flagged)'"
    assert fit_line(line, 70) == ["  grade similar ex03 submissions/ --out similar/ --json |",
                                  "      jq '.[] | select(.flagged)'"]
    assert fit_line("  grade export canvas results/ --roster gradebook.csv --out import.csv", 60) == [
        "  grade export canvas results/ --roster gradebook.csv \\", "      --out import.csv"]
    table = "  grade ex01            grade the file\n  grade ex02 --hidden --seed 7    also the hidden checks"
    assert fit_text(table, 40).splitlines() == [
        "  grade ex01", "      grade the file", "  grade ex02 --hidden --seed 7", "      also the hidden checks"]
    assert fit_text(table, 80) == table  # what fits stays as written
