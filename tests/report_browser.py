"""A headless Chromium for tests: a page's rendered text and a screenshot, with the network off.

    text = render_text(path)                  # document.body.innerText after load
    png = screenshot(path, tmp_path / "report.png")
    page = open_page(path); page.text(); page.requests  # every URL the page asked for

Talks to Debian's ``chromium`` over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no port, nothing to install from PyPI).  The
page loads from ``file://`` with the network emulated offline and host names
resolving nowhere; ``requests`` lists what the page tried to load so a test
can require that nothing left the file.  ``chromium_or_skip()`` skips a test
with the reason printed when no Chromium is installed.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

FLAGS = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--hide-scrollbars"]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_or_skip() -> str:
    path = chromium()
    if path is None:
        reason = "no chromium on PATH (Debian: apt-get install -y chromium); the browser test needs one"
        print("SKIPPED:", reason)
        pytest.skip(reason)
    return path


class Page:
    """One headless Chromium with one tab showing ``url``."""

    def __init__(self, url: str, width: int = 1280, height: int = 900, timeout: float = 60.0):
        exe = chromium_or_skip()
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        flags = FLAGS + [f"--user-data-dir={self._profile}", "--remote-debugging-pipe",
                         f"--window-size={width},{height}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds():  # Chromium reads commands on fd 3 and writes replies on fd 4
            os.dup2(to_chrome_r, 100)  # out of the way of 3 and 4 first (a pipe end may be 3 or 4 itself)
            os.dup2(from_chrome_w, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)
            os.close(100)
            os.close(101)
        stderr = None if os.environ.get("BROWSER_DEBUG") else subprocess.DEVNULL  # BROWSER_DEBUG=1: Chromium's log
        self._proc = subprocess.Popen([exe, *flags, "about:blank"], preexec_fn=fds, close_fds=False,
                                      stdout=subprocess.DEVNULL, stderr=stderr,
                                      start_new_session=True)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self._events: list[dict] = []
        self.timeout = timeout
        self.requests: list[str] = []
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self.call("Network.enable", session=True)
            self.call("Network.emulateNetworkConditions", session=True, offline=True, latency=0,
                      downloadThroughput=-1, uploadThroughput=-1)
            self.call("Page.enable", session=True)
            self.call("Page.navigate", session=True, url=url)
            self._wait_loaded()
        except BaseException:
            self.close()
            raise

    # -- the protocol
    def _send(self, msg: dict) -> None:
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")

    def _recv(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium exited")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        msg = json.loads(raw)
        if msg.get("method") == "Network.requestWillBeSent":
            self.requests.append(msg["params"]["request"]["url"])
        return msg

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self._session
        self._send(msg)
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._recv(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def evaluate(self, expression: str):
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def _wait_loaded(self) -> None:
        deadline = time.monotonic() + self.timeout
        while self.evaluate("document.readyState") != "complete" or self.evaluate("location.href") == "about:blank":
            if time.monotonic() > deadline:
                raise TimeoutError("the page did not load")
            time.sleep(0.05)

    # -- what tests use
    def text(self) -> str:
        """The text as rendered (``innerText``: hidden elements left out, table cells separated by tabs)."""
        return self.evaluate("document.body.innerText")

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        params = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000),
                              "scale": 1}
        data = self.call("Page.captureScreenshot", session=True, **params)["data"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self._send({"id": 0, "method": "Browser.close"})
        except OSError:
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._proc.pid, 9)
            self._proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "Page":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_page(html_path: Path, **kw) -> Page:
    return Page(Path(html_path).resolve().as_uri(), **kw)


def render_text(html_path: Path) -> str:
    with open_page(html_path) as page:
        return page.text()


def screenshot(html_path: Path, png_path: Path, width: int = 1280, height: int = 900,
               full_page: bool = True) -> Path:
    with open_page(html_path, width=width, height=height) as page:
        return page.screenshot(png_path, full_page=full_page)
