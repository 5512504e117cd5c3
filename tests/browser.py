"""What a person sees: HTML rendered by a real browser (headless Chromium, Debian's ``chromium``).

    from browser import render_text, render_texts, render, screenshot, notebook_output_html
    text = render_text(html)             # the page's rendered text (``innerText``: what is visible)
    texts = render_texts([html1, html2])  # several fragments in one browser start, one text each
    page = render(html)                  # .text, .sections, .images (natural and on-screen sizes)
    screenshot(html, path)               # a PNG of the page

Chromium runs headless with a new empty profile and no network features; the
page is a file in a temporary folder.  JavaScript added to the page replaces
it, after the ``load`` event, with the rendered text and the sizes of its
images, which ``--dump-dom`` prints.  When no ``chromium`` is installed, every
function here calls ``pytest.skip`` with the reason (``.ci/run`` installs it).
"""
from __future__ import annotations

import base64
import dataclasses
import html as html_lib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--window-size=1280,2000"]
TIMEOUT = 120
_MARK = "__RENDERED_JSON__"

# Runs after `load` (images decoded): every <section data-part> (or the body) becomes its innerText,
# and the whole document is replaced by one JSON text the dump carries.
_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var parts = Array.prototype.slice.call(document.querySelectorAll("section[data-part]"));
  var images = Array.prototype.slice.call(document.images).map(function (img) {
    var r = img.getBoundingClientRect();
    return {src: img.src.slice(0, 40), naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
            width: r.width, height: r.height, complete: img.complete};
  });
  var out = {text: document.body.innerText, sections: parts.map(function (p) { return p.innerText; }),
             images: images};
  var pre = document.createElement("pre");
  pre.textContent = "%s" + JSON.stringify(out) + "%s";
  document.body.innerHTML = "";
  document.body.appendChild(pre);
});
</script>
""" % (_MARK, _MARK)


@dataclasses.dataclass
class Rendered:
    text: str  # the rendered text of the whole page
    sections: list[str]  # the rendered text of each fragment given to render_texts()
    images: list[dict]  # naturalWidth, naturalHeight, width, height (on screen), complete


def chromium() -> str:
    """The browser's path; skips the test (with the reason) when there is none."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (Debian: apt-get install -y chromium; .ci/run installs it): "
                "what a front end shows cannot be checked")


def _page(body: str) -> str:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>render</title></head><body>"
            + body + _SCRIPT + "</body></html>")


def _run(args: list[str], workdir: Path) -> subprocess.CompletedProcess:
    exe = chromium()
    profile = workdir / "profile"
    profile.mkdir()
    env = {**os.environ, "HOME": str(workdir)}
    return subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, env=env, cwd=workdir)


def render(body_html: str) -> Rendered:
    """Render an HTML fragment (put into <body>) or a page's body, and read what shows."""
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        workdir = Path(tmp)
        page = workdir / "page.html"
        page.write_text(_page(body_html), encoding="utf-8")
        p = _run(["--virtual-time-budget=5000", "--dump-dom", page.as_uri()], workdir)
    dom = p.stdout
    if _MARK not in dom:
        raise AssertionError(f"chromium rendered nothing (exit {p.returncode}): {p.stderr[-2000:]}")
    payload = dom.split(_MARK)[1]
    data = json.loads(html_lib.unescape(payload))
    return Rendered(data["text"], data["sections"], data["images"])


def render_text(html: str) -> str:
    """The text a person sees when the browser shows ``html``."""
    return render(html).text


def render_texts(fragments: list[str]) -> list[str]:
    """Several fragments in one browser start: the rendered text of each, in order."""
    body = "".join(f'<section data-part="{i}">{f}</section>' for i, f in enumerate(fragments))
    return render(body).sections


def screenshot(html: str, path: str | os.PathLike, *, width: int = 1280, height: int = 2000) -> Path:
    """A PNG of ``html`` as the browser shows it; returns the path."""
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        workdir = Path(tmp)
        page = workdir / "page.html"
        page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>" + html + "</body></html>",
                        encoding="utf-8")
        p = _run([f"--window-size={width},{height}", f"--screenshot={path}", page.as_uri()], workdir)
    if not path.is_file() or path.stat().st_size == 0:
        raise AssertionError(f"chromium wrote no screenshot (exit {p.returncode}): {p.stderr[-2000:]}")
    return path


# ------------------------------------------------------------------ notebook outputs as a front end shows them
def notebook_output_html(output: dict) -> str:
    """The HTML a notebook front end (JupyterLab, Colab, VS Code) shows for one nbformat output:
    the richest type it renders -- ``text/html``, then an image, then ``text/plain`` -- and
    streams and errors as preformatted text."""
    kind = output.get("output_type")
    if kind == "stream":
        return f"<pre>{html_lib.escape(output.get('text', ''))}</pre>"
    if kind == "error":
        return f"<pre>{html_lib.escape(output.get('ename', ''))}: {html_lib.escape(output.get('evalue', ''))}</pre>"
    data = output.get("data", {})
    if "text/html" in data:
        h = data["text/html"]
        return "".join(h) if isinstance(h, list) else h
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            b64 = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
            base64.b64decode(b64, validate=False)
            return f'<img src="data:{mime};base64,{b64.strip()}">'
    if "text/plain" in data:
        t = data["text/plain"]
        return f"<pre>{html_lib.escape(''.join(t) if isinstance(t, list) else t)}</pre>"
    return ""
