"""The commands of ``grade``: a module of ``grader/front/`` is the command ``grade NAME`` when it declares

    COMMAND = Command("NAME", usage="grade NAME ARGS", summary=N_("what it does"), group=OTHER, order=50)

and defines ``cli_main(argv) -> int`` (argv after the name; the exit status).  ``grade`` finds the
commands by reading these declarations from the sources, without importing any command, and lists
them in ``grade --help`` (``group``: under which heading; ``order``: where in it).  Adding a command
is adding its module: nothing else names it.  ``tests/test_commands.py`` holds each declaration read
from the source equal to the imported one.
"""
from __future__ import annotations

import ast
import dataclasses
import functools
from pathlib import Path

from grader.core.i18n import N_, _

FRONT = Path(__file__).resolve().parent
PACKAGE = __name__.rpartition(".")[0]  # grader.front

OTHER, CLASS = "other", "class"
HEADINGS = {  # group -> the heading of its lines in `grade --help`, in this order
    OTHER: N_("other commands (each has its own --help):"),
    CLASS: N_("the class as a whole (instructors; after grade batch):"),
}
USAGE_WIDTH = 36  # the summaries line up after the usage (three spaces after a longer one)


@dataclasses.dataclass(frozen=True)
class Command:
    name: str  # grade NAME
    usage: str  # "grade batch EX SUBMISSIONS --out DIR" (not translated: it is what one types)
    summary: str  # a msgid (N_), translated when shown
    group: str = OTHER
    order: int = 50
    module: str = ""  # filled in by ``table``: grader.front.<module>

    def line(self) -> str:
        """The line of ``grade --help``."""
        return f"  {self.usage.ljust(USAGE_WIDTH)}   {_(self.summary)}"


def _literal(node: ast.AST):
    """A literal, ``N_("...")`` of one, or a name of this module (``OTHER``, ``CLASS``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_" and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Name) and node.id in ("OTHER", "CLASS"):
        return globals()[node.id]
    if isinstance(node, ast.Attribute) and node.attr in ("OTHER", "CLASS"):
        return globals()[node.attr]
    return ast.literal_eval(node)


def declared(text: str, module: str = "") -> Command | None:
    """The ``COMMAND = Command(...)`` of a module's text (None when it declares none)."""
    if "COMMAND" not in text:
        return None
    tree = ast.parse(text)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "COMMAND" for t in node.targets)
                and isinstance(node.value, ast.Call)):
            call = node.value
            fields = [f.name for f in dataclasses.fields(Command)]
            values = dict(zip(fields, [_literal(a) for a in call.args]))
            values.update({k.arg: _literal(k.value) for k in call.keywords})
            return Command(**{**values, "module": module})
    return None


@functools.lru_cache(maxsize=1)
def table() -> dict[str, Command]:
    """name -> Command, for every command module of ``grader/front/``, in help order."""
    found = []
    for path in sorted(FRONT.glob("*.py")):
        command = declared(path.read_text(encoding="utf-8"), f"{PACKAGE}.{path.stem}")
        if command is not None:
            found.append(command)
    return {c.name: c for c in sorted(found, key=lambda c: (list(HEADINGS).index(c.group), c.order, c.name))}


def find(name: str) -> Command | None:
    return table().get(name)


def run(name: str, argv: list[str]) -> int:
    """``grade NAME ARGS``: the command's ``cli_main(ARGS)``."""
    import importlib
    return importlib.import_module(table()[name].module).cli_main(argv)


def help_lines(group: str) -> str:
    """The heading of ``group`` and a line per command in it."""
    return "\n".join([_(HEADINGS[group]), *[c.line() for c in table().values() if c.group == group]])
