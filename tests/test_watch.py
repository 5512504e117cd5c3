"""`grade exNN --watch` as a student runs it: a real `grade` process, a file saved
again and again, Ctrl-C.  Each test starts one watcher (one Keras import)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
HOSTILE = Path(__file__).resolve().parent / "hostile"
SOLUTION_EX01 = ROOT / "solutions" / "ex01_conv_arithmetic.py"
MARKER = "save it to grade again, Ctrl-C to stop"
FIRST_GRADE = 300.0  # seconds: the first grade imports Keras (minutes on a loaded 2-core machine)
REGRADE = 120.0


class Watcher:
    """`grade EX --file PATH --watch` in a subprocess whose output is read line by line."""

    def __init__(self, exercise: str, path: Path, *extra: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", "TF_CPP_MIN_LOG_LEVEL": "3"}
        env.pop("GRADE_SEED", None)
        # cwd: the course folder (what a student does); the watched file lives elsewhere
        grade = Path(sys.executable).with_name("grade")  # the installed command, as a student runs it
        self.proc = subprocess.Popen([str(grade), exercise, "--file", str(path), "--watch",
                                      "--lang", "en", *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
        self.lines: list[str] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for_run(self, after: int, timeout: float) -> tuple[int, str]:
        """Wait for the end of the next run (the "watching ..." line after line ``after``); its output."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(after, len(self.lines)):
                    if MARKER in self.lines[i]:
                        return i + 1, "\n".join(self.lines[after:i + 1])
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None and len(self.lines) == after:
                    raise AssertionError(f"no verdict within {timeout} s; output so far:\n" + "\n".join(self.lines))
                self.cond.wait(min(left, 1.0))

    def wait_for_line(self, text: str, after: int, timeout: float) -> None:
        """Wait until a line after line ``after`` holds ``text``."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not any(text in line for line in self.lines[after:]):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError(f"no line with {text!r} within {timeout} s; output so far:\n"
                                         + "\n".join(self.lines))
                self.cond.wait(min(left, 1.0))

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)

    def interrupt(self, timeout: float = 10.0) -> tuple[float, list[psutil.Process]]:
        """Send SIGINT (what Ctrl-C sends); the seconds until it exits and its former descendants still alive."""
        before = self.descendants()
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.kill()
        took = time.monotonic() - t0
        time.sleep(0.2)
        return took, [p for p in before if _alive(p)]

    def kill(self) -> None:
        for p in self.descendants():
            try:
                p.kill()
            except psutil.Error:
                pass
        self.proc.kill()
        self.proc.wait(10)


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def one_mistake(tmp: Path) -> Path:
    """The reference with the bias forgotten in conv_param_count (the later definition wins)."""
    out = tmp / "one_mistake.py"
    out.write_text(SOLUTION_EX01.read_text() + "\n\n" + (SUBMISSIONS / "ex01" / "mutant_forgot_bias.py").read_text())
    return out


def save(path: Path, source: Path) -> None:
    """Save like an editor: write the new text into the watched file."""
    path.write_text(source.read_text())


@pytest.fixture
def watched(tmp_path):
    path = tmp_path / "ex01_conv_arithmetic.py"
    started: list[Watcher] = []

    def start(source: Path, exercise: str = "ex01") -> Watcher:
        shutil.copy(source, path)
        w = Watcher(exercise, path)
        started.append(w)
        return w
    yield path, start
    for w in started:
        if w.proc.poll() is None:
            w.kill()


def test_regrades_after_a_save_and_shows_what_changed(watched, tmp_path):
    path, start = watched
    mistake = one_mistake(tmp_path)
    w = start(mistake)
    at, first = w.wait_for_run(0, FIRST_GRADE)
    assert "conv_params" in first and "FAIL" in first and "dense_params" in first
    assert "forgot the bias" in first  # the failure block of the first run: every check that did not pass

    save(path, SOLUTION_EX01)
    at, second = w.wait_for_run(at, REGRADE)
    assert "saved, graded in" in second
    assert "now PASS: " in second and "conv_params" in second.split("now PASS: ", 1)[1].splitlines()[0]
    assert "All checks passed." in second
    assert "now failing" not in second

    # an editor's save that the watcher wakes in the middle of: the file emptied, the text not yet written
    path.write_text("")
    w.wait_for_line("is empty", at, REGRADE)
    save(path, mistake)
    at, third = w.wait_for_run(at, REGRADE)
    assert "is empty" in third  # the half-saved file was not graded: no run of it
    assert third.count(MARKER) == 1
    changed = third.split("now failing: ", 1)[1].splitlines()[0]
    assert "conv_params (PASS -> FAIL)" in changed
    assert "dense_params" not in changed  # still passes: not listed
    assert "forgot the bias" in third  # its block is shown again: its status changed

    # saved again without a change of status: the table, and no block
    path.write_text(path.read_text() + "\n# a comment\n")
    at, fourth = w.wait_for_run(at, REGRADE)
    assert "no check changed status since the last run" in fourth
    assert "conv_params" in fourth and "FAIL" in fourth  # the table is always there
    assert "forgot the bias" not in fourth  # the block only when the status changed

    took, alive = w.interrupt()
    assert alive == [] and w.proc.returncode == 130


def test_a_submission_that_kills_its_child_and_the_server_costs_only_that_run(watched):
    path, start = watched
    w = start(HOSTILE / "kill_parent.py")  # kills the child server (its parent) and its own process group
    at, first = w.wait_for_run(0, FIRST_GRADE)
    assert "ERROR" in first and "All checks passed." not in first

    save(path, SOLUTION_EX01)
    at, second = w.wait_for_run(at, REGRADE)
    assert "All checks passed." in second, second

    save(path, HOSTILE / "os_exit_in_function.py")  # a child that ends itself
    at, third = w.wait_for_run(at, REGRADE)
    assert "now failing" in third and "ERROR" in third

    save(path, SOLUTION_EX01)
    at, fourth = w.wait_for_run(at, REGRADE)
    assert "All checks passed." in fourth, fourth
    took, alive = w.interrupt()
    assert alive == []


def test_ctrl_c_during_a_grade_exits_at_once_and_leaves_no_process(watched, tmp_path):
    path, start = watched
    w = start(SOLUTION_EX01)
    at, _first = w.wait_for_run(0, FIRST_GRADE)
    endless = tmp_path / "endless.py"
    endless.write_text(SOLUTION_EX01.read_text().replace(
        "def conv_output_length(", "def conv_output_length(*a, **k):\n    while True:\n        pass\n\n\n"
                                   "def _unused(", 1))
    before = {p.pid for p in w.descendants()}
    save(path, endless)
    # wait until a fresh child (forked after the save) has spent CPU time in the endless loop
    deadline = time.monotonic() + REGRADE
    busy = False
    while time.monotonic() < deadline and not busy:
        for p in w.descendants():
            try:
                if p.pid not in before and p.cpu_times().user > 0.5:
                    busy = True
                    break
            except psutil.Error:
                continue
        time.sleep(0.1)
    assert busy, "the endless loop never ran: " + repr([(p.pid, p.name(), p.cpu_times()) for p in w.descendants()]) + "\n".join(w.lines[at:])
    took, alive = w.interrupt()
    assert alive == [], [(p.pid, p.name()) for p in alive]
    assert took < 5.0, f"Ctrl-C took {took:.1f} s"
    assert w.proc.returncode == 130


def test_a_second_check_in_a_notebook_kernel_reuses_the_warm_child_server():
    """check() in a real Jupyter kernel twice: the server started by the first call (Keras
    preloaded) is the one the second call forks from -- the same processes, none started again."""
    jupyter_client = pytest.importorskip("jupyter_client")
    from jupyter_client.manager import start_new_kernel
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("GRADE_SEED", None)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT), env=env)
    try:
        def run(code: str) -> str:
            out = []
            reply = kc.execute_interactive(code, timeout=FIRST_GRADE, output_hook=lambda m: out.append(
                m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
            assert reply["content"]["status"] == "ok", "".join(out)
            return "".join(out)
        kernel = psutil.Process(km.provisioner.process.pid)
        run("from grader.front import notebook\nfrom grader.notebook import check")
        run(SOLUTION_EX01.read_text())
        run("check('ex01', quiet=True)\nprint(notebook.LAST_REPORT.score, notebook.LAST_REPORT.max_score)")
        first = {p.pid for p in kernel.children(recursive=True) if _alive(p)}
        out = run("check('ex01', quiet=True)\nprint(notebook.LAST_REPORT.score, notebook.LAST_REPORT.max_score)")
        second = {p.pid for p in kernel.children(recursive=True) if _alive(p)}
        score, max_score = out.split()[-2:]
        assert score == max_score  # the second check() graded the notebook's functions
        assert first and first == second  # the same warm server, not a new one
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


class FakeGrades:
    """``watch()`` with a grade that records the text it read and may change the file meanwhile, as an
    editor saving again would: no Keras, no child, no clock."""

    def __init__(self, path: Path, during: dict[int, str] | None = None, on_say=None):
        self.path, self.during, self.on_say = path, during or {}, on_say
        self.read: list[str] = []  # the text each grade() read
        self.shown: list[str] = []  # the report each show() printed
        self.said: list[str] = []
        self.stop = threading.Event()

    def grade(self) -> str:
        self.read.append(self.path.read_text())
        n = len(self.read)
        if n in self.during:
            self.path.write_text(self.during[n])  # saved again while it was graded
        return f"report of {self.read[-1]!r}"

    def show(self, previous, report, seconds) -> None:
        self.shown.append(report)

    def say(self, text: str) -> None:
        self.said.append(text)
        if self.on_say is not None:
            self.on_say(self, text)

    def run(self) -> None:
        from grader.front import watch as watch_module
        t = threading.Timer(60.0, self.stop.set)  # a safety net: the test fails, it does not hang
        t.start()
        try:
            watch_module.watch(self.path, self.grade, self.show, say=self.say, stop=self.stop)
        finally:
            t.cancel()


@pytest.fixture
def no_descendant_killing(monkeypatch):
    """watch() kills every process its own process started when it ends (the CLI's child server); here that
    process is pytest's, whose warm servers belong to other tests."""
    from grader.front import watch as watch_module
    monkeypatch.setattr(watch_module, "kill_descendants", lambda timeout=3.0: None)


def test_a_save_caught_half_way_is_never_shown_as_a_verdict(tmp_path, no_descendant_killing):
    """An editor's save truncates the file, then writes it: a watcher that wakes in between must not grade
    the empty file (last CI run: every check ERROR after a save, on a busy machine); and a report of a text
    the file no longer holds (saved again during the grade) is replaced by a grade of what it holds."""
    path = tmp_path / "ex01_conv_arithmetic.py"
    path.write_text("A = 1\n")
    markers = []

    def on_say(f: FakeGrades, text: str) -> None:
        if MARKER in text:
            markers.append(text)
            if len(markers) == 1:
                path.write_text("")  # the first half of a save: truncated, nothing written yet
            else:
                f.stop.set()
        elif "is empty" in text:
            path.write_text("B = 2\n")  # the second half

    f = FakeGrades(path, during={2: "C = 3\n"}, on_say=on_say)
    f.run()
    assert f.read == ["A = 1\n", "B = 2\n", "C = 3\n"]  # the empty file was never graded
    assert f.shown == ["report of 'A = 1\\n'", "report of 'C = 3\\n'"]  # B's report was stale: not shown
    assert any("is empty" in s for s in f.said)
    assert any("changed while it was graded" in s for s in f.said)
    assert len(markers) == 2


def test_a_file_that_changes_during_every_grade_is_shown_after_a_few_tries(tmp_path, no_descendant_killing):
    from grader.front.watch import MAX_STALE_RUNS
    path = tmp_path / "ex01_conv_arithmetic.py"
    path.write_text("v = 0\n")
    tries = MAX_STALE_RUNS + 1
    f = FakeGrades(path, during={n: f"v = {n}\n" for n in range(1, tries + 1)},
                   on_say=lambda f, text: MARKER in text and f.stop.set())
    f.run()
    assert f.shown[0] == f"report of 'v = {tries - 1}\\n'"  # the last try is shown, though the file changed again
    assert len(f.read) >= tries and f.read[tries - 1] == f"v = {tries - 1}\n"
    assert sum("changed while it was graded" in s for s in f.said[:tries]) == MAX_STALE_RUNS
