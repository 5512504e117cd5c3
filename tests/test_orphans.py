"""Nothing outlives the grader: when `grade batch`'s main process is killed with
SIGKILL in the middle of a batch, its workers, fork servers, sandboxes and children
are all gone within 5 s, under every backend, and the resumed batch loses nothing."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from grader.core import isolation

from conftest import ROOT, solution_file

HOSTILE = ROOT / "tests" / "hostile"


def _corpus(folder: Path) -> Path:
    subs = folder / "subs"
    subs.mkdir()
    for i in range(4):
        shutil.copy(solution_file("ex01_conv_arithmetic"), subs / f"good{i}.py")
    for name in ("infinite_loop", "sleep_forever", "sigterm_ignored", "lingering_thread"):
        shutil.copy(HOSTILE / f"{name}.py", subs / f"h_{name}.py")
    return subs


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _alive(procs: list[psutil.Process]) -> list[str]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(f"{p.pid} {' '.join(p.cmdline())[:120]}")
        except psutil.Error:
            continue
    return out


@pytest.mark.parametrize("backend", ["linux", "portable"])
def test_killing_the_batch_leaves_nothing_behind_and_resumes(tmp_path, backend):
    if backend == "linux" and not sys.platform.startswith("linux"):
        pytest.skip("the fork-server backend is Linux's")
    subs = _corpus(tmp_path)
    out = tmp_path / "out"
    env = {**os.environ, isolation.ENV: backend}
    cmd = [str(Path(sys.executable).with_name("grade")), "batch", "ex01", str(subs), "--out", str(out),
           "--jobs", "2", "--timeout", "20", "--seed", "3"]
    main = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    seen: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + 600
    # wait until the workers are grading: every worker has a child running student code
    while time.monotonic() < deadline:
        for p in _tree(main.pid):
            seen.setdefault(p.pid, p)
        results = out / "results.jsonl"
        if results.exists() and results.read_text().count("\n") >= 1 and len(seen) >= 6:
            break
        assert main.poll() is None, "the batch ended before it could be killed"
        time.sleep(0.2)
    for p in _tree(main.pid):
        seen.setdefault(p.pid, p)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    others = [p for pid, p in seen.items() if pid != main.pid]
    assert len(others) >= 3, "expected workers and their sandboxes to be running"
    gone_by = time.monotonic() + 5
    while _alive(others) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not _alive(others), _alive(others)

    before = [line for line in (out / "results.jsonl").read_text().splitlines() if line.strip()]
    r = subprocess.run(cmd[:-4] + ["--jobs", "2", "--timeout", "3", "--seed", "3"], env=env,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    after = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert {(d["student"], d["exercise"]) for d in after} == {(p.stem, "ex01") for p in subs.iterdir()}
    kept = [json.loads(line) for line in before if line.endswith("}")]
    assert all(k in after for k in kept)  # what was finished before the kill is kept as it was
    for d in after:
        if d["student"].startswith("good"):
            assert d["score"] == d["max_score"], d
