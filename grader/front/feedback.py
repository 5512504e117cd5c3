"""What each student reads after ``grade batch``: ``feedback/STUDENT.md`` and ``feedback/STUDENT.html``.
Every check with its status, points, message and hint; for a hidden check that did not pass its
category (the check's name) and hint, never the hidden inputs; then the notes of the grading."""
from __future__ import annotations

import re
from pathlib import Path

from grader.core.i18n import _
from grader.front.pages import environment
from grader.front.results import safe_name


def feedback_markdown(student: str, results: list[dict]) -> str:
    """What a student sees: every check, points, message and hint; for hidden
    checks the category (check name) and hint, never the hidden inputs."""
    lines = ["# " + _("Feedback for {student}").format(student=student), ""]
    header = "| " + " | ".join((_("check"), _("status"), _("points"), _("message"))) + " |"
    for r in results:
        lines += [f"## {r['exercise']}: {r['score']:g} / {r['max_score']:g}", "",
                  header, "| --- | --- | --- | --- |"]
        for c in r["checks"]:
            if c["hidden"] and c["status"] != "PASS":
                message = _("hidden check failed ({name}); hint: {hint}").format(name=c["name"].replace("_", " "),
                                                                                   hint=c["hint"])
            elif c["status"] == "PASS":
                message = ""
            else:
                message = f"{c['message']}" + (_(" -- hint: {hint}").format(hint=c["hint"]) if c["hint"] else "")
            message = _md_cell(message)
            name = c["name"] + (_(" (hidden)") if c["hidden"] else "")
            lines.append(f"| {name} | {c['status']} | {c['points']:g}/{c['max_points']:g} | {message} |")
        lines.append("")
        # what the grader left out or noticed ("cell 4 does not parse ...; it was left out"), as `grade` shows
        lines += [f"- **{_('note:')}** {_md_cell(n)}" for n in r.get("notes") or []]
        lines += [""] if r.get("notes") else []
    return "\n".join(lines)


def feedback_html(markdown_text: str, title: str = "") -> str:
    """The HTML page of a feedback Markdown text (markdown-it-py, CommonMark + tables; raw HTML in the
    text is escaped, never passed through), in the page template of ``grader/templates``."""
    from markdown_it import MarkdownIt

    from grader.core.i18n import get_language
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown_text)
    return environment().get_template("feedback.html.j2").render(lang=get_language(), title=title, body=body)


def _md_cell(text: str) -> str:
    """Text as one Markdown table cell: pipes, backslashes, backticks, stars and brackets stay literal."""
    return re.sub(r"([\\`*\[\]|])", r"\\\1", text).replace("\n", " ")


def write_feedback(results: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    by_student: dict[str, list[dict]] = {}
    for (s, _ex), r in sorted(results.items()):
        by_student.setdefault(s, []).append(r)
    for s, rs in by_student.items():
        md = feedback_markdown(s, rs)
        safe = safe_name(s)
        (folder / f"{safe}.md").write_text(md, encoding="utf-8")
        (folder / f"{safe}.html").write_text(
            feedback_html(md, _("Feedback for {student}").format(student=s)), encoding="utf-8")
