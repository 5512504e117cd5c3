"""From an LMS's download to its gradebook without renaming a file (issue #28).

The downloads are built here exactly as each LMS documents them:

* Canvas, "How do I download all student submissions for an assignment?" (Canvas Instructor Guide,
  https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-download-all-student-submissions-for-an-assignment/ta-p/1001):
  one zip of flat files named ``{name}_{user id}_{submission id}_{file name}``, ``LATE_`` before the user id
  of late work, ``-1``, ``-2`` appended to a file uploaded again under the same name, ``..._text.html`` for a
  text entry.  Its gradebook export ("How do I export grades in the Gradebook?", same guide): ``Student``,
  ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, then a ``Points Possible`` row.
* Moodle, "Using Assignment", Download all submissions (https://docs.moodle.org/en/Using_Assignment): a folder
  ``{Full name}_{participant id}_assignsubmission_file_/`` per student (``_assignsubmission_onlinetext_/``
  beside it for online text, ``_assignfeedback_file_`` for feedback files); the offline grading worksheet
  (https://docs.moodle.org/en/Assignment_settings#Feedback_types): ``Identifier`` (``Participant 1012``),
  ``Full name``, ``Status``, ``Grade``, ``Maximum Grade``, ``Last modified (submission)``, ``Feedback comments``.
* GitHub Classroom, "Using GitHub Classroom with GitHub CLI"
  (https://docs.github.com/en/education/manage-coursework-with-github-classroom/teach-with-github-classroom/using-github-classroom-with-github-cli):
  ``gh classroom clone student-repos`` makes ``{assignment}-submissions/`` holding one clone
  ``{assignment}-{github username}/`` per student; its roster CSV has ``identifier``, ``github_username``.

Reading a download is in-process and fast; one session fixture grades each LMS's download once with
``grade batch`` (ex01 only: no Keras training) and the exports are run on its results.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from grader.core import i18n
from grader.core.errors import UsageError
from grader.front import batch, export, lateness, results
from grader.front.archive import unpack
from grader.front.layouts import BY_NAME, parse_canvas, parse_moodle, read_worksheet
from grader.front.submission import read_download

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
import report_browser  # noqa: E402

SOLUTION = ROOT / "solutions" / "ex01_conv_arithmetic.py"
WRONG = TESTS / "submissions" / "ex01" / "mutant_hardcoded.py"  # scores less than full marks
FULL = 13
GRADE = [sys.executable, "-c", "from grader.front.cli import main; main()"]


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


# ------------------------------------------------------------------ the downloads, as the LMSs name them
CANVAS_FILES = {  # file in the download -> what it holds
    "kimminji_48213_3311001_ex01_conv_arithmetic.py": SOLUTION,
    "kimminji_48299_3311009_ex01_conv_arithmetic.py": WRONG,  # another student of the same name
    "parkjisoo_LATE_48214_3311002_ex01_conv_arithmetic.py": SOLUTION,
    # three resubmissions: the original, then -1, -2, -3; the last counts
    "leesungho_48215_3311003_ex01_conv_arithmetic.py": SOLUTION,
    "leesungho_48215_3311004_ex01_conv_arithmetic-1.py": SOLUTION,
    "leesungho_48215_3311005_ex01_conv_arithmetic-2.py": SOLUTION,
    "leesungho_48215_3311006_ex01_conv_arithmetic-3.py": WRONG,
    "choiyuna_48216_text.html": None,  # a text entry
    "choiyuna_48216_3311007_report.pdf": None,
}
CANVAS_GRADEBOOK = """Student,ID,SIS User ID,SIS Login ID,Section,Homework 1 (1201)
    Points Possible,,,,,100.00
"Kim, Minji",48213,2025001,minji.kim,CNN 01,
"Kim, Minji",48299,2025099,minji.kim2,CNN 02,
"Park, Jisoo",48214,2025002,jisoo.park,CNN 01,
"Lee, Sungho",48215,2025003,sungho.lee,CNN 01,
"Choi, Yuna",48216,2025004,yuna.choi,CNN 02,
"Jung, Hana",48217,2025005,hana.jung,CNN 02,
"""


def canvas_folder(root: Path) -> Path:
    root.mkdir(parents=True)
    for name, source in CANVAS_FILES.items():
        if source is None:
            (root / name).write_text("<p>see attached</p>" if name.endswith(".html") else "%PDF-1.4")
        else:
            shutil.copy(source, root / name)
    return root


def zipped(folder: Path, target: Path, *, nfd: bool = False, macos: bool = False) -> Path:
    """The zip as the LMS's download gives it (``nfd``: the names decomposed, as a zip made on macOS)."""
    with zipfile.ZipFile(target, "w") as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                z.write(path, unicodedata.normalize("NFD", name) if nfd else name)
        if macos:
            z.writestr("__MACOSX/._" + next(folder.iterdir()).name, b"\0\5\26\7")
    return target


