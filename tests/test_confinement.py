"""What a child can reach (Linux backend with bubblewrap): nothing but its own work.

A generated ex01 submission looks for the grading machine's secrets -- /etc/shadow,
the grader's ~/.ssh, the course folder with its solutions and tests, the results
folder, another student's submission, the hidden seed in any process's command line
or environment, and the fork server's socket -- and reports what it found in its
error message, which the grader shows.  It must find none of them, under `grade` and
under `grade batch`, while it does see its own scratch folder (the probe works)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.core import isolation

from conftest import ROOT, solution_file

SEED = "987654321"

PROBE = '''
import glob, os, socket

TARGETS = {targets!r}
SEED = {seed!r}
LISTED = ("course", "home")


def _found():
    out = []
    for name, path in TARGETS.items():
        try:
            if name in LISTED:
                if os.path.isdir(path):
                    out.append("LIST %s: %s" % (name, ",".join(sorted(os.listdir(path)))))
            elif os.path.isdir(path):
                if os.listdir(path):
                    out.append("FOUND " + name)
            elif os.path.exists(path):
                open(path, "rb").read(1)
                out.append("FOUND " + name)
        except OSError:
            pass
    for p in glob.glob("/proc/[0-9]*/cmdline") + glob.glob("/proc/[0-9]*/environ"):
        try:
            if SEED.encode() in open(p, "rb").read():
                out.append("FOUND seed in " + p)
        except OSError:
            pass
    if SEED in repr(dict(os.environ)):
        out.append("FOUND seed in environment")
    for p in glob.glob("/tmp/**/listener-*", recursive=True) + glob.glob("/tmp/pymp-*"):
        out.append("FOUND server socket " + p)
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(p)
            out.append("CONNECTED " + p)
        except OSError:
            pass
    out.append("uid=%d" % os.getuid())
    out.append("SEEN scratch" if os.access(os.getcwd(), os.W_OK) else "no scratch")
    return out


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    raise RuntimeError("PROBE[" + "; ".join(_found()) + "]")
'''


def _needs_bwrap():
    from grader.core.isolation import linux
    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux backend's confinement")
    if not linux._bwrap_works(*linux.USERNS):
        pytest.skip("bubblewrap with a user namespace cannot run here: the Linux backend says so in every report")


def _probe(path: Path, targets: dict) -> Path:
    path.write_text(PROBE.format(targets={k: str(v) for k, v in targets.items()}, seed=SEED))
    return path


def _found(message: str) -> list[str]:
    assert "PROBE[" in message, message
    return message.split("PROBE[", 1)[1].split("]", 1)[0].split("; ")


# What the course folder and the grader's home may show inside the sandbox: the public folders
# and the interpreter bound read-only, and the empty folders the sandbox made on its way to them.
ALLOWED = {"course": {"grader", "exercises", "datasets", ".venv"},
           "home": {".pyenv", ".keras", ".cache", ".config", ".matplotlib", ".local"}}


def _assert_confined(found: list[str]) -> None:
    assert not [f for f in found if f.startswith(("FOUND", "CONNECTED"))], found
    for f in found:
        if f.startswith("LIST "):
            name, entries = f[5:].split(": ", 1)
            assert set(filter(None, entries.split(","))) <= ALLOWED[name], f
    assert "SEEN scratch" in found and "uid=65534" in found, found


def _targets(tmp_path: Path, other: Path, results: Path) -> dict:
    ssh = Path.home() / ".ssh"
    ssh.mkdir(exist_ok=True)
    (ssh / "id_grader_test").write_text("PRIVATE KEY")
    return {"shadow": "/etc/shadow", "ssh": ssh, "course": ROOT, "solutions": ROOT / "solutions",
            "tests": ROOT / "tests", "other student": other, "results": results, "home": Path.home(),
            "gradescope seed": tmp_path / "source" / "seed"}


def test_the_portable_backend_cannot_confine():
    pytest.skip("the portable backend (macOS, Windows) does not isolate files, processes or the network: "
                "a child can read what the grader's user can read; every report says so")


def test_grade_child_sees_nothing_but_its_work(tmp_path, monkeypatch):
    _needs_bwrap()
    monkeypatch.delenv(isolation.ENV, raising=False)
    other = tmp_path / "subs" / "bob.py"
    other.parent.mkdir()
    shutil.copy(solution_file("ex01_conv_arithmetic"), other)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "seed").write_text(SEED)
    probe = _probe(tmp_path / "probe.py", _targets(tmp_path, other, tmp_path / "results"))
    env = {**os.environ, "GRADE_SEED": SEED}
    env.pop(isolation.ENV, None)
    r = subprocess.run([str(Path(sys.executable).with_name("grade")), "ex01", "--file", str(probe), "--json",
                        "--seed", SEED], capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    d = json.loads(r.stdout)
    msg = next(c["message"] for c in d["checks"] if c["name"] == "length_valid")
    _assert_confined(_found(msg))


def test_batch_child_sees_nothing_but_its_work(tmp_path):
    _needs_bwrap()
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(solution_file("ex01_conv_arithmetic"), subs / "bob.py")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "seed").write_text(SEED)
    out = tmp_path / "results"
    out.mkdir()
    (out / "grades.csv").write_text("student,ex01\nbob,13\n")
    _probe(subs / "mallory.py", _targets(tmp_path, subs / "bob.py", out))
    env = {**os.environ, "GRADE_SEED": SEED}
    env.pop(isolation.ENV, None)
    r = subprocess.run([str(Path(sys.executable).with_name("grade")), "batch", "ex01", str(subs), "--out", str(out),
                        "--jobs", "1"], capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    mallory = next(x for x in lines if x["student"] == "mallory")
    msg = next(c["message"] for c in mallory["checks"] if c["name"] == "length_valid")
    _assert_confined(_found(msg))
    assert "allow-list" in mallory["isolation"]
