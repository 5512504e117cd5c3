"""Submission.load: the one way a .py, a notebook, a batch entry (folder or zip) or an answer file
becomes the text to grade, with its name and notes; Report.uniform: every check gets one status."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from grader import checks
from grader.core.outcome import Report, Status
from grader.front.submission import Submission

TESTS = Path(__file__).resolve().parent
NOTEBOOKS = TESTS / "notebooks"
SOLUTION = TESTS.parent / "solutions" / "ex01_conv_arithmetic.py"


def test_a_python_file_is_its_text():
    sub = Submission.load(SOLUTION)
    assert sub.text == SOLUTION.read_text(encoding="utf-8") and sub.name == SOLUTION.name and sub.notes == []


def test_a_notebook_is_the_module_its_code_defines_with_notes():
    sub = Submission.load(NOTEBOOKS / "broken_scratch_cell.ipynb")
    assert "def conv_output_length" in sub.text and sub.name == "broken_scratch_cell.ipynb"
    assert any("cell 10 does not parse" in n for n in sub.notes), sub.notes
    assert sub.extraction.defines("conv_output_length")


def test_an_unreadable_notebook_is_a_problem_not_an_exception():
    sub = Submission.load(NOTEBOOKS / "invalid_json.ipynb")
    assert sub.text is None and sub.status is Status.ERROR and "not JSON" in sub.problem
    report = sub.grade(checks.get("ex01"))  # no engine run: every public check ERROR with the reason
    assert {c.status for c in report.checks} == {Status.ERROR} and report.hidden_not_run > 0
    assert report.checks[0].message.startswith("the notebook cannot be read")


def test_batch_entries_folder_zip_and_nothing_found(tmp_path):
    ex = checks.get("ex01")
    folder = tmp_path / "bob" / "exercises"
    folder.mkdir(parents=True)
    shutil.copy(SOLUTION, folder / "ex01_conv_arithmetic.py")
    assert Submission.load(tmp_path / "bob", exercise=ex).text == SOLUTION.read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "carol.zip", "w") as z:
        z.write(SOLUTION, "hw/ex01_conv_arithmetic.py")
    sub = Submission.load(tmp_path / "carol.zip", exercise=ex, work=tmp_path / "work")
    assert sub.text == SOLUTION.read_text(encoding="utf-8") and sub.path.is_relative_to(tmp_path / "work")
    (tmp_path / "empty").mkdir()
    none = Submission.load(tmp_path / "empty", exercise=ex)
    assert none.text is None and none.status is Status.NOT_ATTEMPTED and "ex01_conv_arithmetic.py" in none.problem
    (tmp_path / "bad.zip").write_text("not a zip")
    assert "cannot be unpacked" in Submission.load(tmp_path / "bad.zip", exercise=ex).problem


def test_report_uniform_keeps_the_results_schema():
    ex = checks.get("ex01")
    r = Report.uniform(ex, Status.NOT_ATTEMPTED, "nothing", "Submit it.", notes=["n"]).to_dict()
    assert set(r) == {"exercise", "score", "max_score", "checks", "hidden_not_run", "versions", "notes"}
    assert r["score"] == 0 and r["max_score"] == ex.total_points and r["notes"] == ["n"]
    assert [c["name"] for c in r["checks"]] == [c.name for c in ex.checks]
    assert {c["status"] for c in r["checks"]} == {"NOT_ATTEMPTED"}
    public = Report.uniform(ex, Status.ERROR, "m", "h", hidden=False)
    assert public.hidden_not_run == sum(c.hidden for c in ex.checks) and not any(c.hidden for c in public.checks)


def test_an_answer_file_goes_through_it(tmp_path):
    from grader.front import quiz
    path = tmp_path / "quiz_q01_s1.json"
    path.write_text(json.dumps({"quiz": "q01", "student": "s1", "answers": {}}))
    assert Submission.load(path).text == path.read_text()
    assert quiz.read_answer_file(path)["student"] == "s1"


def test_one_discovery_for_batch_entries_and_load(tmp_path):
    """Submission.discover (grade batch, grade similar) and Submission.load of an entry find the same file."""
    from grader.front.submission import PLAIN, Submission as S
    subs = tmp_path / "subs"
    (subs / "bob" / "exercises").mkdir(parents=True)
    shutil.copy(SOLUTION, subs / "bob" / "exercises" / "ex01_conv_arithmetic.py")
    with zipfile.ZipFile(subs / "carol.zip", "w") as z:
        z.write(SOLUTION, "hw/ex01_conv_arithmetic.py")
    (subs / "_private.py").write_text("")
    (subs / "notes.txt").write_text("")
    found = S.discover(subs, ["ex01"], tmp_path / "work")
    assert [(h.student, h.name, Path(h.source).name) for h in found] == [
        ("bob", "bob", "ex01_conv_arithmetic.py"), ("carol", "carol", "ex01_conv_arithmetic.py")]
    ex = checks.get("ex01")
    for h in found:
        entry = subs / ("bob" if h.student == "bob" else "carol.zip")
        assert S.load(entry, exercise=ex, work=tmp_path / "work").text == S.load(h.source).text
    assert S.discover(subs, ["ex01"], tmp_path / "work", layout=PLAIN) == found


def test_a_layout_is_the_seam_for_an_lms_download(tmp_path):
    """Another layout (an LMS's download) says who is who: its entries carry the student's id and display name
    and the files it ignores; what is graded is then found as for any entry."""
    from grader.front.submission import Entry, Submission as S

    class FlatFiles:  # files named STUDENTID__Display_Name__FILE, as an LMS might name them
        name = "flat"

        def recognises(self, root):
            return any("__" in p.name for p in root.iterdir())

        def entries(self, root, ex_ids):
            for p in sorted(root.iterdir()):
                sid, display, _rest = p.name.split("__", 2)
                yield Entry(sid, display.replace("_", " "), [p] if p.suffix == ".py" else [],
                            ignored=[] if p.suffix == ".py" else [(p, "not a .py file")])
    root = tmp_path / "download"
    root.mkdir()
    shutil.copy(SOLUTION, root / "48213__Kim_Minji__ex01_conv_arithmetic.py")
    (root / "48214__Park_Jisoo__notes.txt").write_text("")
    found = S.discover(root, ["ex01"], tmp_path / "work", layout=FlatFiles())
    assert [(h.student, h.name, h.exercise) for h in found] == [("48213", "Kim Minji", "ex01")]
    assert S.load(found[0].source).text == SOLUTION.read_text(encoding="utf-8")