MOODLE_FOLDERS = {  # folder -> {file: what it holds}
    "김민지_1012_assignsubmission_file_": {"ex01_conv_arithmetic.py": SOLUTION},
    "김민지_1012_assignsubmission_onlinetext_": {"onlinetext.html": None},
    "박지수_1013_assignsubmission_file_": {"ex01_conv_arithmetic.py": WRONG, "notes.txt": None},
    # names with spaces; two students of the same name with different participant ids
    "Lee Sung Ho_1014_assignsubmission_file_": {"ex01_conv_arithmetic.py": WRONG,
                                                "ex01_conv_arithmetic-1.py": WRONG,
                                                "ex01_conv_arithmetic-2.py": WRONG,
                                                "ex01_conv_arithmetic-3.py": SOLUTION},
    "Lee Sung Ho_1015_assignsubmission_file_": {"hw1/exercises/ex01_conv_arithmetic.py": WRONG},
    "Lee Sung Ho_1014_assignfeedback_file_": {"comments.pdf": None},
}
MOODLE_WORKSHEET = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (submission),Last modified (grade),Feedback comments\r\n"
    "Participant 1012,김민지,minji@example.ac.kr,Submitted for grading,,100.00,Yes,"
    "\"Tuesday, 1 April 2025, 10:15 PM\",-,\r\n"
    "Participant 1013,박지수,jisoo@example.ac.kr,Submitted for grading,,100.00,Yes,"
    "\"Wednesday, 2 April 2025, 1:05 AM\",-,\r\n"
    "Participant 1014,Lee Sung Ho,sungho@example.ac.kr,Submitted for grading,,100.00,Yes,"
    "\"Tuesday, 1 April 2025, 9:00 PM\",-,\r\n"
    "Participant 1015,Lee Sung Ho,sungho2@example.ac.kr,Submitted for grading,,100.00,Yes,"
    "\"Tuesday, 1 April 2025, 11:00 AM\",-,\r\n"
    "Participant 1016,Han Yeji,yeji@example.ac.kr,No submission,,100.00,Yes,-,-,\r\n")


def moodle_folder(root: Path) -> Path:
    for folder, files in MOODLE_FOLDERS.items():
        for name, source in files.items():
            path = root / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if source is None:
                path.write_text("<p>text</p>" if name.endswith(".html") else "x")
            else:
                shutil.copy(source, path)
    return root


def git(repo: Path, *args: str, when: str = "2025-04-01T12:00:00+09:00") -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when, GIT_AUTHOR_NAME="student",
               GIT_AUTHOR_EMAIL="s@example.com", GIT_COMMITTER_NAME="student", GIT_COMMITTER_EMAIL="s@example.com",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


GH_REPOS = {"octocat": (SOLUTION, "2025-04-01T20:00:00+09:00"),  # on time
            "hubot": (SOLUTION, "2025-04-02T02:30:00+09:00"),  # 2 h 31 min late
            "Mona-Lisa": (WRONG, "2025-04-01T09:00:00+09:00")}
GH_ROSTER = ('"identifier","github_username","github_id","name"\n'
             '"2025101","octocat","583231","Octo Cat"\n"2025102","hubot","1234","Hu Bot"\n'
             '"2025103","mona-lisa","999","Mona Lisa"\n"2025104","","",""\n"2025105","ghost","77","Gone"\n')
DEADLINE = "2025-04-01T23:59+09:00"


def gh_clone(parent: Path) -> Path:
    root = parent / "conv-arithmetic-submissions"
    for user, (source, when) in GH_REPOS.items():
        repo = root / f"conv-arithmetic-{user}"
        (repo / "exercises").mkdir(parents=True)
        shutil.copy(source, repo / "exercises" / "ex01_conv_arithmetic.py")
        (repo / "README.md").write_text("# conv arithmetic\n")
        git(repo, "init", "-q")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", "hand in", when=when)
    return root


