"""`grade batch`: a folder of correct, wrong, broken and hostile submissions is
graded in parallel; each gets its own clear outcome, none raises its score,
the correct ones get full marks, and an interrupted batch resumes."""
from __future__ import annotations

import csv
import json
import re
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from grader.front import batch, results
from grader.front.submission import Handin, Submission
from grader.core.errors import UsageError

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
HOSTILE = TESTS / "hostile"
SOLUTION = ROOT / "solutions" / "ex01_conv_arithmetic.py"
FULL = 13

# hostile file -> (check, allowed statuses, words in the message, the most it may score)
EXPECTED = {
    "infinite_loop": ("length_valid", {"TIMEOUT"}, "time limit", 1),
    "sleep_forever": ("length_valid", {"TIMEOUT"}, "importing your file", 0),
    "sigterm_ignored": ("length_valid", {"TIMEOUT"}, "time limit", 0),
    "memory_bomb": ("length_valid", {"OUT_OF_MEMORY"}, "memory", 1),
    "numpy_bomb": ("length_valid", {"OUT_OF_MEMORY"}, "memory", 0),
    # which limit a fork bomb or a deep recursion hits first depends on the machine; the words are
    # the call itself, which an internal grader error or a crashed worker never names
    "fork_bomb": ("length_valid", {"OUT_OF_MEMORY", "TIMEOUT"}, "conv_output_length(32, 5", 0),
    "recursion_bomb": ("length_valid", {"TIMEOUT", "ERROR"}, "conv_output_length(32, 5", 0),
    "sys_exit_at_import": ("length_valid", {"ERROR"}, "sys.exit", 0),
    "os_exit_in_function": ("length_valid", {"ERROR"}, "ended the grading process", 1),
    "kill_parent": ("length_valid", {"ERROR"}, "ended the grading process", 1),
    # it deletes its own scratch folder (its working directory) first, so its own call fails
    "delete_files": ("length_valid", {"ERROR"}, "FileNotFoundError", 1),
    "forged_output": ("length_valid", {"FAIL"}, "returned -1", 0),
    "forged_wire": ("length_valid", {"FAIL"}, "returned -7", 0),
    "patch_grader": ("length_valid", {"FAIL"}, "returned -1", 0),
    "snoop": ("length_valid", {"ERROR"}, "RuntimeError", 0),
    # prints 286 MB and returns a wrong answer: printing is no error (a loud *correct* file scores full
    # marks: tests/test_isolation.py)
    "huge_stdout": ("length_valid", {"FAIL"}, "returned -1", 0),

    "lingering_thread": ("length_valid", {"PASS"}, "ok", 4),
    "nan_outputs": ("length_valid", {"FAIL"}, "nan", 0),
    "wrong_types": ("length_valid", {"FAIL"}, "str", 0),
    "syntax_error": ("length_valid", {"ERROR"}, "SyntaxError", 0),
    "import_error": ("length_valid", {"ERROR"}, "ModuleNotFoundError", 0),
    "missing_function": ("length_valid", {"ERROR"}, "does not define conv_output_length", 0),
}


FORK_BOMB_SAFE = os.access("/sys/fs/cgroup/pids", os.W_OK)


def _corpus(folder: Path) -> Path:
    subs = folder / "subs"
    subs.mkdir()
    for path in sorted(HOSTILE.glob("*.py")):
        if path.stem == "fork_bomb" and not FORK_BOMB_SAFE:
            continue  # without a pids cgroup a fork bomb could exhaust this machine's pids (test_fork_bomb skips)
        shutil.copy(path, subs / f"h_{path.stem}.py")
    shutil.copy(SOLUTION, subs / "good_alice.py")
    (subs / "good_bob" / "exercises").mkdir(parents=True)
    shutil.copy(TESTS / "submissions" / "ex01" / "alt_math_floor.py",
                subs / "good_bob" / "exercises" / "ex01_conv_arithmetic.py")
    with zipfile.ZipFile(subs / "good_carol.zip", "w") as z:
        z.write(SOLUTION, "homework/ex01_conv_arithmetic.py")
    shutil.copy(TESTS / "submissions" / "ex01" / "mutant_hardcoded.py", subs / "hardcoder.py")
    return subs


