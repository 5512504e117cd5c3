"""The class at a glance: ``report.html`` (one self-contained file, written by ``grade batch`` at the end of
every run and by ``grade report``) and the summary ``grade batch`` prints.

``report.html`` opens from ``file://`` with no network: no CDN, no external fonts, the charts are inline
SVG drawn by matplotlib and the one script (sorting the students table) is inline.  For each exercise: a
histogram of scores with mean and median, the outcomes of its checks, the pass rate of every check (worst
first) and, under each check, the named mistakes with counts and shares.  Then the students (sortable,
linking to ``feedback/STUDENT.html``), the ERROR / TIMEOUT / OUT_OF_MEMORY submissions with their messages,
similar submissions when ``grade similar`` (or ``grade batch --similarity``) ran, and the facts of the run
(date, versions, isolation, jobs, wall time, a fingerprint of the hidden seed -- never the seed).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from grader.core.i18n import _, get_language
from grader.front.pages import environment
from grader.front.results import RESULTS, read_results, read_run, safe_name

STATUSES = ("PASS", "FAIL", "ERROR", "TIMEOUT", "OUT_OF_MEMORY", "NOT_ATTEMPTED")
OF_CONCERN = ("ERROR", "TIMEOUT", "OUT_OF_MEMORY")


# ------------------------------------------------------------------ charts
def histogram_svg(scores: list[float], max_score: float, mean: float, median: float) -> str:
    """Inline SVG of the score histogram.  Text stays text in the SVG (svg.fonttype none): the browser
    draws it with the page's fonts, Hangul included; matplotlib only measures it."""
    import warnings

    import matplotlib
    import numpy as np
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global figure state
    top = max(max_score, max(scores, default=0), 1)
    n_bins = int(min(20, max(top, 1))) if float(top).is_integer() else 20
    edges = np.linspace(0, top, n_bins + 1)
    style = {"svg.fonttype": "none", "svg.hashsalt": "grade-report", "font.size": 9, "font.family": "sans-serif"}
    with warnings.catch_warnings(), matplotlib.rc_context(style):
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # measuring Hangul with DejaVu
        fig = Figure(figsize=(5.2, 2.4))
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.2, top=0.86)
        ax.hist(scores, bins=edges, color="#7aa6d6", edgecolor="white")
        ax.axvline(mean, color="#c0392b", linestyle="-", linewidth=1.5, label=_("mean {value:.1f}").format(value=mean))
        ax.axvline(median, color="#2c3e50", linestyle="--", linewidth=1.5,
                   label=_("median {value:g}").format(value=median))
        ax.set_xlim(0, top)
        ax.set_xlabel(_("score (out of {max:g})").format(max=max_score))
        ax.set_ylabel(_("students"))
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


# ------------------------------------------------------------------ the numbers
def exercise_summary(ex: str, rows: list[dict]) -> dict:
    """Everything the report shows about one exercise, from its results.jsonl lines."""
    n = len(rows)
    scores = [r["score"] for r in rows]
    max_score = max((r["max_score"] for r in rows), default=0)
    outcomes = Counter()
    per_check: dict[str, dict] = {}
    for r in rows:
        for c in r["checks"]:
            outcomes[c["status"]] += 1
            s = per_check.setdefault(c["name"], {"name": c["name"], "hidden": c.get("hidden", False), "n": 0,
                                                 "passed": 0, "statuses": Counter(), "mistakes": Counter(),
                                                 "unnamed": 0})
            s["n"] += 1
            s["statuses"][c["status"]] += 1
            if c["status"] == "PASS":
                s["passed"] += 1
            elif c["status"] == "FAIL":
                if c.get("mistake"):
                    s["mistakes"][c["mistake"]] += 1
                else:
                    s["unnamed"] += 1
    checks = []
    for s in per_check.values():
        s["rate"] = s["passed"] / s["n"] if s["n"] else 0.0
        s["failed"] = s["statuses"].get("FAIL", 0)
        s["other"] = s["n"] - s["passed"] - s["failed"]  # ERROR, TIMEOUT, OUT_OF_MEMORY, NOT_ATTEMPTED
        s["mistakes"] = [{"id": m, "label": _(m), "count": k, "share": k / n if n else 0.0}
                         for m, k in sorted(s["mistakes"].items(), key=lambda kv: (-kv[1], kv[0]))]
        s["statuses"] = dict(s["statuses"])
        checks.append(s)
    checks.sort(key=lambda s: (s["rate"], s["name"]))
    mean = statistics.fmean(scores) if scores else 0.0
    median = statistics.median(scores) if scores else 0.0
    title = next((r.get("title") for r in rows if r.get("title")), "")
    title = _(title) if title else ""  # a title stored in English is translated here
    return {"id": ex, "title": title, "students": n, "max_score": max_score, "mean": mean, "median": median,
            "full_marks": sum(1 for r in rows if r["max_score"] and r["score"] >= r["max_score"]),
            "outcomes": [(s, outcomes.get(s, 0)) for s in STATUSES], "checks_total": sum(outcomes.values()),
            "checks": checks, "histogram": histogram_svg(scores, max_score, mean, median) if rows else ""}