def _graded(download) -> dict:
    return {h.student: (h.name, h.graded, [f for f, _w in h.others], (h.late or {}).get("late"))
            for h in download.handins}


# ------------------------------------------------------------------ reading a download (in-process)
def test_canvas_names_are_read_as_canvas_writes_them():
    c = parse_canvas("parkjisoo_LATE_48214_3311002_ex01_conv_arithmetic.py")
    assert (c.name, c.user, c.late, c.file_id, c.file) == ("parkjisoo", "48214", True, 3311002,
                                                           "ex01_conv_arithmetic.py")
    c = parse_canvas("kimminji_48213_text.html")
    assert (c.user, c.kind, c.late) == ("48213", "text", False)
    c = parse_canvas("anon_7ab3_9911_ex01.py")  # anonymous grading
    assert (c.user, c.file) == ("anon_7ab3", "ex01.py")
    assert parse_canvas("alice.py") is None and parse_canvas("ex01_conv_arithmetic.py") is None
    assert parse_moodle("Lee Sung Ho_1014_assignsubmission_file_") == (
        "Lee Sung Ho", "1014", "assignsubmission_file", None)
    assert parse_moodle(unicodedata.normalize("NFD", "김민지_1012_assignsubmission_onlinetext_"))[:3] == (
        "김민지", "1012", "assignsubmission_onlinetext")


def test_canvas_folder_and_zip_are_read_alike(tmp_path):
    folder = canvas_folder(tmp_path / "submissions")
    archive = zipped(folder, tmp_path / "submissions.zip", macos=True)
    from_folder = read_download(folder, ["ex01"], tmp_path / "w1")
    from_zip = read_download(archive, ["ex01"], tmp_path / "w2")
    assert from_folder.layout == from_zip.layout == "canvas"
    graded = _graded(from_folder)
    assert graded == _graded(from_zip)
    assert graded == {
        "48213": ("kimminji", "kimminji_48213_3311001_ex01_conv_arithmetic.py", [], False),
        "48299": ("kimminji", "kimminji_48299_3311009_ex01_conv_arithmetic.py", [], False),
        "48214": ("parkjisoo", "parkjisoo_LATE_48214_3311002_ex01_conv_arithmetic.py", [], True),
        "48215": ("leesungho", "leesungho_48215_3311006_ex01_conv_arithmetic-3.py",
                  ["leesungho_48215_3311003_ex01_conv_arithmetic.py",
                   "leesungho_48215_3311004_ex01_conv_arithmetic-1.py",
                   "leesungho_48215_3311005_ex01_conv_arithmetic-2.py"], False)}
    assert Path(next(h for h in from_zip.handins if h.student == "48215").source).read_text() == WRONG.read_text()
    ignored = dict(from_folder.ignored)
    assert ignored["choiyuna_48216_text.html"] == "an online text entry, not graded"
    assert ignored["choiyuna_48216_3311007_report.pdf"] == "not a .py, .ipynb or .zip file"
    for earlier in graded["48215"][2]:
        assert ignored[earlier] == ("an earlier submission: leesungho_48215_3311006_ex01_conv_arithmetic-3.py "
                                    "was graded")
    assert dict(from_zip.ignored)[next(f for f, _w in from_zip.ignored if f.startswith("__MACOSX"))] == \
        "macOS metadata, no one's work"
    assert from_folder.refused == from_zip.refused == []
    for download, root in ((from_folder, folder), (from_zip, from_zip.root)):  # nothing silently dropped
        missing = [p for p in _every_file(root) if not _covered(p, _accounted(download))]
        assert not missing, missing


