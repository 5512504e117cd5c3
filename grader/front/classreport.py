"""The class at a glance: ``report.html`` (one self-contained file, written by ``grade batch`` at the end of
every run and by ``grade report``) and the summary ``grade batch`` prints.

``report.html`` opens from ``file://`` with no network: no CDN, no external fonts, the charts are inline
SVG drawn by matplotlib and the one script (sorting the students table) is inline.  For each exercise: a
histogram of scores with mean and median, the outcomes of its checks, the pass rate of every check (worst
first) and, under each check, the named mistakes with counts and shares.  Then the students (sortable,
linking to ``feedback/STUDENT.html``), the ERROR / TIMEOUT / OUT_OF_MEMORY submissions with their messages,
similar submissions when ``grade similar`` (or ``grade batch --similarity``) ran, and the facts of the run
(date, versions, isolation, jobs, wall time, a fingerprint of the hidden seed -- never the seed).

Where students handed in learning-trail histories (issue #30; the ``history`` field of results.jsonl,
``grader/front/trail.py``), each exercise also shows how they got there, labelled as their own account
(``trail_summary``): per check the attempts to its first PASS (median and 90th percentile; ``trail_svg``) and
the time from the first attempt to it, each named mistake met beside still there, the students who look stuck
(``trail.looks_stuck``), and how many history lines were skipped.  Its figures are written to ``trail.json``
beside the report.  A history never changes a score: nothing here reads one for a score.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from grader.core.i18n import _, get_language
from grader.front import lateness
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
        return _svg(fig, ax)


def _svg(fig, ax) -> str:
    """The figure as an inline <svg> element, without the axes' top and right spines and without a date."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def trail_svg(rows: list[dict]) -> str:
    """Inline SVG of the attempts to pass of one exercise: per check (and "every check"), the attempts to its
    first PASS -- the median as a bar, the 90th percentile as a tick.  (One axes: the time to pass is drawn as
    bars in the table beside it, which costs the report nothing.)"""
    import warnings

    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, NullLocator
    rows = [r for r in rows if r["passed"]]
    style = {"svg.fonttype": "none", "svg.hashsalt": "grade-report-trail", "font.size": 9,
             "font.family": "sans-serif"}
    with warnings.catch_warnings(), matplotlib.rc_context(style):
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        height = 0.95 + 0.24 * max(len(rows), 1)
        fig = Figure(figsize=(5.2, height))
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        fig.subplots_adjust(left=0.3, right=0.97, bottom=0.5 / height, top=1 - 0.4 / height)
        ys = list(range(len(rows)))[::-1]
        p90 = [r["attempts_p90"] for r in rows]
        ax.barh(ys, [r["attempts_median"] for r in rows], color="#7aa6d6", height=0.6, label=_("median"))
        ax.plot(p90, ys, linestyle="none", marker="|", markersize=10, markeredgewidth=2, color="#c0392b",
                label=_("90th percentile"))
        ax.set_xlabel(_("attempts to pass"))
        ax.set_xlim(0, max(p90 + [1]) * 1.08)
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.yaxis.set_major_locator(NullLocator())  # the checks' names as plain text: a tick each costs more
        names = ax.get_yaxis_transform()
        for y, r in zip(ys, rows):
            ax.text(-0.02, y, r["label"], transform=names, ha="right", va="center")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False)
        return _svg(fig, ax)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 3600:
        return _("{n:.0f} min").format(n=seconds / 60)
    if seconds < 2 * 86_400:
        return _("{n:.1f} h").format(n=seconds / 3600)
    return _("{n:.1f} days").format(n=seconds / 86_400)


def _p90(values: list[float]) -> float:
    """The 90th percentile, nearest rank (a value some student had)."""
    v = sorted(values)
    return v[max(0, math.ceil(0.9 * len(v)) - 1)]