def class_data(results: dict[tuple[str, str], dict]) -> dict:
    """The report's numbers (also what tests compare the rendered page with)."""
    by_ex: dict[str, list[dict]] = defaultdict(list)
    for (_s, ex), r in sorted(results.items()):
        by_ex[ex].append(r)
    ex_ids = sorted(by_ex)
    students = []
    for s in sorted({s for s, _e in results}):
        scores = {e: results[(s, e)]["score"] for e in ex_ids if (s, e) in results}
        total = sum(scores.values())
        max_total = sum(results[(s, e)]["max_score"] for e in ex_ids if (s, e) in results)
        students.append({"student": s, "file": safe_name(s), "scores": scores, "total": total,
                         "max_total": max_total, "percent": 100 * total / max_total if max_total else 0.0})
    problems = []  # one row per submission with ERROR / TIMEOUT / OUT_OF_MEMORY checks
    for (s, e), r in sorted(results.items()):
        worst = [c for c in r["checks"] if c["status"] in OF_CONCERN]
        if not worst:
            continue
        kinds = Counter(c["status"] for c in worst)
        messages: dict[str, list[str]] = {}
        for c in worst:
            messages.setdefault(c["message"], []).append(c["name"])
        problems.append({"student": s, "file": safe_name(s), "exercise": e,
                         "outcomes": [(k, kinds[k]) for k in OF_CONCERN if kinds.get(k)],
                         "messages": [(m, names) for m, names in messages.items()][:5],
                         "more": max(0, len(messages) - 5)})
    return {"exercises": [exercise_summary(e, by_ex[e]) for e in ex_ids], "students": students,
            "problems": problems, "ex_ids": ex_ids}


# ------------------------------------------------------------------ run facts
def run_facts(run: dict, results: dict) -> list[tuple[str, str]]:
    """(label, value) rows about the run; the seed appears only as a fingerprint."""
    facts = []
    if run.get("date"):
        facts.append((_("graded"), run["date"]))
    facts.append((_("report written"), dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))
    versions: dict[str, set] = defaultdict(set)
    for r in results.values():
        for k, v in (r.get("versions") or {}).items():
            versions[k].add(str(v))
    for k, v in (run.get("versions") or {}).items():
        versions.setdefault(k, set()).add(str(v))
    if versions:
        facts.append((_("versions"), ", ".join(f"{k} {'/'.join(sorted(v))}" for k, v in sorted(versions.items()))))
    iso = Counter(r.get("isolation") for r in results.values() if r.get("isolation"))
    if iso:
        facts.append((_("isolation"), "; ".join(f"{k} ({n})" if len(iso) > 1 else k for k, n in iso.most_common())))
    if run.get("jobs"):
        facts.append((_("jobs"), str(run["jobs"]) + (f" ({run['cluster']})" if run.get("cluster") else "")))
    if run.get("wall_seconds") is not None:
        facts.append((_("wall time"), _("{seconds:.1f} s ({graded} graded in this run)").format(
            seconds=run["wall_seconds"], graded=run.get("graded", 0))))
    secs = sum(r.get("seconds", 0) or 0 for r in results.values())
    if secs:
        facts.append((_("grading time, summed over submissions"), f"{secs:.1f} s"))
    if run.get("seed_fingerprint"):
        facts.append((_("hidden seed fingerprint"), run["seed_fingerprint"]))
    return facts


