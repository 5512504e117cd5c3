"""Class insight: mistake ids as data, `grade report` (checked in a real browser), `grade similar`
on disguised copies, and `grade export` against gradebook files written by hand."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from grader.front import classreport, feedback, report, similarity
from grader.judge import expect
from grader.core import i18n
from grader.core.errors import Fail
from grader.core.i18n import N_, _
from grader.core.outcome import CheckResult, gradescope_results

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(ROOT / "bench"))

import report_browser  # noqa: E402
import similarity_corpus as corpus  # noqa: E402
from report import make_results, write_results  # noqa: E402  (bench/report.py)

GRADE = [sys.executable, "-c", "from grader.front.cli import main; main()"]


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


# ------------------------------------------------------------------ mistake ids
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_named_mistake_carries_its_english_msgid_beside_the_translated_message(lang):
    i18n.set_language(lang)
    label = "n // stride rounds down; Keras 'same' gives ceil(n / stride)"
    assert i18n.catalogue("ko").get(label), "the label needs a Korean msgstr for this test to mean something"
    for mistakes in ({_(label): 3}, {N_(label): 3}):  # translated by the check, or translated by expect
        with pytest.raises(Fail) as e:
            expect.equal(3, 4, "conv_output_length(7, 3, stride=2, padding='same')", mistakes=mistakes)
        assert e.value.mistake == label
        assert e.value.message.endswith(_(label))
        if lang == "ko":
            assert label not in e.value.message
    with pytest.raises(Fail) as e:
        expect.equal(5, 4, "x", mistakes={_(label): 3})
    assert e.value.mistake is None, "no mistake matched: no id"
    with pytest.raises(Fail) as e:
        expect.close([1.0, 2.0], [1.0, 2.5], "y", mistakes={N_(label): [1.0, 2.0]})
    assert e.value.mistake == label


def test_mistake_field_in_json_gradescope_and_old_results_without_it():
    out = subprocess.run(GRADE + ["ex01", "--file", str(TESTS / "submissions/ex01/mutant_floor_same.py"),
                                  "--json", "--lang", "ko"], capture_output=True, text=True, cwd=ROOT)
    d = json.loads(out.stdout)
    same = next(c for c in d["checks"] if c["name"] == "length_same")
    assert same["status"] == "FAIL"
    assert same["mistake"] == "n // stride rounds down; Keras 'same' gives ceil(n / stride)"
    assert "내림" in same["message"]  # the message stays translated
    assert all("mistake" not in c for c in d["checks"] if c["status"] == "PASS")
    gs = gradescope_results({"exercise": "ex01", **d})
    test = next(t for t in gs["tests"] if t["name"] == "ex01 length_same")
    assert test["extra_data"] == {"mistake": same["mistake"]}
    old = {k: v for k, v in same.items() if k != "mistake"}
    assert CheckResult.from_dict(old).mistake is None
    assert CheckResult.from_dict(same).to_dict() == same


# ------------------------------------------------------------------ the report
@pytest.fixture(scope="session")  # built once per worker (conftest.py: SHARED_FIXTURES)
def class_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    lines = make_results(37, ["ex01", "ex02", "ex08"], seed=5)
    lines[0]["checks"][1]["message"] = "<script>alert(1)</script> broke"  # escaped, never run
    lines[0]["checks"][1]["status"] = "ERROR"
    write_results(out, lines)
    (out / "feedback").mkdir()
    return out, lines


def _expected(lines):
    per_ex = {}
    for d in lines:
        e = per_ex.setdefault(d["exercise"], {"students": 0, "checks": {}})
        e["students"] += 1
        for c in d["checks"]:
            k = e["checks"].setdefault(c["name"], {"passed": 0, "n": 0, "mistakes": Counter(), "unnamed": 0})
            k["n"] += 1
            k["passed"] += c["status"] == "PASS"
            if c["status"] == "FAIL":
                if c.get("mistake"):
                    k["mistakes"][c["mistake"]] += 1
                else:
                    k["unnamed"] += 1
    return per_ex


def _sections(text: str, ex_ids) -> dict[str, str]:
    """The rendered text of each exercise's section (from its heading to the next)."""
    heads = [(m.start(), m.group(1)) for m in re.finditer(r"^(ex\d\d) — ", text, re.M)]
    ends = [s for s, _ in heads[1:]] + [text.index("\nStudents\n")]
    return {ex: text[s:e] for (s, ex), e in zip(heads, ends)}


def _check_rows(section: str) -> dict[str, list[str]]:
    """check name -> the lines of its row (name, 'p / n', rate, mistakes...)."""
    rows, current = {}, None
    for line in section.splitlines():
        m = re.match(r"^(check_\d+)(?: \(hidden\))?\t(\d+) / (\d+)\t", line)
        if m:
            current = m.group(1)
            rows[current] = [line]
        elif current:
            rows[current].append(line)
    return rows


