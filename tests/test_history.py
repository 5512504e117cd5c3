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


def test_an_instructor_s_grade_is_not_the_student_s_trail(course, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_grade_warm", lambda *a, **k: (None, False))
    monkeypatch.delenv("GRADE_SEED", raising=False)
    report = _report({"a": ("PASS", None)})
    monkeypatch.setattr(cli, "_file_grader", lambda path: lambda ex, source, **kw: report)
    for argv in (["--json", "--solution"], ["--json", "--hidden"], ["--json", "--seed", "7"],
                 ["--format", "gradescope"]):
        assert cli.run(["ex01", *argv]) == 0, argv
        assert _lines(course) == [], argv
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


# ------------------------------------------------------------------ part 2: show
BIAS = "forgot the bias (one per filter)"
FLOOR = "n // stride rounds down"


def _line(time: str, checks: list[tuple[str, str, str | None]], exercise: str = "ex01", grader: str = "0.1.0",
          via: str = "grade") -> str:
    return json.dumps({"v": 1, "time": time, "exercise": exercise, "grader": grader, "seconds": 1.5, "via": via,
                       "checks": [{"name": n, "status": s, **({"mistake": m} if m else {})} for n, s, m in checks]})


TRAIL = [  # ex01: four attempts over 65 minutes; the bias fixed at the third, the floor back at the fourth
    _line("2026-03-02T12:00:00Z", [("conv_params", "FAIL", BIAS), ("length_same", "FAIL", FLOOR),
                                   ("dense_params", "PASS", None)]),
    _line("2026-03-02T12:10:00Z", [("conv_params", "FAIL", BIAS), ("length_same", "PASS", None),
                                   ("dense_params", "PASS", None)], via="watch"),
    _line("2026-03-02T12:25:00Z", [("conv_params", "PASS", None), ("length_same", "PASS", None),
                                   ("dense_params", "PASS", None)], via="check"),
    _line("2026-03-02T13:05:00Z", [("conv_params", "PASS", None), ("length_same", "FAIL", FLOOR),
                                   ("dense_params", "PASS", None)]),
    _line("2026-03-03T09:00:00Z", [("pad_same", "ERROR", None)], exercise="ex02"),
]


def _write(folder: Path, lines: list[str]) -> Path:
    path = folder / ".grade" / "history.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _recording(monkeypatch):
    monkeypatch.delenv(trail.ENV, raising=False)


def _render(path: Path, exercise: str | None, lang: str = "en") -> str:
    """`grade history [EX]` as an 80-column terminal shows it; every line fits."""
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from grader.core.i18n import set_language
    from grader.front import history
    console = Console(width=80, file=io.StringIO(), color_system=None, record=True)
    set_language(lang)
    try:
        assert history.show(path, exercise, console) == 0
    finally:
        set_language(None)
    text = console.export_text()
    assert max(cell_len(line) for line in text.splitlines()) <= 80, text
    return text


def test_the_trail_of_one_exercise_attempts_time_to_pass_and_mistakes(tmp_path):
    t = trail.trail(trail.read(_write(tmp_path, TRAIL)).entries, "ex01")
    assert t.attempts == 4 and t.passing == 2
    by = {c.name: c for c in t.checks}
    assert (by["conv_params"].passed_at, by["conv_params"].seconds_to_pass) == (3, 25 * 60)
    assert (by["length_same"].passed_at, by["length_same"].seconds_to_pass, by["length_same"].status) == \
        (2, 600, "FAIL")
    assert (by["dense_params"].passed_at, by["dense_params"].seconds_to_pass) == (1, 0)
    assert [(m.mistake, m.check, m.met, m.first, m.still) for m in t.mistakes] == [
        (BIAS, "conv_params", 2, 1, False), (FLOOR, "length_same", 2, 1, True)]


def test_grade_history_ex01_reads_well_at_80_columns(tmp_path):
    text = _render(_write(tmp_path, TRAIL), "ex01")
    assert "ex01: 4 attempt(s), 2026-03-02 " in text and " (1 h 5 min)\n2 of 3 checks pass now\n" in text
    rows = {line.split()[1]: line.split()[2:] for line in text.splitlines()
            if line.startswith("│") and line.split()[1] in ("conv_params", "length_same", "dense_params")}
    assert " ".join(rows["conv_params"]) == "│ 4 │ attempt 3 │ 25 min │ PASS │"
    assert " ".join(rows["length_same"]) == "│ 4 │ attempt 2 │ 10 min │ FAIL │"
    assert " ".join(rows["dense_params"]) == "│ 4 │ attempt 1 │ 0 s │ PASS │"
    mistakes = [[cell.strip() for cell in line.strip().strip("│").split("│")]
                for line in text[text.index("mistakes met along the way"):].splitlines() if line.startswith("│")]
    assert " ".join(" ".join(row[0] for row in mistakes).split()) == f"{BIAS} {FLOOR}"  # (a long one folds)
    assert [row[1:] for row in mistakes if row[1]] == [["conv_params", "2", "attempt 1", "fixed"],
                                                       ["length_same", "2", "attempt 1", "still there"]]
    assert "ex02" not in text


def test_grade_history_lists_every_exercise(tmp_path):
    text = _render(_write(tmp_path, TRAIL), None)
    row = next(line for line in text.splitlines() if "ex01" in line and line.startswith("│"))
    assert [cell.strip() for cell in row.strip("│").split("│")][:3] == ["ex01", "4", "2/3"]
    assert "2026-03-02" in row and "1 h 5 min" in row and row.rstrip().endswith("2 │")
    assert any("ex02" in line and "0/1" in line for line in text.splitlines())
    assert "grade history ex01" in text and "…" not in text  # no header or cell cut short


def test_grade_history_in_korean_fits_80_columns(tmp_path):
    for exercise in ("ex01", None):
        text = _render(_write(tmp_path, TRAIL), exercise, lang="ko")
        assert "시도" in text and "ex01" in text and "…" not in text


def test_grade_history_without_a_history_or_an_attempt_says_so(tmp_path):
    assert "No history yet" in _render(tmp_path / ".grade" / "history.jsonl", None)
    assert "No attempt of ex05 recorded" in _render(_write(tmp_path, TRAIL), "ex05")


def test_grade_history_through_the_cli(course, capsys):
    _write(course, TRAIL)
    assert cli.run(["history", "1"]) == 0  # a short id, as `grade 1` takes
    out = capsys.readouterr().out
    assert "ex01: 4 attempt(s)" in out and "attempt 3" in out
    assert cli.run(["history", "off"]) == 0 and cli.run(["history"]) == 0
    out = capsys.readouterr().out
    assert "ex02" in out and "Recording is off" in out
    with pytest.raises(SystemExit):
        cli.run(["history", "--help"])
    out = capsys.readouterr().out
    assert "never your code" in out and "off" in out and "--file" in out


# ------------------------------------------------------------------ part 5: a history is read safely
def _forged() -> list[bytes]:
    """Lines that must each be counted as bad and skipped."""
    good = json.loads(TRAIL[0])

    def but(**changes) -> bytes:
        return json.dumps({**good, **changes}).encode()
    return [
        b"not json at all", b"[1, 2, 3]", b'"a string"', b"{", b"\xff\xfe\x00garbage", b"\x00" * 50,
        b"{" + b"[" * 50_000,  # deep nesting: the parser's recursion limit
        but(v=2), but(time="yesterday"), but(time="2026-13-45T99:99:99Z"), but(exercise="../../etc/passwd"),
        but(grader=""), but(grader="x" * 200), but(seconds=-1), but(seconds=True), but(seconds="1.5"),
        b'{"v": 1, "time": "2026-03-02T12:00:00Z", "exercise": "ex01", "grader": "0.1.0", "seconds": NaN, '
        b'"via": "grade", "checks": []}',
        but(via="sneakernet"), but(checks="PASS"), but(checks=[["conv_params", "PASS"]]),
        but(checks=[{"name": "a", "status": "PASSED"}]), but(checks=[{"name": "", "status": "PASS"}]),
        but(checks=[{"name": "a", "status": "PASS"}, {"name": "a", "status": "FAIL"}]),
        but(checks=[{"name": "a", "status": "FAIL", "mistake": "m" * 1000}]),
        but(checks=[{"name": f"c{i}", "status": "PASS"} for i in range(trail.MAX_CHECKS + 1)]),
        but(checks=[{"name": "a", "status": "PASS", "mistake": 7}]),
        but(checks=[{"name": "pad", "status": "PASS", "mistake": "x" * (trail.MAX_LINE // 2)}] * 3),
    ]


def test_bad_lines_are_counted_and_skipped_and_the_good_ones_kept(tmp_path):
    forged = _forged()
    good = [t.encode() for t in TRAIL]
    mixed = [good[0], *forged[:10], good[1], *forged[10:], good[2], good[3], good[4]]
    path = tmp_path / "history.jsonl"
    path.write_bytes(b"\n".join(mixed) + b"\n\n")
    h = trail.read(path)
    assert h.bad == len(forged) and not h.truncated
    assert [e["time"] for e in h.entries] == [json.loads(t)["time"] for t in TRAIL]
    assert trail.trail(h.entries, "ex01").attempts == 4


def test_a_line_keeps_only_the_fields_of_the_schema(tmp_path):
    forged = {**json.loads(TRAIL[2]), "score": 100, "points": 99, "code": "def f(): ..."}
    forged["checks"] = [{**c, "points": 10} for c in forged["checks"]]
    line = trail.valid(forged)
    assert set(line) == {"v", "time", "exercise", "grader", "seconds", "via", "checks"}
    assert all(set(c) <= {"name", "status", "mistake"} for c in line["checks"])


def test_a_huge_history_is_read_up_to_its_cap(tmp_path, monkeypatch):
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(TRAIL * 40) + "\n", encoding="utf-8")  # 200 lines, some 30 KB
    monkeypatch.setattr(trail, "MAX_BYTES", 2_000)
    h = trail.read(path)
    assert h.truncated and 0 < len(h.entries) < 20 and h.bad == 0  # the line cut in two is not read
    monkeypatch.setattr(trail, "MAX_BYTES", 4_000_000)
    monkeypatch.setattr(trail, "MAX_LINES", 50)
    h = trail.read(path)
    assert h.truncated and len(h.entries) == 50


def test_a_hostile_history_costs_what_a_long_honest_one_does():
    start = time.perf_counter()
    for data in (b"x\n" * (trail.MAX_BYTES // 2), b"{}\n" * (trail.MAX_BYTES // 3),
                 (b"{" + b"y" * (trail.MAX_LINE - 2) + b"\n") * (trail.MAX_BYTES // trail.MAX_LINE),
                 b"\n" * trail.MAX_BYTES + b"y" * 100):
        h = trail.parse(data)
        assert h.entries == [] and (h.bad > 0 or h.truncated)
    assert time.perf_counter() - start < 5  # (some 0.4 s on a busy 2-core machine)


def test_a_foreign_history_is_read_safely_and_reported(tmp_path):
    lines = [*TRAIL, _line("2026-03-04T10:00:00Z", [("conv_params", "FAIL", BIAS)], grader="0.0.9"),
             _line("2026-03-04T11:00:00Z", [("conv_params", "PASS", None)], grader="9.9.9")]
    h = trail.parse(("\n".join(lines) + "\n").encode(), exercise="ex02")  # as read for an ex02 submission
    assert h.other_exercise == 6 and len(h.entries) == 1 and h.entries[0]["exercise"] == "ex02"
    assert h.summary() == {"attempts": 1, "bad_lines": 0, "truncated": False, "other_exercise": 6,
                           "versions": {"0.1.0": 1}}
    path = _write(tmp_path, [*lines, "{broken", "[]"])
    text = _render(path, "ex01")
    assert "ex01: 6 attempt(s)" in text
    assert "note: 2 line(s) of the history could not be read and were skipped" in text
    assert "2 attempt(s) were recorded by another grader version (0.0.9, 9.9.9)" in " ".join(text.split())


# ------------------------------------------------------------------ part 6: the README says exactly what is recorded
def test_the_readme_shows_exactly_the_line_that_is_recorded():
    import re
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Your learning trail.**"):]
    example = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    line = trail.entry(_report({"conv_params": ("FAIL", BIAS), "dense_params": ("PASS", None)}), 2.41, "grade")
    assert set(example) == set(line) and trail.valid(example) == {**example, "seconds": 2.41}
    assert [set(c) for c in example["checks"]] == [set(c) for c in line["checks"]]
    for words in (".grade/history.jsonl", "grade history off", "grade history on", "GRADE_HISTORY=0",
                  ".grade/settings.json", "Never your code"):
        assert words in section
    assert "| `grade history [EX\\|on\\|off]`" in readme.replace("| 4 | `history` ", "")
    assert "`grade submit ex01`" in section and "| 4 | `submit` |" in readme
    fields = readme[readme.index("### Result format"):]
    assert '"history": {' in fields and '"account": "student"' in fields


# ------------------------------------------------------------------ part 3: carried in a submission
def _zip_names(path: Path) -> list[str]:
    import zipfile
    with zipfile.ZipFile(path) as z:
        return sorted(z.namelist())


def test_grade_submit_writes_the_file_and_that_exercise_s_history(course, capsys):
    import zipfile
    _write(course, [*TRAIL, "{broken"])
    assert cli.run(["submit", "ex01"]) == 0
    out = capsys.readouterr().out
    path = course / f"{MODULE}.zip"
    assert _zip_names(path) == ["ex01_conv_arithmetic.py", "history.jsonl"]
    with zipfile.ZipFile(path) as z:
        assert z.read("ex01_conv_arithmetic.py") == MUTANT.read_bytes()
        lines = [json.loads(t) for t in z.read("history.jsonl").decode().splitlines()]
    assert [line["time"] for line in lines] == [json.loads(t)["time"] for t in TRAIL[:4]]  # ex01's, not ex02's
    assert all(trail.valid(line) == line for line in lines)
    assert "your history of ex01 (4 attempt(s))" in out and "1 line(s) of the history could not be read" in out

    assert cli.run(["submit", "ex01", "--no-history", "--out", str(course / "out" / "plain.zip")]) == 0
    assert _zip_names(course / "out" / "plain.zip") == ["ex01_conv_arithmetic.py"]
    (course / ".grade" / "history.jsonl").unlink()
    assert cli.run(["submit", "1"]) == 0
    assert _zip_names(path) == ["ex01_conv_arithmetic.py"] and "no history of ex01" in capsys.readouterr().out


def _download(tmp_path: Path) -> Path:
    """A plain download: alice's zip with her history (grade submit), bob's without, carol's with a corrupt
    history, dave's course folder handed in whole (.grade/history.jsonl in it), erin's bare file."""
    import zipfile
    from grader.front import submit
    sub = tmp_path / "download"
    sub.mkdir()
    history = _write(tmp_path / "alice-course", TRAIL) if (tmp_path / "alice-course").mkdir() is None else None
    submit.write("ex01", MUTANT, sub / "alice.zip", history)
    submit.write("ex01", MUTANT, sub / "bob.zip", None)
    with zipfile.ZipFile(sub / "carol.zip", "w") as z:
        z.write(MUTANT, f"{MODULE}.py")
        z.writestr("history.jsonl", b"\x00\xffnot a history\n" * 3 + TRAIL[0].encode() + b"\n[]\n")
    dave = sub / "dave"
    (dave / "exercises").mkdir(parents=True)
    shutil.copy(MUTANT, dave / "exercises" / f"{MODULE}.py")
    _write(dave, TRAIL)
    shutil.copy(MUTANT, sub / "erin.py")
    return sub


def test_grade_batch_finds_a_history_carried_in_a_submission(tmp_path):
    from grader.front.submission import read_download
    download = read_download(_download(tmp_path), ["ex01"], tmp_path / "work")
    found = {h.student: h.history for h in download.handins}
    assert set(found) == {"alice", "bob", "carol", "dave", "erin"}
    assert found["bob"] is None and found["erin"] is None
    assert found["alice"].endswith("alice/history.jsonl") and found["carol"].endswith("carol/history.jsonl")
    assert found["dave"].endswith("dave/.grade/history.jsonl")
    assert not any("history" in f for f, _why in download.ignored)


def test_a_carried_history_is_reported_and_never_changes_the_score(tmp_path, monkeypatch, grade):
    from grader.front import batch
    from grader.front.submission import read_download
    monkeypatch.setattr(batch, "_worker_ready", True)  # this process is the worker (grade: Keras is warm)
    handins = {h.student: h for h in read_download(_download(tmp_path), ["ex01"], tmp_path / "work").handins}
    lines = {s: json.loads(batch.grade_task(handins[s], 5, None, None)) for s in ("alice", "bob", "carol")}
    scored = [(c["name"], c["status"], c["points"]) for c in lines["bob"]["checks"]]
    for s in ("alice", "carol"):
        assert lines[s]["score"] == lines["bob"]["score"] and \
            [(c["name"], c["status"], c["points"]) for c in lines[s]["checks"]] == scored
    assert "history" not in lines["bob"]  # graded as today
    alice = lines["alice"]["history"]
    assert alice["account"] == "student" and alice["attempts"] == 4 and alice["bad_lines"] == 0
    assert alice["checks"]["conv_params"] == {"attempts": 4, "passed_at": 3, "seconds_to_pass": 1500.0,
                                              "status": "PASS"}
    assert {"mistake": FLOOR, "check": "length_same", "met": 2, "first": 1, "still": True} in alice["mistakes"]
    assert alice["other_exercise"] == 0  # grade submit put ex01's lines only
    carol = lines["carol"]["history"]
    assert carol["bad_lines"] == 4 and carol["attempts"] == 1 and carol["account"] == "student"


# ------------------------------------------------------------------ part 3: a notebook carries its own history
class _Displays:
    """IPython.display.display as a front end receives it: every bundle with its metadata, updates included."""

    def __init__(self):
        self.shown: list[dict] = []

    def __call__(self, bundle, raw=False, metadata=None, display_id=False):
        self.shown.append({"bundle": bundle, "metadata": metadata or {}})
        outer = self

        class Handle:
            def update(self, bundle, raw=False, metadata=None):
                outer.shown.append({"bundle": bundle, "metadata": metadata or {}})
        return Handle() if display_id else None


def _kernel(monkeypatch, displays: _Displays):
    """A Jupyter kernel's shell (it has a `kernel`) that has run the forgot-the-bias ex01."""
    import IPython.display

    import grader.front.notebook as nbmod

    class Shell:
        kernel = object()
        user_ns = {"In": ["", "from grader.notebook import check", MUTANT.read_text(), "check('ex01')"]}
        history_manager = None
    monkeypatch.setattr(nbmod, "_ipython", lambda: Shell())
    monkeypatch.setattr(IPython.display, "display", displays)
    monkeypatch.setattr(nbmod, "CHECKER", nbmod.Checker())
    return nbmod


def _saved_notebook(path: Path, outputs_metadata: list[dict]) -> Path:
    """The .ipynb a front end saves: the student's code cell, then one check() cell per output given."""
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(MUTANT.read_text()))
    for meta in outputs_metadata:
        cell = nbformat.v4.new_code_cell("check('ex01')")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "ex01: ..."}, metadata=meta)]
        nb.cells.append(cell)
    nbformat.write(nb, str(path))
    return path


def test_check_in_jupyter_puts_the_exercise_s_history_in_its_output_s_metadata(course, monkeypatch, grade):
    _write(course, TRAIL)  # four ex01 attempts and one of ex02 before this check()
    displays = _Displays()
    nbmod = _kernel(monkeypatch, displays)
    nbmod.CHECKER.check("ex01")
    carried = [d["metadata"]["keras_course_grader"] for d in displays.shown if d["metadata"]]
    assert len(carried) == 1, "the final table carries it; the progress lines carry nothing"
    lines = carried[0]["history"]
    assert len(lines) == 5 and all(line["exercise"] == "ex01" for line in lines)  # ex01's four, and this check()
    assert lines[-1]["via"] == "check" and lines[:4] == trail.read(course / ".grade" / "history.jsonl",
                                                                   exercise="ex01").entries[:4]
    assert carried[0]["exercise"] == "ex01"  # (beside the report, as before)
    text = json.dumps(lines)
    assert "def conv_param_count" not in text and "mutant" not in text  # never the code, never the file

    # saved by the front end, handed in as a bare notebook: grade batch's line carries it, marked as hers
    from grader.front import results
    from grader.front.submission import Handin
    nb = _saved_notebook(course / "ex01.ipynb", [{"keras_course_grader": {"history": lines[:2]}},
                                                 {"keras_course_grader": {"history": lines}}])
    report = _report({"conv_params": ("FAIL", BIAS), "length_same": ("PASS", None)})
    d = json.loads(results.line(Handin("alice", "ex01", str(nb), graded="ex01.ipynb"), report))
    h = d["history"]
    assert h["account"] == "student" and h["carried_in"] == "notebook"
    assert h["attempts"] == 5 and h["bad_lines"] == 0, "the longest list (the latest check()) is taken"
    assert h["checks"]["conv_params"]["passed_at"] == 3
    assert d["score"] == report.score and [c["status"] for c in d["checks"]] == ["FAIL", "PASS"]


def test_with_the_history_off_a_notebook_carries_none(course, monkeypatch, grade):
    trail.set_recording(False, course)
    displays = _Displays()
    nbmod = _kernel(monkeypatch, displays)
    nbmod.CHECKER.check("ex01")
    final = [d["metadata"]["keras_course_grader"] for d in displays.shown if d["metadata"]]
    assert len(final) == 1 and "history" not in final[0]
    assert not (course / ".grade" / "history.jsonl").exists()


def test_in_colab_check_says_once_how_to_hand_the_history_in(course, monkeypatch, capsys, grade):
    import sys
    import types
    displays = _Displays()
    nbmod = _kernel(monkeypatch, displays)
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    nbmod.CHECKER.check("ex01")
    nbmod.CHECKER.check("ex01")
    out = capsys.readouterr().out
    assert out.count("In Colab this notebook cannot carry your history") == 1
    assert str(course / ".grade" / "history.jsonl") in out and "history.jsonl in the same folder or .zip" in out
    assert all("history" not in d["metadata"].get("keras_course_grader", {}) for d in displays.shown)
    assert len(_lines(course)) == 2  # both recorded in the runtime's folder


def test_a_notebook_s_carried_history_is_read_safely(tmp_path):
    from grader.front import results
    from grader.front.submission import Handin
    good = [json.loads(t) for t in TRAIL]
    hostile = [*good[:2], "not a line", {"v": 1, "score": 100}, [1, 2], {"v": 1, **good[2], "points": 99}]
    nb = _saved_notebook(tmp_path / "a.ipynb", [{"keras_course_grader": {"history": hostile}},
                                               {"keras_course_grader": {"history": "everything passed"}},
                                               {"keras_course_grader": ["x"]}, {"other_tool": {"history": []}}])
    h = trail.notebook_history(nb, "ex01")
    assert (len(h.entries), h.bad) == (3, 3) and all("points" not in e for e in h.entries)
    report = _report({"conv_params": ("FAIL", BIAS)})
    plain = _saved_notebook(tmp_path / "b.ipynb", [{}])
    assert trail.notebook_history(plain, "ex01") is None
    assert "history" not in json.loads(results.line(Handin("bob", "ex01", str(plain)), report))  # as today
    broken = tmp_path / "c.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    assert trail.notebook_history(broken, "ex01") is None
    assert "history" not in json.loads(results.line(Handin("carol", "ex01", str(broken)), report))


# ------------------------------------------------------------------ part 4: the class report (done when: a simulated class)
def _p90(values):
    import math
    v = sorted(values)
    return v[math.ceil(0.9 * len(v)) - 1]


def _class(tmp_path: Path):
    """A simulated ex01 class of 31, each handing in what `grade batch` reads: 28 students who fix their
    mistakes (20 meet the missing bias and fix it at their 2nd or 3rd attempt; 12 meet the floor, 4 of whom
    still have it at the end; 3 hand in a notebook that carries its history), one who stays stuck (14
    attempts over 3 hours, the bias never fixed), one whose history is corrupt, one with no history.  Returns
    the results folder (results.jsonl made by results.line, the batch's own line, over reports made here) and
    the plan the figures are checked against."""
    import datetime as dt
    import random

    from grader.front import results
    from grader.front.submission import Handin
    rng = random.Random(30)
    out, sub = tmp_path / "results", tmp_path / "handed"
    out.mkdir()
    sub.mkdir()
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
    plan = {"conv_params": [], "length_same": [], "conv_seconds": [], "bias": [0, 0], "floor": [0, 0]}
    lines, finals = [], {}

    def history(student: str, attempts: list[dict], minutes: list[float]) -> list[str]:
        return [json.dumps({"v": 1, "time": trail.now_text(start + dt.timedelta(minutes=m)), "exercise": "ex01",
                            "grader": "0.1.0", "seconds": 1.2, "via": "grade",
                            "checks": [{"name": n, "status": s, **({"mistake": k} if k else {})}
                                       for n, (s, k) in a.items()]}) for a, m in zip(attempts, minutes)]

    def hand_in(student: str, text_lines: list[str] | None, final: dict, notebook: bool = False) -> None:
        folder = sub / student
        folder.mkdir()
        source = folder / (f"{MODULE}.ipynb" if notebook else f"{MODULE}.py")
        carried = None
        if notebook:
            _saved_notebook(source, [{"keras_course_grader": {"history": [json.loads(t) for t in text_lines]}}])
        else:
            shutil.copy(MUTANT, source)
            if text_lines is not None:
                carried = folder / "history.jsonl"
                carried.write_text("\n".join(text_lines) + "\n", encoding="utf-8")
        report = _report(final)
        finals[student] = report.score
        handin = Handin(student, "ex01", str(source), graded=source.name, history=str(carried) if carried else None)
        lines.append(results.line(handin, report))

    for i in range(28):
        bias_at = (2 + i % 2) if i < 20 else 1  # 20 meet the bias and fix it early
        floor = i % 7 < 3  # 12 meet the floor ...
        floor_at = None if (floor and i % 7 == 0) else (rng.randint(2, 5) if floor else 1)  # ... 4 keep it
        n = max(bias_at, floor_at or 5, rng.randint(3, 7))
        attempts = []
        for a in range(1, n + 1):
            attempts.append({"conv_params": ("PASS", None) if a >= bias_at else ("FAIL", BIAS),
                             "length_same": ("PASS", None) if floor_at and a >= floor_at else ("FAIL", FLOOR),
                             "dense_params": ("PASS", None)})
        minutes = [10.0 * a for a in range(n)]
        plan["conv_params"].append(bias_at)
        plan["conv_seconds"].append(60 * minutes[bias_at - 1])
        if floor_at:
            plan["length_same"].append(floor_at)
        plan["bias"][0] += bias_at > 1
        plan["floor"][0] += floor_at != 1
        plan["floor"][1] += floor_at is None
        hand_in(f"s{i:02d}", history(f"s{i:02d}", attempts, minutes), attempts[-1], notebook=i in (3, 10, 17))
    stuck = [{"conv_params": ("FAIL", BIAS), "length_same": ("PASS", None) if a > 1 else ("FAIL", FLOOR),
              "dense_params": ("PASS", None)} for a in range(1, 15)]
    hand_in("stuck", history("stuck", stuck, [15.0 * a for a in range(14)]), stuck[-1])
    plan["bias"][0] += 1
    plan["bias"][1] += 1
    plan["floor"][0] += 1
    plan["length_same"].append(2)
    hand_in("corrupt", ["\x00\xff garbage", "{\"v\": 1, \"score\": 10}", "[]", "{not json", "null"],
            {"conv_params": ("PASS", None), "length_same": ("PASS", None), "dense_params": ("PASS", None)})
    hand_in("nohistory", None, {"conv_params": ("FAIL", BIAS), "length_same": ("PASS", None),
                                "dense_params": ("PASS", None)})
    (out / "results.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out, plan, finals


def test_the_class_report_shows_how_a_simulated_class_got_there_in_a_browser(tmp_path):
    import re
    import sys

    from grader.core.i18n import set_language
    from grader.front import classreport
    sys.path.insert(0, str(ROOT / "tests"))
    import report_browser
    out, plan, finals = _class(tmp_path)
    set_language("en")
    try:
        path = classreport.write_report(out)
    finally:
        set_language(None)
    carried = {json.loads(t)["student"]: json.loads(t).get("history") for t in (out / "results.jsonl").open()}
    assert carried["nohistory"] is None and carried["corrupt"]["bad_lines"] == 5
    assert [s for s, h in carried.items() if h and h["carried_in"] == "notebook"] == ["s03", "s10", "s17"]
    with report_browser.open_page(path, width=1280, height=1000) as page:
        text = page.text()
        page.evaluate("document.getElementById('ex01-trail').scrollIntoView()")
        shot = page.screenshot(tmp_path / "trail.png", full_page=False)
        assert page.requests == [path.resolve().as_uri()], "the report must not load anything else"
        assert page.evaluate("document.querySelectorAll('#ex01 svg').length") == 2  # the histogram, the trail
        figure = page.evaluate("document.querySelector('.trail-figure svg').textContent")
        svg_box = page.evaluate("(() => { const r = document.querySelector('.trail-figure svg')"
                                ".getBoundingClientRect(); return [r.width, r.height]; })()")
        stuck_rows = page.evaluate("[...document.querySelectorAll('[data-stuck]')].map(r => r.dataset.stuck)")
    assert shot.stat().st_size > 10_000 and svg_box[0] > 300 and svg_box[1] > 100
    for words in ("every check", "conv_params", "length_same", "dense_params", "attempts to pass", "median",
                  "90th percentile"):
        assert words in figure, words
    section = text[text.index("How students got there: their own account"):text.index("\nStudents\n")]
    flat = " ".join(section.split())
    assert "From the histories that 30 of 31 students handed in with their work" in flat
    assert "their own account, never checked and never part of a score" in flat
    assert "5 history line(s) could not be read and were skipped (in 1 history file(s))." in flat
    assert "file(s)). 1 history(ies) held no attempt at this exercise." in flat  # the corrupt one

    def row(name: str, att: list, secs: list | None = None) -> str:
        import statistics
        med, p90 = statistics.median(att), _p90(att)
        cells = [name, f"{len(att)} / 29", f"{med:g}", f"{p90:g}"]
        if secs is not None:  # (each time beside its bar)
            cells += [" " + classreport.duration(statistics.median(secs)), " " + classreport.duration(_p90(secs))]
        return "\t".join(cells)
    assert row("conv_params", plan["conv_params"], plan["conv_seconds"]) in section
    assert "conv_params\t28 / 29\t2\t3\t 10 min\t 20 min" in section  # (the same, worked out by hand)
    assert row("length_same", plan["length_same"]) in section
    assert plan["conv_params"].count(1) == 8 and sorted(set(plan["conv_params"])) == [1, 2, 3]
    assert re.search(rf"^conv_params\t{re.escape(BIAS)}\t {plan['bias'][0]}\t {plan['bias'][1]}$", section, re.M)
    assert re.search(rf"^length_same\t{re.escape(FLOOR)}\t {plan['floor'][0]}\t {plan['floor'][1]}$", section,
                     re.M), section
    assert (plan["bias"], plan["floor"]) == ([21, 1], [13, 4])
    assert stuck_rows == ["stuck"], "the one who stays stuck, and nobody who fixed it"
    assert re.search(r"^stuck\t14\t12\t3\.0 h\t2 / 3\t", section, re.M), section  # passed length_same at 2 of 14; 180 of 195 min
    assert "At least 10 attempts, not every check passing at the latest" in flat
    # the figures the plots are drawn from, beside the report; the scores are the reports' own
    figures = json.loads((out / classreport.TRAIL_FIGURES).read_text())["exercises"]["ex01"]
    conv = next(c for c in figures["checks"] if c["name"] == "conv_params")
    assert (conv["passed"], conv["attempts_p90"]) == (28, _p90(plan["conv_params"]))
    assert [s["student"] for s in figures["stuck"]] == ["stuck"] and figures["bad_lines"] == 5
    students = text[text.index("\nStudents\n"):]
    for s, score in finals.items():
        assert re.search(rf"^{s}\t{score:g}\t", students, re.M), s


def test_the_class_report_s_trail_in_korean_and_without_any_history(tmp_path):
    from grader.core import i18n
    from grader.front import classreport
    out, _plan, _finals = _class(tmp_path)
    i18n.set_language("ko")
    try:
        html = classreport.write_report(out).read_text(encoding="utf-8")
    finally:
        i18n.set_language(None)
    ko = i18n.catalogue("ko")
    for en in ("How students got there: their own account", "Students who look stuck", "attempts to pass"):
        assert ko[en] in html and en not in html
    lines = [json.loads(t) for t in (out / "results.jsonl").open()]
    (out / "results.jsonl").write_text("".join(json.dumps({k: v for k, v in d.items() if k != "history"}) + "\n"
                                               for d in lines), encoding="utf-8")
    html = classreport.write_report(out).read_text(encoding="utf-8")
    assert "their own account" not in html and 'class="trail' not in html  # graded as today: no section
    assert not (out / classreport.TRAIL_FIGURES).exists()


def test_the_stuck_rule_at_its_edges():
    def field(attempts, passed_at, minutes_since, all_pass=False):
        span = 600 + 60 * minutes_since
        return {"attempts": attempts, "first": "2026-03-02T09:00:00Z",
                "last": trail.now_text(trail.parse_time("2026-03-02T09:00:00Z")
                                       + __import__("datetime").timedelta(seconds=span)),
                "checks": {"a": {"passed_at": passed_at, "seconds_to_pass": 600.0, "status": "PASS"},
                           "b": {"passed_at": None, "seconds_to_pass": None,
                                 "status": "PASS" if all_pass else "FAIL"}}}
    assert trail.looks_stuck(field(10, 2, 30))  # 8 attempts and 30 minutes without a new PASS
    assert trail.stretch(field(10, 2, 30)) == (8, 1800.0)
    assert not trail.looks_stuck(field(9, 1, 300))  # too few attempts
    assert not trail.looks_stuck(field(10, 3, 300))  # 7 attempts since the last new PASS
    assert not trail.looks_stuck(field(20, 2, 29))  # 29 minutes
    assert not trail.looks_stuck(field(20, 2, 300, all_pass=True))  # everything passes at the end
    assert not trail.looks_stuck({"attempts": 0, "bad_lines": 5})


def test_a_notebook_run_by_a_real_kernel_carries_its_history_to_grade_batch(course, monkeypatch, tmp_path):
    """End to end, as a front end does it: nbclient runs a notebook in a Jupyter kernel (check() imports Keras
    there: the kernel is what is tested) -- the forgot-the-bias ex01, check(), the reference, check() -- and
    the notebook it saves carries both attempts, which grade batch's line reads as the student's own account."""
    import nbformat
    from nbclient import NotebookClient

    from grader.front import results
    from grader.front.submission import Handin
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from grader.notebook import check"),
                nbformat.v4.new_code_cell(MUTANT.read_text()), nbformat.v4.new_code_cell('check("ex01")'),
                nbformat.v4.new_code_cell((ROOT / "solutions" / f"{MODULE}.py").read_text()),
                nbformat.v4.new_code_cell('check("ex01")')]
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(course)}}).execute()
    saved = course / f"{MODULE}.ipynb"
    nbformat.write(nb, str(saved))
    recorded = _lines(course)
    assert [line["via"] for line in recorded] == ["check", "check"]  # the kernel's folder is the course's
    carried = [o["metadata"]["keras_course_grader"]["history"] for c in nb.cells for o in c.get("outputs", [])
               if "history" in o.get("metadata", {}).get("keras_course_grader", {})]
    assert [len(h) for h in carried] == [1, 2] and carried[1] == recorded
    report = _report({"conv_params": ("PASS", None)})
    h = json.loads(results.line(Handin("alice", "ex01", str(saved)), report))["history"]
    assert (h["carried_in"], h["attempts"], h["bad_lines"]) == ("notebook", 2, 0)
    assert h["checks"]["conv_params"]["passed_at"] == 2
    assert {"mistake": BIAS, "check": "conv_params", "met": 1, "first": 1, "still": False} in h["mistakes"]