def load_similarity(results_dir: Path) -> list[dict]:
    """The similarity summaries ``grade similar --out RESULTS_DIR/similarity`` left (one per exercise)."""
    out = []
    for path in sorted((results_dir / "similarity").glob("ex*/pairs.json")):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        d["folder"] = path.parent.relative_to(results_dir).as_posix()
        out.append(d)
    return out


def write_report(results_dir: Path, results: dict | None = None, run: dict | None = None) -> Path:
    """Render ``results_dir/report.html`` and return its path."""
    results_dir = Path(results_dir)
    if results is None:
        results = read_results(results_dir / RESULTS)
    if run is None:
        run = read_run(results_dir)
    data = class_data(results)
    html = environment().get_template("report.html.j2").render(
        lang=get_language(), data=data, facts=run_facts(run, results), similarity=load_similarity(results_dir),
        statuses=STATUSES, has_feedback=(results_dir / "feedback").is_dir())
    path = results_dir / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the console summary
def summary(results: dict, console, notes: list[str]) -> None:
    from rich.table import Table
    if not results:
        console.print(_("nothing graded"))
        return
    totals: dict[str, float] = {}
    maxes: dict[str, float] = {}
    for (s, _ex), r in results.items():
        totals[s] = totals.get(s, 0) + r["score"]
        maxes[s] = maxes.get(s, 0) + r["max_score"]
    pct = [100 * totals[s] / maxes[s] if maxes[s] else 0 for s in totals]
    bins = Counter(min(int(p // 10) * 10, 90) for p in pct)
    t = Table(title=_("Score distribution ({n} students; median {median:.0f}%)").format(
        n=len(totals), median=statistics.median(pct)), title_justify="left")
    t.add_column(_("score %"))
    t.add_column(_("students"), justify="right")
    t.add_column("")
    for b in range(0, 100, 10):
        t.add_row(f"{b}-{b + 10 if b < 90 else 100}", str(bins.get(b, 0)), "#" * bins.get(b, 0))
    console.print(t)
    failed = Counter()
    for r in results.values():
        for c in r["checks"]:
            if c["status"] != "PASS":
                failed[(r["exercise"], c["name"])] += 1
    if failed:
        t = Table(title=_("Most failed checks"), title_justify="left")
        for col in (_("exercise"), _("check"), _("not passed")):
            t.add_column(col)
        for (e, c), n in failed.most_common(10):
            t.add_row(e, c, str(n))
        console.print(t)
    bad = []
    for r in sorted(results.values(), key=lambda r: (r["student"], r["exercise"])):
        worst = [c for c in r["checks"] if c["status"] in OF_CONCERN]
        if worst:
            kinds = Counter(c["status"] for c in worst)
            bad.append((r["student"], r["exercise"], ", ".join(f"{k} x{n}" for k, n in kinds.items()),
                        worst[0]["message"][:160]))
    if bad:
        t = Table(title=_("{n} submission(s) with ERROR / TIMEOUT / OUT_OF_MEMORY checks").format(n=len(bad)),
                  title_justify="left")
        for col in (_("student"), _("exercise"), _("outcomes"), _("first message")):
            t.add_column(col, overflow="fold")
        for row in bad:
            t.add_row(*row)
        console.print(t)
    for n in notes:
        console.print(f"[bold]{_('note:')}[/] {n}")