def test_report_renders_in_a_browser_with_the_numbers_of_results_jsonl(class_results, tmp_path):
    out, lines = class_results
    path = classreport.write_report(out)
    with report_browser.open_page(path, width=1280, height=1000) as page:
        text = page.text()
        shot = page.screenshot(tmp_path / "report.png", full_page=False)
        assert page.requests == [path.resolve().as_uri()], "the report must not load anything else"
        assert page.evaluate("document.querySelectorAll('svg').length") == 3  # one histogram per exercise
        assert page.evaluate("window.__injected === undefined")
    assert shot.stat().st_size > 10_000
    print("screenshot:", shot)
    expected = _expected(lines)
    sections = _sections(text, expected)
    assert set(sections) == set(expected)
    assert f"{len({d['student'] for d in lines})} students, 3 exercise(s)" in text
    for ex, want in expected.items():
        sec = sections[ex]
        assert re.search(rf"^students\t{want['students']}$", sec, re.M), sec[:400]
        rows = _check_rows(sec)
        assert set(rows) == set(want["checks"])
        rates = []
        for name, k in want["checks"].items():
            row = rows[name]
            assert f"\t{k['passed']} / {k['n']}\t" in row[0]
            rates.append(k["passed"] / k["n"])
            for mistake, n in k["mistakes"].items():
                share = f"{100 * n / want['students']:.0f}%"
                students = "1 student" if n == 1 else f"{n} students"
                assert f"{mistake}: {students} ({share})" in row, (name, mistake, row)
            if k["unnamed"]:
                students = "1 student" if k["unnamed"] == 1 else f"{k['unnamed']} students"
                assert f"failed without a named mistake: {students}" in row
            else:
                assert not any("without a named mistake" in r for r in row)
        order = [name for name in rows]
        assert [want["checks"][n]["passed"] / want["checks"][n]["n"] for n in order] == sorted(rates), \
            "checks are listed worst first"
    assert "<script>alert(1)</script> broke" in text  # shown as text in the crash list
    assert "0123456789abcdef" in text  # the seed's fingerprint (batch.json), and the facts of the run
    for fact in ("isolation", "jobs", "wall time", "versions"):
        assert re.search(rf"^{fact}\t", text, re.M), fact


def test_report_is_one_self_contained_file(class_results):
    out, _lines = class_results
    html = classreport.write_report(out).read_text()
    assert not re.search(r"<(link|iframe|img|script)[^>]*(src|href)=", html)
    assert not re.search(r"@import|url\((?![\"']?#)|@font-face", html)  # url(#clip) is inside the SVG
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
    assert html.count("<script>") == 1 and "alert(1)</script> broke" not in html


def test_students_table_sorts_and_links_feedback(class_results):
    out, lines = class_results
    path = classreport.write_report(out)
    with report_browser.open_page(path) as page:
        first = "document.querySelector('#students-table tbody tr td').textContent"
        assert page.evaluate(first) == "student0000"
        page.evaluate("document.querySelectorAll('#students-table th')[4].click()")  # total: ascending
        totals = page.evaluate("[...document.querySelectorAll('#students-table tbody tr')]"
                               ".map(r => parseFloat(r.cells[4].textContent))")
        assert totals == sorted(totals) and len(totals) == 37
        page.evaluate("document.querySelectorAll('#students-table th')[4].click()")  # descending
        totals = page.evaluate("[...document.querySelectorAll('#students-table tbody tr')]"
                               ".map(r => parseFloat(r.cells[4].textContent))")
        assert totals == sorted(totals, reverse=True)
        href = page.evaluate("document.querySelector('#students-table a').getAttribute('href')")
        assert re.fullmatch(r"feedback/student\d{4}\.html", href)


def test_report_in_korean(class_results, capsys):
    out, _lines = class_results
    assert report.cli_main([str(out), "--lang", "ko"]) == 0
    html = (out / "report.html").read_text()
    assert 'lang="ko"' in html
    ko = i18n.catalogue("ko")
    for en in ("Class report", "Checks, worst first", "The run", "mean {value:.1f}"):
        assert ko[en].split("{")[0] in html
        assert en.split("{")[0] not in html
    n = "failed without a named mistake: {n} students"
    assert ko[n].split("{")[0] in html and n.split("{")[0] not in html
    assert "평균" in html.split("<svg")[1], "the histogram's legend is in Korean too"
    assert "report.html" in capsys.readouterr().out


