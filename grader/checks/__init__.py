"""The registry: one module per exercise, named like the exercise's module
(``grader/checks/ex03_conv_stack.py`` judges ``exercises/ex03_conv_stack.py``)
and defining ``EXERCISE``."""
from __future__ import annotations

import difflib
import importlib
import pkgutil
import re

from grader.core.errors import UsageError
from grader.core.i18n import _

_ID = re.compile(r"^(ex\d\d)_\w+$")


def module_names() -> dict[str, str]:
    """exercise id -> check module name, without importing any of them."""
    out = {}
    for info in pkgutil.iter_modules(__path__):
        m = _ID.match(info.name)
        if m:
            out[m.group(1)] = info.name
    return dict(sorted(out.items()))


def normalise(ex_id: str) -> str:
    """'ex3', '3', 'EX03' and 'ex03_conv_stack' all mean ex03."""
    s = ex_id.strip().lower()
    m = re.match(r"^(?:ex)?(\d{1,2})(?:_\w*)?$", s)
    return f"ex{int(m.group(1)):02d}" if m else s


def get(ex_id: str):
    names = module_names()
    key = normalise(ex_id)
    if key not in names:
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.5)
        hint = _("; did you mean {name}?").format(name=close[0]) if close else ""
        raise UsageError(_("unknown exercise {id}{hint} (`grade list` shows them all)").format(id=repr(ex_id),
                                                                                              hint=hint))
    module = importlib.import_module(f"{__name__}.{names[key]}")
    return module.EXERCISE


def all_exercises():
    return [get(k) for k in module_names()]
