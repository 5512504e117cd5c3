"""The learning trail (issue #30; grader/front/trail.py, grader/front/history.py): every `grade exNN` (in its
own process or through the warm grader), every run under --watch and every check() appends one line to the
course folder's .grade/history.jsonl -- never the code -- and `grade history` shows the student's own trail.
Everything runs in this process: the CLI's `run`, the notebook's check() over a fake shell."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from grader.core.outcome import CheckResult, Report, Status
from grader.front import cli, trail

ROOT = Path(__file__).resolve().parent.parent
MUTANT = ROOT / "tests" / "submissions" / "ex01" / "mutant_forgot_bias.py"
MODULE = "ex01_conv_arithmetic"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A student's course folder with ex01 handed in as the forgot-the-bias mutant; history recording on (the
    suite turns it off everywhere else: tests/conftest.py)."""
    (tmp_path / "exercises").mkdir()
    shutil.copy(MUTANT, tmp_path / "exercises" / f"{MODULE}.py")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(trail.ENV, raising=False)
    return tmp_path


def _lines(folder: Path) -> list[dict]:
    path = folder / ".grade" / "history.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _report(statuses: dict[str, tuple[str, str | None]], exercise: str = "ex01") -> Report:
    return Report(exercise, "t", [CheckResult(n, Status(s), 1.0 if s == "PASS" else 0.0, 1.0, "msg", "hint",
                                              mistake=m) for n, (s, m) in statuses.items()],
                  versions={"grader": "0.1.0"})


# ------------------------------------------------------------------ part 1: record
def test_a_grade_appends_one_line_with_each_check_and_never_the_code(course, capsys):
    code = cli.run(["ex01", "--json"])
    out, err = capsys.readouterr()
    report = json.loads(out)  # the notice never breaks the JSON on stdout: it goes to stderr
    assert code == 1
    lines = _lines(course)
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == {"v", "time", "exercise", "grader", "seconds", "via", "checks"}
    assert line["exercise"] == "ex01" and line["via"] == "grade" and line["grader"] == report["versions"]["grader"]
    assert 0 < line["seconds"] < 600
    assert [(c["name"], c["status"], c.get("mistake")) for c in line["checks"]] == \
        [(c["name"], c["status"], c.get("mistake")) for c in report["checks"]]
    assert {"name": "conv_params", "status": "FAIL", "mistake": "forgot the bias (one per filter)"} in line["checks"]
    assert trail.valid(line) is not None
    text = (course / ".grade" / "history.jsonl").read_text(encoding="utf-8")
    assert "kh * kw * in_channels" not in text and "def " not in text and "hint" not in text
    assert str(course / ".grade" / "history.jsonl") in err and "never your code" in err and "grade history off" in err

    code = cli.run(["ex01"])  # the table this time; a second line, and no notice
    out = capsys.readouterr().out
    assert code == 1 and len(_lines(course)) == 2 and "never your code" not in out


def test_off_stops_the_recording_and_on_starts_it_again(course, capsys):
    from grader.front import history
    assert cli.run(["history", "off"]) == 0
    assert json.loads((course / ".grade" / "settings.json").read_text()) == {"history": "off"}
    assert "History is off" in capsys.readouterr().out
    assert trail.record(_report({"a": ("PASS", None)}), 1.0, via="grade").status == "off"
    assert _lines(course) == []
    assert cli.run(["history", "on"]) == 0
    assert "History is on" in capsys.readouterr().out
    assert trail.record(_report({"a": ("PASS", None)}), 1.0, via="grade").status == "written"
    assert len(_lines(course)) == 1
    assert history.COMMAND.name == "history"


def test_grade_history_0_in_the_environment_turns_it_off(course, monkeypatch):
    monkeypatch.setenv(trail.ENV, "0")
    assert trail.record(_report({"a": ("PASS", None)}), 1.0, via="grade").status == "off"
    assert not (course / ".grade").exists()


def test_the_history_is_found_from_a_subfolder_of_the_course(course, monkeypatch):
    (course / "notebooks").mkdir()
    monkeypatch.chdir(course / "notebooks")
    assert trail.course_folder() == course.resolve()
    trail.record(_report({"a": ("PASS", None)}), 1.0, via="check")
    assert len(_lines(course)) == 1 and not (course / "notebooks" / ".grade").exists()