def test_every_template_message_has_a_korean_translation():
    ko = i18n.catalogue("ko")
    found = []
    for path in sorted((ROOT / "grader" / "templates").glob("*.j2")):
        found += re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', path.read_text())
    assert len(found) > 30
    missing = [m for m in found if m not in ko]
    assert not missing, missing


def test_report_without_results_is_a_usage_error(tmp_path):
    from grader.core.errors import UsageError
    with pytest.raises(UsageError):
        report.cli_main([str(tmp_path)])


def test_feedback_pages_from_markdown_escape_html():
    md = feedback.feedback_markdown("eve", [{"exercise": "ex01", "score": 1, "max_score": 2, "checks": [
        {"name": "a", "status": "FAIL", "points": 0, "max_points": 1, "hidden": False,
         "message": "<img src=x onerror=alert(1)> returned [1](javascript:x) | 2 * 3 * 4", "hint": "h"},
        {"name": "b", "status": "PASS", "points": 1, "max_points": 1, "hidden": False, "message": "ok",
         "hint": ""}]}])
    html = feedback.feedback_html(md, "Feedback for eve")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html.split("</style>")[1].replace("[1](javascript:x)", "")
    assert "[1](javascript:x) | 2 * 3 * 4" in html  # literal text, not a link, not emphasis, one cell
    assert html.count("<tr>") == 3 and "<th>check</th>" in html
    assert "<title>Feedback for eve</title>" in html


# ------------------------------------------------------------------ similarity
def _corpus_ex(ex: str, function: str, folder: Path) -> Path:
    rng = random.Random(7)
    ref = corpus.reference(ex)
    files = {"ref.py": ref, "renamed.py": corpus.rename(ref, rng), "reordered.py": corpus.reorder(ref, rng),
             "recommented.py": corpus.recomment(ref, rng), "notebook_copy.ipynb": corpus.as_notebook(ref)}
    for name, text in corpus.alternatives(ex).items():
        files[f"{name}.py"] = text
        files[f"{name}_copied_fn.py"] = corpus.transplant(text, corpus.rename(ref, rng), function)
    subs = folder / ex
    subs.mkdir(parents=True)
    for name, text in files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")  # every disguise still runs
        (subs / name).write_text(text)
    return subs


@pytest.mark.parametrize("ex,function", [("ex02", "conv2d_forward"), ("ex08", "lstm_cell_forward")])
def test_disguised_copies_are_flagged_and_independent_solutions_are_not(ex, function, tmp_path):
    subs = _corpus_ex(ex, function, tmp_path)
    pairs = similarity.run_similar(ex, subs, tmp_path / "out")
    flagged = {frozenset((p["a"], p["b"])) for p in pairs if p["flagged"]}
    alts = list(corpus.alternatives(ex))
    for copy in ("renamed", "reordered", "recommented", "notebook_copy", *[f"{a}_copied_fn" for a in alts]):
        assert frozenset(("ref", copy)) in flagged, (copy, pairs)
    for alt in alts:
        for other in ("ref", "renamed", "reordered", "recommented", "notebook_copy", *[a for a in alts if a != alt]):
            assert frozenset((alt, other)) not in flagged, (alt, other)
    out = json.loads((tmp_path / "out" / "pairs.json").read_text())
    assert out["submissions"] == 5 + 2 * len(alts)
    assert [p["similarity"] for p in out["pairs"]] == sorted((p["similarity"] for p in out["pairs"]), reverse=True)
    view = (tmp_path / "out" / next(p["view"] for p in out["pairs"] if p["flagged"])).read_text()
    assert view.count("<mark>") >= 1


def test_stub_docstrings_and_given_code_never_count(tmp_path):
    stub = similarity.stub_text("ex08")  # signatures, docstrings and the given code of the LSTMCell class
    rng = random.Random(3)
    doc = '"""' + " ".join(rng.choice(corpus.WORDS) for _ in range(300)) + '"""\n'
    texts = {"stub_a": stub, "stub_b": stub,
             "doc_a": doc + "def f(x):\n    return [i * 2 for i in range(x)]\n",
             "doc_b": doc + "def g(y):\n    total = 0\n    while y:\n        total += y\n        y -= 1\n"
                            "    return total\n"}
    pairs, _fps = similarity.compare(texts, stub)
    assert not [p for p in pairs if p["flagged"]], pairs
    assert all(p["similarity"] < 0.3 for p in pairs)


