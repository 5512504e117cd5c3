"""The HTML pages of the class tools (``report.html``, the feedback pages, the similarity pages): the
Jinja2 environment over ``grader/templates`` -- autoescaped, ``_`` for the messages, ``num`` and ``pct``
for the numbers."""
from __future__ import annotations

from pathlib import Path

from grader.core.i18n import _

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment():
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.globals["_"] = _
    env.filters["num"] = lambda x: f"{x:g}" if isinstance(x, (int, float)) else str(x)
    env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
    return env