def test_a_history_that_cannot_be_written_never_fails_the_grade(course, capsys):
    (course / ".grade").write_text("a file where the folder should be")
    said = []
    result = trail.record(_report({"a": ("FAIL", "m")}), 1.0, via="grade", say=said.append)
    assert result.status == "failed" and len(said) == 1 and "the grade is not affected" in said[0]
    code = cli.run(["ex01"])  # the grade itself: its verdict and exit status as without a history
    out = capsys.readouterr().out
    assert code == 1 and "forgot the bias" in out and "history not written" in out


def test_a_full_history_is_not_written_past_its_cap(course, monkeypatch):
    monkeypatch.setattr(trail, "MAX_BYTES", 2000)
    said = []
    while trail.record(_report({"a": ("FAIL", "m")}), 1.0, via="grade", say=said.append).status == "written":
        pass
    size = (course / ".grade" / "history.jsonl").stat().st_size
    assert 1500 < size <= 2000 and "has reached" in said[-1]


def test_the_warm_grader_s_grades_are_recorded(course, monkeypatch, capsys):
    """`grade exNN` answered by the warm grader's server: the client records the report it got."""
    from grader.front import warm
    report = _report({"conv_params": ("FAIL", "forgot the bias"), "dense_params": ("PASS", None)})

    class Run:
        title, n = "t", 2

        def report(self, on_check=None):
            for c in report.checks:
                on_check and on_check(c)
            return report
    monkeypatch.setattr(warm, "enabled", lambda *a, **k: True)
    monkeypatch.setattr(warm, "open_run", lambda request, **kw: Run())
    assert cli.run(["ex01"]) == 1
    lines = _lines(course)
    assert len(lines) == 1 and lines[0]["via"] == "grade"
    assert lines[0]["checks"] == [{"name": "conv_params", "status": "FAIL", "mistake": "forgot the bias"},
                                  {"name": "dense_params", "status": "PASS"}]


def test_each_run_under_watch_is_recorded(course, monkeypatch, capsys):
    from grader.front import watch
    report = _report({"conv_params": ("FAIL", "forgot the bias")})

    def fake_watch(path, grade, show, say, rearm):
        show(None, report, 1.25)
        show(report, _report({"conv_params": ("PASS", None)}), 0.75)
        return 0
    monkeypatch.setattr(watch, "watch", fake_watch)
    assert cli.run(["ex01", "--watch"]) == 0
    lines = _lines(course)
    assert [(l["via"], l["seconds"], l["checks"][0]["status"]) for l in lines] == [("watch", 1.25, "FAIL"),
                                                                                   ("watch", 0.75, "PASS")]


def test_a_reference_graded_with_solution_is_not_the_student_s_trail(course, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_grade_warm", lambda *a, **k: (None, False))
    report = _report({"a": ("PASS", None)})
    monkeypatch.setattr(cli, "_file_grader", lambda path: lambda ex, source, **kw: report)
    assert cli.run(["ex01", "--solution", "--json"]) == 0
    assert _lines(course) == []
    assert cli.run(["ex01", "--json"]) == 0
    assert len(_lines(course)) == 1


def test_check_in_a_notebook_is_recorded_in_the_kernel_s_folder(course, monkeypatch, capsys, grade):
    import grader.front.notebook as nbmod

    class Shell:
        user_ns = {"In": ["", "from grader.notebook import check", (MUTANT.read_text()),
                          "check('ex01', 'conv_param_count')"]}
        history_manager = None
    monkeypatch.setattr(nbmod, "_ipython", lambda: Shell())
    nbmod.check("ex01", "conv_param_count")
    out = capsys.readouterr().out
    lines = _lines(course)
    assert len(lines) == 1 and lines[0]["via"] == "check"
    assert {"name": "conv_params", "status": "FAIL", "mistake": "forgot the bias (one per filter)"} in lines[0]["checks"]
    assert [c["name"] for c in lines[0]["checks"]] == [c.name for c in nbmod.LAST_REPORT.checks]
    assert "never your code" in out
    nbmod.check("ex01", "conv_param_count", quiet=True)
    assert len(_lines(course)) == 2 and capsys.readouterr().out == ""


def test_appending_a_line_costs_well_under_a_millisecond_or_so(course, capsys):
    """The cost a grade pays for its history: the setting read, the line made and appended (the commit that
    added it gives the number measured)."""
    report = _report({f"check_{i}": ("FAIL", "some named mistake") for i in range(12)})
    trail.record(report, 1.0, via="grade")
    n = 300
    start = time.perf_counter()
    for _ in range(n):
        trail.record(report, 1.0, via="grade")
    per = (time.perf_counter() - start) / n
    print(f"append: {per * 1e3:.3f} ms per grade")
    assert per < 0.02  # 20 ms: far above what it costs, far below what a student notices
    assert len(_lines(course)) == n + 1