def test_batch_similarity_becomes_a_report_section(tmp_path):
    subs = _corpus_ex("ex02", "conv2d_forward", tmp_path)
    results = {}
    for f in sorted(subs.iterdir()):
        results[(f.stem, "ex02")] = {"student": f.stem, "exercise": "ex02", "source": str(f), "score": 1,
                                     "max_score": 2, "checks": []}
    out = tmp_path / "results"
    written = similarity.similar_for_results(results, ["ex02"], out / "similarity")
    assert written == [out / "similarity" / "ex02" / "pairs.json"]
    html = classreport.write_report(out, results, {}).read_text()
    section = html.split('id="similarity"')[1]
    assert "renamed" in section and "similarity/ex02/pair-0001.html" in section
    assert (out / "similarity" / "ex02" / "pair-0001.html").is_file()


def test_similar_command_json_and_threshold(tmp_path):
    subs = _corpus_ex("ex02", "conv2d_forward", tmp_path)
    run = subprocess.run(GRADE + ["similar", "ex02", str(subs), "--out", str(tmp_path / "o"), "--json",
                                  "--threshold", "0.95"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    pairs = json.loads(run.stdout)
    assert pairs and all(set(p) == {"a", "b", "similarity", "flagged"} for p in pairs)
    assert all(p["flagged"] == (p["similarity"] >= 0.95) for p in pairs)
    assert all(0 <= p["similarity"] <= 1 for p in pairs)
    assert any(p["flagged"] for p in pairs) and not all(p["flagged"] for p in pairs)


# ------------------------------------------------------------------ exports
EXPORT_RESULTS = [("alice", "ex01", 13, 13), ("alice", "ex02", 4.5, 10), ("bob", "ex01", 7, 13),
                  ("zed", "ex01", 1, 13), ("zed", "ex02", 2, 10)]
ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section
    Points Possible,,,,
"Liddell, Alice",101,S101,alice,A
"Builder, Bob",102,S102,bob,A
"Carroll, Carol",103,S103,carol,B
"""
EXPECTED = {
    ("canvas", "blank"): """Student,ID,SIS User ID,SIS Login ID,Section,ex01,ex02
    Points Possible,,,,,13,10
"Liddell, Alice",101,S101,alice,A,13,4.5
"Builder, Bob",102,S102,bob,A,7,
"Carroll, Carol",103,S103,carol,B,,
""",
    ("moodle", "zero"): """SIS Login ID,ex01,ex02
alice,13,4.5
bob,7,0
carol,0,0
""",
    ("csv", "blank"): """student,ex01,ex02,total,max_total
alice,13,4.5,17.5,23
bob,7,,7,23
carol,,,,23
""",
    ("csv", "zero"): """student,ex01,ex02,total,max_total
alice,13,4.5,17.5,23
bob,7,0,7,23
carol,0,0,0,23
""",
}


@pytest.fixture
def export_dir(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    with open(out / "results.jsonl", "w") as f:
        for s, e, score, mx in EXPORT_RESULTS:
            f.write(json.dumps({"student": s, "exercise": e, "score": score, "max_score": mx, "checks": []}) + "\n")
    (tmp_path / "roster.csv").write_text(ROSTER)
    return tmp_path


@pytest.mark.parametrize("kind,missing", list(EXPECTED))
def test_export_matches_the_file_written_by_hand(kind, missing, export_dir):
    target = export_dir / f"{kind}.csv"
    run = subprocess.run(GRADE + ["export", kind, str(export_dir / "results"), "--roster",
                                  str(export_dir / "roster.csv"), "--out", str(target), "--missing", missing],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert target.read_text() == EXPECTED[(kind, missing)]
    assert "2 of 3 roster students matched on column SIS Login ID" in run.stdout
    assert "1 graded student(s) not in the roster, left out of the file: zed" in run.stdout
    assert "1 roster student(s) without a submission" in run.stdout and "carol" in run.stdout


def test_export_roster_problems_are_usage_errors(export_dir):
    (export_dir / "bad.csv").write_text("name,section\nAlice,A\n")
    run = subprocess.run(GRADE + ["export", "csv", str(export_dir / "results"), "--roster",
                                  str(export_dir / "bad.csv"), "--out", str(export_dir / "x.csv")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and "--match" in run.stderr
    run = subprocess.run(GRADE + ["export", "csv", str(export_dir / "results"), "--roster",
                                  str(export_dir / "bad.csv"), "--match", "name", "--out",
                                  str(export_dir / "x.csv"), "--lang", "ko"], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 0
    assert "bob, zed" in run.stdout  # Alice matches alice (ids compare without case); the others are listed
    assert (export_dir / "x.csv").read_text() == "student,ex01,ex02,total,max_total\nAlice,13,4.5,17.5,23\n"


@pytest.mark.parametrize("command", ["report", "similar", "export"])
def test_help_in_korean(command):
    run = subprocess.run(GRADE + [command, "--help", "--lang", "ko"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0
    assert re.search(r"[가-힣]", run.stdout), run.stdout
    assert "examples" not in run.stdout