@pytest.fixture(scope="session")  # built once per worker (conftest.py: SHARED_FIXTURES)
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    subs = _corpus(folder)
    out = folder / "out"
    assert batch.run_batch(["ex01"], subs, out, jobs=2, seed=7, timeout=3, memory_mb=512) == 0
    return subs, out


def _results(out: Path) -> dict[str, dict]:
    return {k[0]: v for k, v in results.read_results(out / "results.jsonl").items()}


def test_hostile_submissions_get_their_own_outcome_and_no_points(graded):
    _, out = graded
    results = _results(out)
    for stem, (check, statuses, words, most) in EXPECTED.items():
        student = f"h_{stem}"
        if student not in results:
            assert stem == "fork_bomb"
            continue
        r = results[student]
        c = next(c for c in r["checks"] if c["name"] == check)
        assert c["status"] in statuses, (stem, c["status"], c["message"])
        assert words.lower() in c["message"].lower(), (stem, c["message"])
        assert r["score"] <= most, (stem, r["score"])


def test_fork_bomb_was_graded(graded):
    if not FORK_BOMB_SAFE:
        pytest.skip("fork_bomb not graded: no writable pids cgroup (/sys/fs/cgroup/pids) to cap the processes")
    assert "h_fork_bomb" in _results(graded[1])


def test_huge_stdout_is_capped_and_said_so(graded):
    r = _results(graded[1])["h_huge_stdout"]
    assert "File too large" not in json.dumps(r)
    printed = [int(m.group(1)) for n in r["notes"] for m in [re.search(r"printed (\d+) MB", n)] if m and "64 KB" in n]
    assert printed and printed[0] >= 286, r["notes"]  # 286 MB (300 x 1 MB lines) per call


def test_delete_files_damaged_nothing_outside_its_scratch(graded):
    subs, out = graded
    assert (subs / "h_delete_files.py").exists() and (subs / "good_alice.py").exists()
    assert sorted(p.name for p in subs.iterdir()) == sorted(p.name for p in _corpus_names())
    assert (out / "results.jsonl").exists()
    assert (TESTS / "hostile" / "delete_files.py").exists()


def _corpus_names():
    names = [Path(f"h_{p.stem}.py") for p in HOSTILE.glob("*.py") if p.stem != "fork_bomb" or FORK_BOMB_SAFE]
    return names + [Path("good_alice.py"), Path("good_bob"), Path("good_carol.zip"), Path("hardcoder.py")]


def test_correct_submissions_in_the_same_batch_get_full_marks(graded):
    _, out = graded
    results = _results(out)
    for student in ("good_alice", "good_bob", "good_carol"):
        assert results[student]["score"] == FULL, results[student]["checks"]


def test_outputs_gradebook_and_feedback(graded):
    subs, out = graded
    rows = list(csv.DictReader(open(out / "grades.csv")))
    assert {r["student"] for r in rows} == {p.stem if p.is_file() else p.name for p in subs.iterdir()}
    alice = next(r for r in rows if r["student"] == "good_alice")
    assert float(alice["ex01"]) == float(alice["total"]) == FULL
    md = (out / "feedback" / "hardcoder.md").read_text()
    hidden_msg = next(c["message"] for c in _results(out)["hardcoder"]["checks"] if c["name"] == "hidden_lengths")
    assert "hidden check failed (hidden lengths)" in md
    assert hidden_msg not in md, "feedback must not reveal the hidden inputs"
    assert "<table>" in (out / "feedback" / "hardcoder.html").read_text()
    report = (out / "report.html").read_text()  # the class report, written at the end of every batch
    assert 'href="feedback/good_alice.html"' in report and "hidden check failed" not in report
    run = json.loads((out / "batch.json").read_text())
    assert run["jobs"] and run["wall_seconds"] > 0 and str(run.get("seed", "")) == ""


