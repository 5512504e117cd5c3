"""The registry of what can be graded: one module per exercise or quiz, named by its id
(``grader/checks/ex03_conv_stack.py`` defines ``EXERCISE``, ``grader/quizzes/q01_conv_arithmetic.py``
defines ``QUIZ``), found without importing the others.  ``grader/checks`` and ``grader/quizzes`` each
hold one ``Registry``; ``grader/front/registry.py`` resolves an id of either kind."""
from __future__ import annotations

import ast
import difflib
import importlib
import importlib.util
import pkgutil
import re
import sys
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

    def declared(self, key: Any, keyword: str, default: Any = None) -> Any:
        """A literal keyword of the module's ``attr = Exercise(..., keyword=value)``, read from its source
        without importing it (a check module imports Keras; ``grade ex01`` wants to know before that
        whether its child needs Keras).  ``default`` when the keyword is not there or not a literal; the
        attribute itself once the module is imported.  ``tests/test_registry.py`` holds both readings equal
        for every exercise."""
        _id, module = self.resolve(key)
        name = f"{self.package}.{module}"
        if name in sys.modules:
            return getattr(getattr(sys.modules[name], self.attr), keyword, default)
        return self.declared_in_source(key, keyword, default)

    def declared_in_source(self, key: Any, keyword: str, default: Any = None) -> Any:
        """``declared``, always from the source text."""
        _id, module = self.resolve(key)
        name = f"{self.package}.{module}"
        try:
            spec = importlib.util.find_spec(name)
            with open(spec.origin, encoding="utf-8") as f:
                tree = ast.parse(f.read())
        except (ImportError, AttributeError, TypeError, OSError, SyntaxError, ValueError):
            return default
        for node in tree.body:
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                    and any(isinstance(t, ast.Name) and t.id == self.attr for t in node.targets)):
                for kw in node.value.keywords:
                    if kw.arg == keyword:
                        try:
                            return ast.literal_eval(kw.value)
                        except ValueError:
                            return default
        return default