def trail_summary(ex: str, rows: list[dict]) -> dict | None:
    """The learning trail of one exercise, from the ``history`` fields of its results (``trail.carried``): the
    students' own account, never a score.  None when no student handed in a history."""
    from grader.front import trail
    carried = [(r, r["history"]) for r in rows if isinstance(r.get("history"), dict)]
    if not carried:
        return None
    checks: dict[str, dict] = {}
    mistakes: dict[tuple[str, str], dict] = {}
    every = {"attempts": [], "seconds": []}
    stuck = []
    facts = Counter()
    for r, h in carried:
        facts["bad_lines"] += int(h.get("bad_lines") or 0)
        facts["with_bad"] += bool(h.get("bad_lines"))
        facts["truncated"] += bool(h.get("truncated"))
        facts["other_exercise"] += int(h.get("other_exercise") or 0)
        facts["attempts"] += int(h.get("attempts") or 0)
        facts["empty"] += not h.get("attempts")
        per = h.get("checks") if isinstance(h.get("checks"), dict) else {}
        for name, c in per.items():
            if not isinstance(c, dict):
                continue
            s = checks.setdefault(name, {"name": name, "students": 0, "attempts": [], "seconds": []})
            s["students"] += 1
            if c.get("passed_at"):
                s["attempts"].append(c["passed_at"])
                s["seconds"].append(float(c.get("seconds_to_pass") or 0.0))
        if per and all(isinstance(c, dict) and c.get("passed_at") for c in per.values()):
            every["attempts"].append(max(c["passed_at"] for c in per.values()))
            every["seconds"].append(max(float(c.get("seconds_to_pass") or 0.0) for c in per.values()))
        met = set()
        for m in h.get("mistakes") or []:
            if not isinstance(m, dict) or not m.get("mistake"):
                continue
            key = (str(m.get("check", "")), str(m["mistake"]))
            d = mistakes.setdefault(key, {"check": key[0], "id": key[1], "label": _(key[1]), "met": 0, "still": 0})
            if key not in met:
                met.add(key)
                d["met"] += 1
                d["still"] += bool(m.get("still"))
        if trail.looks_stuck(h):
            since = trail.stretch(h)
            stuck.append({"student": r["student"], "who": who(r), "file": safe_name(r["student"]),
                          "attempts": h["attempts"], "since_attempts": since[0], "since": duration(since[1]),
                          "since_seconds": since[1], "passing": sum(1 for c in per.values()
                                                                    if isinstance(c, dict) and c.get("status") == "PASS"),
                          "checks": len(per), "score": r["score"], "max_score": r["max_score"]})

    def figures(label: str, name: str, students: int, att: list, secs: list) -> dict:
        return {"name": name, "label": label, "students": students, "passed": len(att),
                "attempts_median": statistics.median(att) if att else None, "attempts_p90": _p90(att) if att else None,
                "seconds_median": statistics.median(secs) if secs else None, "seconds_p90": _p90(secs) if secs else None}
    rows_out = [figures(_("every check"), "", len(carried), every["attempts"], every["seconds"])]  # (its row
    # counts the students whose every check passed at some attempt: the attempt and time of the last first PASS)
    rows_out += [figures(c["name"], c["name"], c["students"], c["attempts"], c["seconds"])
                 for c in sorted(checks.values(), key=lambda c: c["name"])]
    longest = max((f["seconds_p90"] or 0 for f in rows_out), default=0) or 1.0
    for f in rows_out:  # (the time bars: 90 px for the longest 90th percentile of the exercise)
        f["time_median"], f["time_p90"] = duration(f["seconds_median"]), duration(f["seconds_p90"])
        f["bar_median"] = round(90 * (f["seconds_median"] or 0) / longest)
        f["bar_p90"] = round(90 * (f["seconds_p90"] or 0) / longest)
    stuck.sort(key=lambda s: (-s["since_attempts"], s["student"]))
    return {"exercise": ex, "histories": len(carried), "students": len(rows), "checks": rows_out,
            "mistakes": sorted(mistakes.values(), key=lambda m: (-m["met"], -m["still"], m["check"], m["id"])),
            "stuck": stuck, "bad_lines": facts["bad_lines"], "with_bad": facts["with_bad"],
            "truncated": facts["truncated"], "other_exercise": facts["other_exercise"],
            "attempts": facts["attempts"], "empty": facts["empty"],
            "svg": trail_svg(rows_out) if any(f["passed"] for f in rows_out) else ""}