def test_grade_batch_s_summary_says_what_the_histories_are_at_80_columns(tmp_path):
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from grader.front import classreport
    from grader.front.results import read_results
    out, _plan, _finals = _class(tmp_path)
    console = Console(width=80, file=io.StringIO(), color_system=None, record=True)
    results = read_results(out / "results.jsonl")
    classreport.summary(results, console, [])
    text = console.export_text()
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    flat = " ".join(text.split())
    assert ("Learning trail: 30 submission(s) came with a history, the students' own account (never part of a "
            "score); 5 unreadable line(s) skipped; 1 look stuck.") in flat
    console = Console(width=80, file=io.StringIO(), color_system=None, record=True)
    classreport.summary({k: {f: v for f, v in r.items() if f != "history"} for k, r in results.items()}, console, [])
    assert "Learning trail" not in console.export_text()  # without histories: the summary of today


def test_a_notebook_carries_the_latest_lines_only_and_says_it_was_cut(course, monkeypatch, tmp_path, grade):
    monkeypatch.setattr(trail, "MAX_CARRIED", 3)
    _write(course, TRAIL)  # four ex01 lines; the check() makes five
    displays = _Displays()
    nbmod = _kernel(monkeypatch, displays)
    nbmod.CHECKER.check("ex01")
    meta = [d["metadata"]["keras_course_grader"] for d in displays.shown if d["metadata"]][0]
    assert len(meta["history"]) == 3 and meta["history_dropped"] == 2
    assert meta["history"][-1]["via"] == "check" and meta["history"][0]["time"] == json.loads(TRAIL[2])["time"]
    h = trail.notebook_history(_saved_notebook(tmp_path / "n.ipynb", [{"keras_course_grader": meta}]), "ex01")
    assert h.truncated and len(h.entries) == 3
    h = trail.notebook_history(_saved_notebook(tmp_path / "m.ipynb", [{"keras_course_grader": {
        **meta, "history_dropped": "many"}}]), "ex01")
    assert not h.truncated  # (a count that is not one is ignored)
