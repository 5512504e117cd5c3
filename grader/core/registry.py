"""The registry of what can be graded: one module per exercise or quiz, named by its id
(``grader/checks/ex03_conv_stack.py`` defines ``EXERCISE``, ``grader/quizzes/q01_conv_arithmetic.py``
defines ``QUIZ``), found without importing the others.  ``grader/checks`` and ``grader/quizzes`` each
hold one ``Registry``; ``grader/front/registry.py`` resolves an id of either kind."""
from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from typing import Any, Callable

from grader.core.errors import UsageError
from grader.core.i18n import _


class Registry:
    def __init__(self, package: str, path, prefix: str, attr: str, unknown: Callable[[str, str], str]):
        """``package`` and its ``__path__``; ids are ``prefix`` and two digits (ex03, q01); each module
        defines ``attr``; ``unknown(id, hint)`` is the message of an id that names nothing."""
        self.package, self.path, self.prefix, self.attr, self.unknown = package, path, prefix, attr, unknown
        self._module = re.compile(rf"^({prefix}\d\d)_\w+$")
        self._id = re.compile(rf"^(?:{prefix})?(\d{{1,2}})(?:_\w*)?$")

    def module_names(self) -> dict[str, str]:
        """id -> module name, without importing any of them."""
        out = {}
        for info in pkgutil.iter_modules(self.path):
            m = self._module.match(info.name)
            if m:
                out[m.group(1)] = info.name
        return dict(sorted(out.items()))

    def normalise(self, key: Any) -> str:
        """'ex3', '3', 'EX03' and 'ex03_conv_stack' all mean ex03 (likewise q1 ... q01)."""
        s = str(key).strip().lower()
        m = self._id.match(s)
        return f"{self.prefix}{int(m.group(1)):02d}" if m else s

    def __contains__(self, key: Any) -> bool:
        return self.normalise(key) in self.module_names()

    def resolve(self, key: Any) -> tuple[str, str]:
        """(id, module name); a UsageError with "did you mean" for an unknown id."""
        names = self.module_names()
        found = self.normalise(key)
        if found not in names:
            close = difflib.get_close_matches(found, list(names), n=1, cutoff=0.5)
            hint = _("; did you mean {name}?").format(name=close[0]) if close else ""
            raise UsageError(self.unknown(key, hint))
        return found, names[found]

    def get(self, key: Any):
        _id, module = self.resolve(key)
        return getattr(importlib.import_module(f"{self.package}.{module}"), self.attr)

    def all(self) -> list:
        return [self.get(k) for k in self.module_names()]