TRAIL_FIGURES = "trail.json"  # beside report.html: the figures its learning-trail plots are drawn from


def trail_figures(data: dict) -> dict:
    """What ``TRAIL_FIGURES`` holds: every exercise's trail figures, without the drawings."""
    from grader.front import trail
    return {"account": "student", "rule": {"stuck": {"attempts": trail.STUCK_ATTEMPTS, "runs": trail.STUCK_RUNS,
                                                     "seconds": trail.STUCK_SECONDS}},
            "exercises": {ex["id"]: {k: v for k, v in ex["trail"].items() if k != "svg"}
                          for ex in data["exercises"] if ex.get("trail")}}


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
            "checks": checks, "histogram": histogram_svg(scores, max_score, mean, median) if rows else "",
            "trail": trail_summary(ex, rows)}


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
        mine = [results[(s, e)] for e in ex_ids if (s, e) in results]
        late = [r["late"] for r in mine if r.get("late")]
        students.append({"student": s, "name": next((r.get("name") for r in mine if r.get("name")), s),
                         "file": safe_name(s), "scores": scores, "total": total, "max_total": max_total,
                         "percent": 100 * total / max_total if max_total else 0.0,
                         "is_late": any(x.get("late") for x in late),
                         "late": (_("late") if any(x.get("late") for x in late) else
                                  _("on time") if late and all(x.get("late") is False for x in late) else "")})
    handed = []  # what each student handed in: the file graded, the files passed over, and when
    for (s, e), r in sorted(results.items()):
        if r.get("graded") or r.get("others") or r.get("late"):
            handed.append({"student": s, "who": who(r), "file": safe_name(s), "exercise": e,
                           "graded": r.get("graded", ""), "others": r.get("others") or [],
                           "late": lateness.describe(r.get("late")), "is_late": bool((r.get("late") or {}).get("late")),
                           "penalty": (r.get("late") or {}).get("penalty")})
    problems = []  # one row per submission with ERROR / TIMEOUT / OUT_OF_MEMORY checks
    for (s, e), r in sorted(results.items()):
        worst = [c for c in r["checks"] if c["status"] in OF_CONCERN]
        if not worst:
            continue
        kinds = Counter(c["status"] for c in worst)
        messages: dict[str, list[str]] = {}
        for c in worst:
            messages.setdefault(c["message"], []).append(c["name"])
        problems.append({"student": who(r), "file": safe_name(s), "exercise": e,
                         "outcomes": [(k, kinds[k]) for k in OF_CONCERN if kinds.get(k)],
                         "messages": [(m, names) for m, names in messages.items()][:5],
                         "more": max(0, len(messages) - 5)})
    return {"exercises": [exercise_summary(e, by_ex[e]) for e in ex_ids], "students": students,
            "problems": problems, "ex_ids": ex_ids, "handed": handed,
            "has_late": any(r.get("late") for r in results.values())}