def test_rerun_resumes_and_loses_nothing(graded):
    subs, out = graded
    path = out / "results.jsonl"
    before = path.read_text().splitlines()
    # simulate an interruption in the middle of writing the last line
    torn = before[:-1] + [before[-1][: len(before[-1]) // 2]]
    path.write_text("\n".join(torn))
    lost = json.loads(before[-1])["student"]
    assert batch.run_batch(["ex01"], subs, out, jobs=1, seed=7, timeout=3, memory_mb=512) == 0
    after = results.read_results(path)
    assert len(after) == len(before)
    assert (lost, "ex01") in after
    # untouched lines are kept as they were
    assert path.read_text().splitlines()[: len(before) - 1] == before[:-1]


def test_another_seed_in_the_same_folder_is_refused(graded):
    subs, out = graded
    with pytest.raises(UsageError, match="another --seed"):
        batch.run_batch(["ex01"], subs, out, jobs=1, seed=8)


def test_gradescope_format(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(SOLUTION, subs / "alice.py")
    assert batch.run_batch(["ex01"], subs, tmp_path / "out", jobs=1, seed=3, fmt="gradescope") == 0
    data = json.loads((tmp_path / "out" / "gradescope" / "alice" / "results_ex01.json").read_text())
    assert data["score"] == FULL
    for t in data["tests"]:
        assert set(t) >= {"name", "score", "max_score", "status", "output", "visibility"}
    assert {t["visibility"] for t in data["tests"]} == {"visible", "after_published"}


def test_discover_entries(tmp_path):
    subs = tmp_path / "subs"
    (subs / "dora" / "deep" / "exercises").mkdir(parents=True)
    (subs / "dora" / "deep" / "exercises" / "ex02_padding_stride.py").write_text("")
    (subs / "emil_ex01.py").write_text("")
    (subs / "broken.zip").write_text("not a zip")
    tasks = Submission.discover(subs, ["ex01", "ex02"], tmp_path / "work")
    got = {(t.student, t.exercise): (t.source is not None, t.problem) for t in tasks}
    assert got[("dora", "ex02")][0] and not got[("dora", "ex01")][0]
    assert got[("emil", "ex01")][0] and ("emil", "ex02") not in got
    assert "cannot be unpacked" in got[("broken", "ex01")][1]


def test_notebook_notes_reach_results_and_feedback(tmp_path):
    """A notebook cell that does not parse is left out with a note (Submission.load): the batch's
    results.jsonl and the student's feedback page carry that note, as `grade` shows it."""
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(TESTS / "notebooks" / "broken_scratch_cell.ipynb", subs / "nora.ipynb")
    out = tmp_path / "out"
    assert batch.run_batch(["ex01"], subs, out, jobs=1, seed=3) == 0
    r = _results(out)["nora"]
    assert r["score"] == r["max_score"] == FULL
    assert any("cell 10 does not parse" in n for n in r["notes"]), r["notes"]
    assert "cell 10 does not parse" in (out / "feedback" / "nora.md").read_text()
    assert "cell 10 does not parse" in (out / "feedback" / "nora.html").read_text()


def test_workers_of_a_numpy_only_batch_start_their_child_servers_without_keras():
    """A batch of ex01 and ex02 only: no worker's child server imports Keras (a submission that imports it
    gets one that does); one exercise that needs Keras in the child, and every worker's server has it."""
    numpy_only = [Handin("alice", "ex01", "a.py"), Handin("bob", "ex02", "b.py")]
    assert batch._needs_keras(numpy_only) is False
    assert batch._needs_keras(numpy_only + [Handin("carol", "ex03", "c.py")]) is True