def _every_file(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _accounted(download) -> set[str]:
    """Every file of the download the reading graded, passed over or ignored (folders stand for their files)."""
    names = {f for f, _w in download.ignored} | {f for f, _w in download.refused}
    for h in download.handins:
        names.add(h.graded)
        names.update(f for f, _w in h.others)
    return names


def _covered(path: str, accounted: set[str]) -> bool:
    return any(path == a or path.startswith(a.rstrip("/") + "/") for a in accounted)


@pytest.mark.parametrize("nfd", [False, True], ids=["nfc", "nfd-macos"])
def test_moodle_download_in_nfc_and_nfd(tmp_path, nfd):
    archive = zipped(moodle_folder(tmp_path / "m"), tmp_path / "moodle.zip", nfd=nfd, macos=nfd)
    download = read_download(archive, ["ex01"], tmp_path / "work")
    assert download.layout == "moodle" and download.students == 4
    assert _graded(download) == {
        "1012": ("김민지", "김민지_1012_assignsubmission_file_/ex01_conv_arithmetic.py", [], None),
        "1013": ("박지수", "박지수_1013_assignsubmission_file_/ex01_conv_arithmetic.py", [], None),
        "1014": ("Lee Sung Ho", "Lee Sung Ho_1014_assignsubmission_file_/ex01_conv_arithmetic-3.py",
                 [f"Lee Sung Ho_1014_assignsubmission_file_/ex01_conv_arithmetic{n}.py" for n in ("", "-1", "-2")],
                 None),
        "1015": ("Lee Sung Ho", "Lee Sung Ho_1015_assignsubmission_file_/hw1/exercises/ex01_conv_arithmetic.py",
                 [], None)}
    assert all(unicodedata.is_normalized("NFC", h.name) for h in download.handins)
    ignored = dict(download.ignored)
    assert ignored["김민지_1012_assignsubmission_onlinetext_"] == "online text, not graded"
    assert ignored["Lee Sung Ho_1014_assignfeedback_file_"] == "feedback (assignfeedback_file), not a submission"
    assert ignored["박지수_1013_assignsubmission_file_/notes.txt"] == "not a .py, .ipynb or .zip file"
    unpacked = download.root
    missing = [p for p in _every_file(unpacked) if not _covered(p, _accounted(download))]
    assert not missing, missing  # nothing silently dropped


def test_gh_classroom_clone_with_a_deadline(tmp_path):
    root = gh_clone(tmp_path)
    (root / "notes.txt").write_text("the instructor's own notes")
    download = read_download(root, ["ex01"], tmp_path / "work", deadline=lateness.parse_deadline(DEADLINE))
    assert download.layout == "gh-classroom"
    assert _graded(download) == {
        "octocat": ("octocat", "conv-arithmetic-octocat/exercises/ex01_conv_arithmetic.py", [], False),
        "hubot": ("hubot", "conv-arithmetic-hubot/exercises/ex01_conv_arithmetic.py", [], True),
        "Mona-Lisa": ("Mona-Lisa", "conv-arithmetic-Mona-Lisa/exercises/ex01_conv_arithmetic.py", [], False)}
    hubot = next(h for h in download.handins if h.student == "hubot")
    assert hubot.late["by_seconds"] == 2 * 3600 + 31 * 60 and hubot.late["source"] == "git"
    assert "late by 2 h 31 min" in lateness.describe(hubot.late)
    assert dict(download.ignored) == {"notes.txt": "not a .py, .ipynb or .zip file"}


def test_layout_forced_and_unrecognised(tmp_path):
    folder = canvas_folder(tmp_path / "canvas")
    assert read_download(folder, ["ex01"], tmp_path / "w", BY_NAME["plain"]).layout == "plain"
    with pytest.raises(UsageError) as e:
        read_download(folder, ["ex01"], tmp_path / "w", BY_NAME["moodle"])
    assert "--layout moodle" in str(e.value) and "It looks like a canvas download" in str(e.value)
    odd = tmp_path / "odd"
    odd.mkdir()
    for n in ("week1.pdf", "week2.pdf", "slides.pptx"):
        (odd / n).write_text("x")
    with pytest.raises(UsageError) as e:
        read_download(odd, ["ex01"], tmp_path / "w")
    text = str(e.value)
    assert "cannot tell how" in text and "2 .pdf file(s), 1 .pptx file(s)" in text
    for name in ("canvas:", "moodle:", "gh-classroom:", "plain:"):  # the layouts it knows
        assert name in text
    sheet = tmp_path / "worksheet.csv"
    sheet.write_text(MOODLE_WORKSHEET, encoding="utf-8")
    with pytest.raises(UsageError, match="is a canvas download"):
        read_download(folder, ["ex01"], tmp_path / "w", worksheet=sheet)
    with pytest.raises(UsageError, match="not a date and time"):
        lateness.parse_deadline("next friday")
    with pytest.raises(UsageError, match="not a folder of submissions"):
        read_download(tmp_path / "nowhere.zip", ["ex01"], tmp_path / "w")


def test_zip_entries_outside_the_folder_are_refused_and_listed(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(SOLUTION, "kimminji_48213_3311001_ex01_conv_arithmetic.py")
        z.writestr("../escaped_48214_3311002_ex01.py", "print('outside')")
        z.writestr("/tmp/absolute_48215_3311003_ex01.py", "print('absolute')")
        link = zipfile.ZipInfo("linked_48216_3311004_ex01.py")
        link.external_attr = (0o120777 << 16)  # a symbolic link
        z.writestr(link, "/etc/passwd")
    download = read_download(archive, ["ex01"], tmp_path / "work")
    refused = dict(download.refused)
    assert refused == {
        "../escaped_48214_3311002_ex01.py": "a path through .. (it points outside the folder)",
        "/tmp/absolute_48215_3311003_ex01.py": "an absolute path (it points outside the folder)",
        "linked_48216_3311004_ex01.py": "a link (links in an archive are never made or followed)"}
    assert [h.student for h in download.handins] == ["48213"]
    assert not (tmp_path / "work" / "escaped_48214_3311002_ex01.py").exists()
    assert not list((tmp_path / "work" / "download").glob("linked*"))
    # a student's own archive: the same rules
    got = unpack(archive, tmp_path / "student")
    assert {n for n, _w in got.refused} == set(refused)


def test_a_link_in_a_download_folder_is_never_followed(tmp_path):
    folder = canvas_folder(tmp_path / "canvas")
    secret = tmp_path / "secret.py"
    secret.write_text("x = 1")
    os.symlink(secret, folder / "evil_48300_3311999_ex01_conv_arithmetic.py")
    download = read_download(folder, ["ex01"], tmp_path / "w")
    assert "48300" not in {h.student for h in download.handins}
    assert dict(download.refused) == {"evil_48300_3311999_ex01_conv_arithmetic.py":
                                      "a link (links in a download are never followed)"}


def test_what_was_not_graded_is_printed_at_80_columns(tmp_path):
    """The end of the summary: every file ignored or refused, with the reason, within 80 columns however long
    its name (the names fold)."""
    from rich.console import Console
    from grader.front.classreport import summary
    archive = tmp_path / "download.zip"
    long_name = "Lee Sung Ho_1014_assignsubmission_file_/" + "a_very_long_folder_name_" * 4 + "/notes.txt"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(SOLUTION, "Lee Sung Ho_1014_assignsubmission_file_/ex01_conv_arithmetic.py")
        z.writestr(long_name, "x")
        z.writestr("../Lee Sung Ho_1015_assignsubmission_file_/ex01.py", "x")
    download = read_download(archive, ["ex01"], tmp_path / "work")
    buf = io.StringIO()
    summary({}, Console(file=buf, width=80, force_terminal=False, color_system=None), [], download.to_dict())
    printed = buf.getvalue()
    assert max(len(line) for line in printed.splitlines()) <= 80
    assert "1 file(s) of the download not graded (moodle layout)" in printed
    assert "1 file(s) refused: never read" in printed
    cells = [line.split("│")[1:3] for line in printed.splitlines() if line.startswith("│")]
    files = "".join(c[0].strip() for c in cells).replace(" ", "")  # the column of files, its folds joined
    whys = "".join(c[1].strip() for c in cells).replace(" ", "")
    assert long_name.replace(" ", "") in files
    assert "../LeeSungHo_1015_assignsubmission_file_/ex01.py" in files
    assert "nota.py,.ipynbor.zipfile" in whys and "apaththrough..(itpointsoutsidethefolder)" in whys


def test_late_policy_only_when_asked_and_its_arithmetic():
    result = {"student": "s", "exercise": "ex01", "score": 12.0, "max_score": 13,
              "late": {"late": True, "source": "git", "by_seconds": 25 * 3600}}
    assert lateness.apply(result, None) is result  # raw scores by default
    flat = lateness.apply(result, lateness.parse_policy("10%"))
    assert (flat["score"], flat["raw_score"], flat["late"]["penalty"]) == (10.7, 12.0, 1.3)
    daily = lateness.apply(result, lateness.parse_policy("10%/day"))  # 25 h: two days begun
    assert daily["score"] == pytest.approx(12 - 2.6)
    on_time = {**result, "late": {"late": False, "source": "git"}}
    assert lateness.apply(on_time, lateness.parse_policy("50%")) == on_time
    canvas = {**result, "late": {"late": True, "source": "canvas"}}
    assert lateness.apply(canvas, lateness.parse_policy("5%/hour")) == canvas  # how late is not known
    for bad in ("10", "150%", "10%/week"):
        with pytest.raises(UsageError):
            lateness.parse_policy(bad)
    assert lateness.parse_policy("none") is None


def test_moodle_worksheet_times():
    when = lateness.parse_lms_time("Wednesday, 2 April 2025, 1:05 AM")
    assert (when.year, when.month, when.day, when.hour, when.minute) == (2025, 4, 2, 1, 5)
    assert lateness.parse_lms_time("-") is None and lateness.parse_lms_time("") is None


# ------------------------------------------------------------------ grade batch and grade export, end to end
@pytest.fixture(scope="session")  # built once per worker (conftest.py: SHARED_FIXTURES)
def lms_graded(tmp_path_factory):
    """Each LMS's download through `grade batch` once: Canvas as its zip, Moodle's zip with its worksheet and
    a deadline, a GitHub Classroom clone with a deadline and --late-policy 10%/day."""
    base = tmp_path_factory.mktemp("lms")
    out = {}
    canvas_zip = zipped(canvas_folder(base / "canvas"), base / "submissions.zip")
    moodle_zip = zipped(moodle_folder(base / "moodle"), base / "CNN-Homework 1-12345.zip", nfd=True)
    (base / "worksheet.csv").write_text(MOODLE_WORKSHEET, encoding="utf-8-sig", newline="")
    gh = gh_clone(base / "gh")
    runs = {"canvas": (canvas_zip, {}),
            "moodle": (moodle_zip, {"deadline": DEADLINE, "worksheet": base / "worksheet.csv"}),
            "gh-classroom": (gh, {"deadline": DEADLINE, "late_policy": "10%/day"})}
    from rich.console import Console
    for lms, (given, kwargs) in runs.items():
        buf = io.StringIO()
        console = Console(file=buf, width=80, force_terminal=False, color_system=None)
        assert batch.run_batch(["ex01"], given, base / lms / "out", jobs=1, seed=5, console=console,
                               **kwargs) == 0
        out[lms] = (base / lms / "out", buf.getvalue())
    out["base"] = base
    return out


def _lines(out: Path) -> dict[str, dict]:
    return {k[0]: v for k, v in results.read_results(out / "results.jsonl").items()}


def _export(capsys, *argv: str):
    """`grade export ...` in-process (it imports no Keras): its exit code is 0, and what it printed."""
    capsys.readouterr()
    assert export.cli_main(list(argv)) == 0
    return subprocess.CompletedProcess(argv, 0, capsys.readouterr().out, "")


def test_canvas_batch_keys_results_by_user_id(lms_graded):
    out, printed = lms_graded["canvas"]
    lines = _lines(out)
    assert {s: (r["name"], r["score"]) for s, r in lines.items()} == {
        "48213": ("kimminji", FULL), "48299": ("kimminji", lines["48299"]["score"]),
        "48214": ("parkjisoo", FULL), "48215": ("leesungho", lines["48215"]["score"])}
    assert lines["48299"]["score"] < FULL and lines["48215"]["score"] < FULL  # the wrong file, and the last one
    assert lines["48215"]["graded"] == "leesungho_48215_3311006_ex01_conv_arithmetic-3.py"
    assert len(lines["48215"]["others"]) == 3
    assert lines["48214"]["late"] == {"late": True, "source": "canvas"}
    assert lines["48214"]["score"] == FULL and "raw_score" not in lines["48214"]  # no penalty by default
    run = json.loads((out / "batch.json").read_text())
    assert run["download"]["layout"] == "canvas" and run["download"]["students"] == 4
    assert {r["file"] for r in run["download"]["ignored"]} >= {"choiyuna_48216_text.html",
                                                               "choiyuna_48216_3311007_report.pdf"}
    assert "submissions.zip: a canvas download, 4 student(s)" in printed
    assert "choiyuna_48216_text.html" in printed and "an online text entry, not graded" in printed
    assert "late: Canvas marked it LATE_" in printed


def test_summaries_fit_80_columns(lms_graded):
    for lms in ("canvas", "moodle", "gh-classroom"):
        _out, printed = lms_graded[lms]
        tables = [line for line in printed.splitlines() if line[:1] in "┏┃┡│└"]
        assert tables, lms
        assert max(len(line) for line in tables) <= 80, lms


def test_canvas_feedback_says_which_file_was_graded(lms_graded):
    out, _printed = lms_graded["canvas"]
    md = (out / "feedback" / "48215.md").read_text()
    assert md.startswith("# Feedback for leesungho (48215)")
    assert r"**graded:** leesungho\_48215\_3311006\_ex01\_conv\_arithmetic-3.py" in md
    assert md.count("**not graded:**") == 3
    assert r"- **late: Canvas marked it LATE\_**" in (out / "feedback" / "48214.md").read_text()
    assert "on time: Canvas did not mark it late" in md
    assert "late: Canvas marked it LATE_" in (out / "feedback" / "48214.html").read_text()


def test_canvas_export_lands_every_student_on_their_row(lms_graded, tmp_path):
    out, _printed = lms_graded["canvas"]
    (tmp_path / "gradebook.csv").write_text(CANVAS_GRADEBOOK, encoding="utf-8-sig")
    target = tmp_path / "import.csv"
    assert export.cli_main(["canvas", str(out), "--roster", str(tmp_path / "gradebook.csv"),
                            "--out", str(target)]) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    lines = _lines(out)
    assert rows[0]["Student"].strip() == "Points Possible" and rows[0]["ex01"] == "13"
    got = {r["ID"]: r["ex01"] for r in rows[1:]}
    assert got == {"48213": "13", "48299": f"{lines['48299']['score']:g}", "48214": "13",
                   "48215": f"{lines['48215']['score']:g}", "48216": "", "48217": ""}
    assert [r["SIS Login ID"] for r in rows[1:]][:2] == ["minji.kim", "minji.kim2"]


def test_canvas_export_says_what_it_matched(lms_graded, tmp_path):
    out, _printed = lms_graded["canvas"]
    roster = tmp_path / "gradebook.csv"
    roster.write_text("\n".join(CANVAS_GRADEBOOK.splitlines()[:4]) + "\n" + '"Jung, Hana",48217,,hana,CNN 02,\n')
    run = subprocess.run(GRADE + ["export", "canvas", str(out), "--roster", str(roster), "--out",
                                  str(tmp_path / "x.csv")], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "2 of 3 roster students matched on column ID" in run.stdout
    assert "2 graded student(s) not in the roster, left out of the file: 48214 (parkjisoo), 48215 (leesungho)" \
        in run.stdout
    assert "1 roster student(s) without a submission, given a blank: 48217" in run.stdout


def test_moodle_batch_and_worksheet_filled_in_place(lms_graded, tmp_path, capsys):
    out, printed = lms_graded["moodle"]
    lines = _lines(out)
    assert {s: r["name"] for s, r in lines.items()} == {"1012": "김민지", "1013": "박지수",
                                                       "1014": "Lee Sung Ho", "1015": "Lee Sung Ho"}
    assert lines["1014"]["score"] == FULL and lines["1013"]["score"] < FULL and lines["1015"]["score"] < FULL
    late = {s: (r["late"]["late"], r["late"].get("by_seconds")) for s, r in lines.items()}
    assert late == {"1012": (False, None), "1013": (True, 66 * 60), "1014": (False, None), "1015": (False, None)}
    assert all("raw_score" not in r for r in lines.values())
    assert "online text, not graded" in printed and "1 late submission(s)" in printed
    run = json.loads((out / "batch.json").read_text())
    assert run["download"]["layout"] == "moodle"

    sheet = lms_graded["base"] / "worksheet.csv"
    target = tmp_path / "filled.csv"
    run = _export(capsys, "moodle", str(out), "--roster", str(sheet), "--out", str(target))
    assert "4 of 5 roster students matched on column Identifier" in run.stdout
    assert "1 roster student(s) without a submission, given a blank: Participant 1016" in run.stdout
    before, after = sheet.read_bytes(), target.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\r\n" in after  # as Moodle wrote it
    old = list(csv.reader(io.StringIO(before.decode("utf-8-sig"), newline="")))
    new = list(csv.reader(io.StringIO(after.decode("utf-8-sig"), newline="")))
    header = old[0]
    assert new[0] == header and len(new) == len(old)
    grade, comments = header.index("Grade"), header.index("Feedback comments")
    for o, n in zip(old[1:], new[1:]):  # every cell as it was, but Grade and Feedback comments
        assert [c for i, c in enumerate(o) if i not in (grade, comments)] == \
            [c for i, c in enumerate(n) if i not in (grade, comments)]
    by_id = {r[0]: r for r in new[1:]}
    assert by_id["Participant 1014"][grade] == "100"  # 13 of 13, on Moodle's 100
    assert by_id["Participant 1013"][grade] == export.number(lines["1013"]["score"] / FULL * 100)
    assert by_id["Participant 1016"][grade] == ""
    assert "Every check passed" in by_id["Participant 1014"][comments]
    wrong = by_id["Participant 1013"][comments]
    assert "Not passed:" in wrong and "Hint:" in wrong and "<script" not in wrong
    assert any(c["name"] in wrong for c in lines["1013"]["checks"] if c["status"] != "PASS")
    # Moodle's own importer reads the number of "Participant 1012": a worksheet read back gives the same ids
    assert [read_worksheet(target).participant(r[0]) for r in new[1:]] == ["1012", "1013", "1014", "1015", "1016"]


def test_gh_classroom_batch_late_policy_and_export(lms_graded, tmp_path, capsys):
    out, printed = lms_graded["gh-classroom"]
    lines = _lines(out)
    assert set(lines) == {"octocat", "hubot", "Mona-Lisa"}
    hubot = lines["hubot"]
    assert hubot["raw_score"] == FULL and hubot["score"] == pytest.approx(FULL * 0.9)  # 10%/day, 1 day begun
    assert hubot["late"]["penalty"] == pytest.approx(1.3) and hubot["late"]["policy"] == "10%/day"
    assert lines["octocat"]["score"] == FULL and "raw_score" not in lines["octocat"]
    assert "late penalty: 1.3 point(s) (10%/day)" in (out / "feedback" / "hubot.md").read_text()
    assert "gh-classroom download, 3 student(s)" in printed
    with pytest.raises(UsageError, match="another --deadline or --late-policy"):
        batch.run_batch(["ex01"], lms_graded["base"] / "gh" / "conv-arithmetic-submissions", out, jobs=1, seed=5)

    roster = tmp_path / "classroom_roster.csv"
    roster.write_text(GH_ROSTER)
    target = tmp_path / "grades.csv"
    run = _export(capsys, "gh-classroom", str(out), "--roster", str(roster), "--out", str(target))
    assert "3 of 5 roster students matched on column github_username" in run.stdout
    assert "2 roster student(s) without a submission" in run.stdout and "ghost" in run.stdout
    rows = list(csv.DictReader(target.open()))
    got = {r["github_username"]: (r["roster_identifier"], r["ex01"], r["points_available"]) for r in rows}
    assert got["octocat"] == ("2025101", "13", "13")
    assert got["hubot"] == ("2025102", f"{FULL * 0.9:g}", "13")
    assert got["mona-lisa"] == ("2025103", f"{lines['Mona-Lisa']['score']:g}", "13")  # usernames ignore case
    assert got["ghost"][1] == ""


def test_report_shows_files_graded_lateness_and_files_not_graded(lms_graded):
    out, _printed = lms_graded["canvas"]
    path = out / "report.html"
    with report_browser.open_page(path, width=1280, height=1000) as page:
        text = page.text()
        assert page.requests == [path.resolve().as_uri()]
        handed = page.evaluate("[...document.querySelectorAll('table.handed tr[data-student]')]"
                               ".map(r => [r.dataset.student, r.cells[2].innerText, r.cells[3].innerText,"
                               " r.cells[4].innerText])")
        not_graded = page.evaluate("[...document.querySelectorAll('table.not-graded tr')].slice(1)"
                                   ".map(r => r.cells[0].innerText)")
        late_cells = page.evaluate("[...document.querySelectorAll('#students-table td.late')]"
                                   ".map(td => td.parentElement.cells[0].innerText)")
    rows = {r[0]: r[1:] for r in handed}
    assert rows["48215"][0] == "leesungho_48215_3311006_ex01_conv_arithmetic-3.py"
    assert rows["48215"][1].count("an earlier submission") == 3
    assert rows["48214"][2] == "late: Canvas marked it LATE_"
    assert set(not_graded) >= {"choiyuna_48216_text.html", "choiyuna_48216_3311007_report.pdf"}
    assert late_cells == ["parkjisoo 48214"]
    assert "Read as a canvas download" in text
    assert re.search(r"^download\tsubmissions\.zip, a canvas download, 4 student\(s\)$", text, re.M)


def test_batch_help_names_the_layouts_and_late_options(capsys):
    with pytest.raises(SystemExit):
        batch.cli_main(["--help"])
    text = capsys.readouterr().out
    for word in ("--layout {canvas,moodle,gh-classroom,plain}", "--deadline", "--late-policy", "--worksheet",
                 "Canvas", "Moodle", "gh classroom clone"):
        assert word in text, word