# ------------------------------------------------------------------ run facts
def run_facts(run: dict, results: dict) -> list[tuple[str, str]]:
    """(label, value) rows about the run; the seed appears only as a fingerprint."""
    facts = []
    if run.get("date"):
        facts.append((_("graded"), run["date"]))
    download = run.get("download") or {}
    if download.get("layout"):
        facts.append((_("download"), _("{given}, a {layout} download, {n} student(s)").format(
            given=Path(download.get("given", "")).name, layout=download["layout"], n=download.get("students", 0))))
    late = run.get("late") or {}
    if late:
        facts.append((_("late work"), ", ".join(f"{k.replace('_', '-')} {v}" for k, v in late.items())))
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
    download = run.get("download") or {}
    html = environment().get_template("report.html.j2").render(
        lang=get_language(), data=data, facts=run_facts(run, results), similarity=load_similarity(results_dir),
        statuses=STATUSES, has_feedback=(results_dir / "feedback").is_dir(),
        ignored=download.get("ignored") or [], refused=download.get("refused") or [],
        layout=download.get("layout", ""), stuck_rule=trail_figures(data)["rule"]["stuck"])
    path = results_dir / "report.html"
    path.write_text(html, encoding="utf-8")
    figures = results_dir / TRAIL_FIGURES
    if any(ex.get("trail") for ex in data["exercises"]):
        figures.write_text(json.dumps(trail_figures(data), indent=1, ensure_ascii=False), encoding="utf-8")
    elif figures.exists():
        figures.unlink()  # (of an earlier report: no history now)
    return path


# ------------------------------------------------------------------ the console summary
def who(r: dict) -> str:
    """How a result's student is shown: ``Kim Minji (1012)`` when the LMS's name is not the id."""
    name = r.get("name") or r["student"]
    return name if name == r["student"] else f"{name} ({r['student']})"


def summary(results: dict, console, notes: list[str], download: dict | None = None) -> None:
    """The summary ``grade batch`` prints (at 80 columns or more): the score distribution, the most failed
    checks, the crashed submissions, then every file of the download that was not graded, and why."""
    from rich.table import Table
    if not results:
        console.print(_("nothing graded"))
        _not_graded(console, download)
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
            bad.append((who(r), r["exercise"], ", ".join(f"{k} x{n}" for k, n in kinds.items()),
                        worst[0]["message"][:160]))
    if bad:
        t = Table(title=_("{n} submission(s) with ERROR / TIMEOUT / OUT_OF_MEMORY checks").format(n=len(bad)),
                  title_justify="left")
        for col in (_("student"), _("exercise"), _("outcomes"), _("first message")):
            t.add_column(col, overflow="fold")
        for row in bad:
            t.add_row(*row)
        console.print(t)
    late = [r for r in sorted(results.values(), key=lambda r: (r["student"], r["exercise"]))
            if (r.get("late") or {}).get("late")]
    if late:
        t = Table(title=_("{n} late submission(s)").format(n=len(late)), title_justify="left")
        for col in (_("student"), _("exercise"), _("late")):
            t.add_column(col, overflow="fold")
        for r in late:
            t.add_row(who(r), r["exercise"], lateness.describe(r["late"]))
        console.print(t)
    _not_graded(console, download)
    histories = [r["history"] for r in results.values() if isinstance(r.get("history"), dict)]
    if histories:
        from grader.front import trail
        console.print(_("Learning trail: {n} submission(s) came with a history, the students' own account (never "
                        "part of a score); {bad} unreadable line(s) skipped; {stuck} look stuck. report.html shows "
                        "how they got there.").format(n=len(histories), stuck=sum(map(trail.looks_stuck, histories)),
                                                      bad=sum(int(h.get("bad_lines") or 0) for h in histories)),
                      highlight=False)
    for n in notes:
        console.print(f"[bold]{_('note:')}[/] {n}")


def _not_graded(console, download: dict | None) -> None:
    """The files of the download that were not graded, with the reason (nothing is dropped silently)."""
    from rich.table import Table
    if not download:
        return
    for key, title in (("ignored", _("{n} file(s) of the download not graded ({layout} layout)")),
                       ("refused", _("{n} file(s) refused: never read"))):
        rows = download.get(key) or []
        if not rows:
            continue
        t = Table(title=title.format(n=len(rows), layout=download.get("layout", "")), title_justify="left")
        t.add_column(_("file"), overflow="fold", ratio=3)
        t.add_column(_("why"), overflow="fold", ratio=2)
        for row in rows:
            t.add_row(row["file"], row["why"])
        console.print(t)
