"""The learning trail (issue #30): one line per grade, kept on the student's own machine.

Every ``grade exNN`` (in its own process or through the warm grader), every run under ``--watch`` and every
notebook ``check()`` appends one JSON line to ``.grade/history.jsonl`` in the course folder (the folder that
holds ``exercises/``, found from the current folder as ``grade`` finds the exercise; in a notebook, from the
kernel's working folder; else that folder itself).  A line holds::

    {"v": 1, "time": "2026-12-07T12:00:03Z", "exercise": "ex03", "grader": "0.1.0", "seconds": 2.41,
     "via": "grade", "checks": [{"name": "conv_same", "status": "FAIL", "mistake": "forgot the + 1"}, ...]}

-- when, which exercise, which grader, how long the run took, how it was run (``grade``, ``watch``, ``check``)
and, per check, its status and the id of its named mistake (the English label; absent when none matched).
Never the code, the file's name, the messages or the values.  ``grade history off`` writes
``{"history": "off"}`` to ``.grade/settings.json`` beside it (``on`` writes ``"on"``); ``GRADE_HISTORY=0``
turns it off for one process (the project's tests run with it).

Writing never fails a grade: every error is caught and reported as one dim line at most.  Reading
(``read``) trusts nothing: the file is read up to ``MAX_BYTES``, each line is held to the schema
(``valid``), a bad line is counted and skipped, and lines of another exercise or grader version are
counted.  Nothing here computes or changes a score.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as _dt
import json
import os
import re
from pathlib import Path
from typing import Callable, Iterable

from grader.core.i18n import _

FOLDER = ".grade"
HISTORY = "history.jsonl"
SETTINGS = "settings.json"
ARCHIVE_NAME = "history.jsonl"  # its name inside a submission zip (``grade submit``)
FORMAT = 1
ENV = "GRADE_HISTORY"  # "0": no recording in this process
MAX_BYTES = 4_000_000  # a history is read up to this size (and not written past it): some 4,000 grades
MAX_LINE = 64_000
MAX_LINES = 30_000  # lines read (a grade's line is 140 bytes or more: an honest history that MAX_BYTES stopped
# has fewer, so only a forged one reaches it)
MAX_CHECKS = 200
NOTEBOOK_KEY = "keras_course_grader"  # a check() output's metadata (grader/front/notebook.py) ...
NOTEBOOK_FIELD = "history"  # ... holds the exercise's lines here: a notebook carries its own history
MAX_CARRIED = 500  # the latest lines of one exercise a notebook's output carries (some 50-400 kB: every
# check() output of a notebook carries its own copy); the lines left out are counted (NOTEBOOK_DROPPED)
NOTEBOOK_DROPPED = "history_dropped"
NOTEBOOK_BYTES = 50_000_000  # a notebook larger than this is not read for a history (it is still graded)
# "Looks stuck" (the class report): at least STUCK_ATTEMPTS attempts at the exercise, not every check passing
# at the latest, and no check passing for the first time over the last STUCK_RUNS attempts and STUCK_SECONDS.
STUCK_ATTEMPTS = 10
STUCK_RUNS = 8
STUCK_SECONDS = 30 * 60
STATUSES = ("PASS", "FAIL", "ERROR", "TIMEOUT", "OUT_OF_MEMORY", "NOT_ATTEMPTED")
VIAS = ("grade", "watch", "check")
_EXERCISE = re.compile(r"^(ex|q)\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


# ------------------------------------------------------------------ where
def course_folder(start: Path | None = None) -> Path:
    """The folder holding ``exercises/`` at ``start`` (the current folder) or up to three folders above it, as
    ``grade exNN`` looks for the exercise; ``start`` itself when there is none."""
    start = (start or Path.cwd()).resolve()
    for folder in [start, *start.parents][:4]:
        if (folder / "exercises").is_dir():
            return folder
    return start


def history_path(folder: Path | None = None) -> Path:
    return (folder or course_folder()) / FOLDER / HISTORY


def settings_path(folder: Path | None = None) -> Path:
    return (folder or course_folder()) / FOLDER / SETTINGS


def recording(folder: Path | None = None) -> bool:
    """Whether a grade is recorded here: not with GRADE_HISTORY=0, nor after ``grade history off``."""
    if os.environ.get(ENV, "").strip().lower() in ("0", "off", "no", "false"):
        return False
    try:
        with open(settings_path(folder), encoding="utf-8") as f:
            return json.loads(f.read(4096)).get("history") != "off"
    except (OSError, ValueError, AttributeError):
        return True


def set_recording(on: bool, folder: Path | None = None) -> Path:
    """``grade history on|off``: the setting's file (raises OSError when it cannot be written)."""
    path = settings_path(folder)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
        settings = settings if isinstance(settings, dict) else {}
    except (OSError, ValueError):
        settings = {}
    settings["history"] = "on" if on else "off"
    path.write_text(json.dumps(settings) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ writing
def _grader_version(report) -> str:
    version = (getattr(report, "versions", None) or {}).get("grader")
    return str(version) if version else grader_version()


def grader_version() -> str:
    """This grader's version (``grader.core.engine.__version__``, which ``Report.versions`` carries)."""
    from grader.core.engine import __version__
    return __version__


def now_text(now: _dt.datetime | None = None) -> str:
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return now.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry(report, seconds: float, via: str, now: _dt.datetime | None = None) -> dict:
    """The line of one graded run: never the code, the messages or the file's name."""
    checks = []
    for c in report.checks:
        d = {"name": c.name, "status": getattr(c.status, "value", str(c.status))}
        if getattr(c, "mistake", None):
            d["mistake"] = c.mistake
        checks.append(d)
    return {"v": FORMAT, "time": now_text(now), "exercise": report.exercise, "grader": _grader_version(report),
            "seconds": round(max(0.0, float(seconds)), 3), "via": via, "checks": checks}


@dataclasses.dataclass
class Recorded:
    status: str  # "written", "off", "failed", "full"
    path: Path | None = None
    first: bool = False  # this run created the history
    reason: str = ""


def record(report, seconds: float, *, via: str, folder: Path | None = None,
           say: Callable[[str], None] | None = None) -> Recorded:
    """Append the line of ``report`` to the history; never raises.  ``say`` gets (at most) one line: on the
    first run what is recorded and where, or why a history could not be written."""
    try:
        folder = folder or course_folder()
        if not recording(folder):
            return Recorded("off")
        path = folder / FOLDER / HISTORY
        line = (json.dumps(entry(report, seconds, via), ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size + len(line) > MAX_BYTES:
                result = Recorded("full", path)
            else:
                os.write(fd, line)  # one write of one line: two grades at once never interleave within a line
                result = Recorded("written", path, first=size == 0)
        finally:
            os.close(fd)
    except Exception as e:  # a history never fails a grade
        result = Recorded("failed", reason=f"{type(e).__name__}: {e}")
    if say is not None:
        try:
            message = notice(result)
            if message:
                say(message)
        except Exception:
            pass
    return result


def notice(result: Recorded) -> str | None:
    """The one line a run prints about its history, if any."""
    if result.status == "written" and result.first:
        return _("Your attempts are recorded in {path} (time, exercise, each check's status and mistake; never "
                 "your code). `grade history` shows them; `grade history off` stops it.").format(path=result.path)
    if result.status == "failed":
        return _("history not written ({reason}); the grade is not affected").format(reason=result.reason)
    if result.status == "full":
        return _("history not written: {path} has reached {mb:g} MB").format(path=result.path, mb=MAX_BYTES / 1e6)
    return None


# ------------------------------------------------------------------ reading (trusts nothing)
def valid(obj) -> dict | None:
    """A line held to the schema, as a fresh dict of the known fields only; None when it breaks it."""
    if not isinstance(obj, dict) or obj.get("v") != FORMAT:
        return None
    time, ex, grader, seconds, via, checks = (obj.get(k) for k in ("time", "exercise", "grader", "seconds", "via",
                                                                  "checks"))
    if not (isinstance(time, str) and _TIME.match(time) and isinstance(ex, str) and _EXERCISE.match(ex)
            and isinstance(grader, str) and 0 < len(grader) <= 40 and via in VIAS
            and isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and 0 <= seconds <= 86_400
            and isinstance(checks, list) and len(checks) <= MAX_CHECKS):
        return None
    try:
        parse_time(time)
    except ValueError:
        return None
    out = []
    names = set()
    for c in checks:
        if not isinstance(c, dict):
            return None
        name, status, mistake = c.get("name"), c.get("status"), c.get("mistake")
        if not (isinstance(name, str) and 0 < len(name) <= 100 and status in STATUSES and name not in names
                and (mistake is None or (isinstance(mistake, str) and 0 < len(mistake) <= 300))):
            return None
        names.add(name)
        out.append({"name": name, "status": status, **({"mistake": mistake} if mistake else {})})
    return {"v": FORMAT, "time": time, "exercise": ex, "grader": grader, "seconds": float(seconds), "via": via,
            "checks": out}


def parse_time(text: str) -> _dt.datetime:
    """A line's UTC time (``_TIME``'s form: the seconds' fraction, if any, is not read)."""
    if len(text) < 19 or text[10] != "T":  # (fromisoformat would take other forms than the schema's)
        raise ValueError(text)
    return _dt.datetime.fromisoformat(text[:19]).replace(tzinfo=_dt.timezone.utc)


@dataclasses.dataclass
class History:
    """What a history file holds, read safely."""
    entries: list[dict] = dataclasses.field(default_factory=list)  # valid lines, oldest first
    bad: int = 0  # lines that are not JSON or break the schema
    truncated: bool = False  # past MAX_BYTES or MAX_LINES: what is past the limit is not read
    other_exercise: int = 0  # valid lines of another exercise than the one asked for (set aside)
    versions: collections.Counter = dataclasses.field(default_factory=collections.Counter)  # grader -> lines
    found: bool = True  # there was a history to read

    def other_versions(self, mine: str) -> dict[str, int]:
        return {v: n for v, n in sorted(self.versions.items()) if v != mine}

    def summary(self) -> dict:
        """The facts of the reading, for ``results.jsonl`` (never the lines' own claims)."""
        return {"attempts": len(self.entries), "bad_lines": self.bad, "truncated": self.truncated,
                "other_exercise": self.other_exercise, "versions": dict(sorted(self.versions.items()))}


def parse(data: bytes, *, exercise: str | None = None) -> History:
    """A history's bytes (up to ``MAX_BYTES`` of them and ``MAX_LINES`` lines are read): the valid lines, oldest
    first, of ``exercise`` (every exercise when None), with the bad lines and the other exercise's counted.  At
    most ``MAX_LINES`` JSON parses of ``MAX_LINE`` bytes: a hostile file costs what a long honest one does."""
    out = History(truncated=len(data) > MAX_BYTES)
    if out.truncated:
        data = data[:MAX_BYTES]
        cut = data.rfind(b"\n")
        data = data[:cut + 1] if cut >= 0 else b""  # (the line cut in two is not read)
    lines = [raw for raw in data.split(b"\n") if raw.strip()]
    if len(lines) > MAX_LINES:
        out.truncated, lines = True, lines[:MAX_LINES]
    for raw in lines:
        raw = raw.strip()
        line = None
        if len(raw) <= MAX_LINE and raw[:1] == b"{":  # (no JSON parser for what cannot be a line)
            try:
                line = valid(json.loads(raw.decode("utf-8")))
            except (ValueError, UnicodeDecodeError, RecursionError):
                line = None
        if line is None:
            out.bad += 1
        elif exercise is not None and line["exercise"] != exercise:
            out.other_exercise += 1
        else:
            out.entries.append(line)
            out.versions[line["grader"]] += 1
    out.entries.sort(key=lambda e: e["time"])  # (stable: lines of one second keep their order)
    return out


def read(path: Path, *, exercise: str | None = None) -> History:
    """The history file at ``path`` (none: an empty ``History`` with ``found`` False); never raises."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return History(found=False)
    except OSError:
        return History(bad=1)
    return parse(data, exercise=exercise)


# ------------------------------------------------------------------ the trail of one exercise
@dataclasses.dataclass
class CheckTrail:
    name: str
    attempts: int = 0  # runs that ran this check
    passed_at: int | None = None  # the attempt (1-based) of its first PASS
    seconds_to_pass: float | None = None  # from the exercise's first attempt to that PASS
    status: str = ""  # at the latest attempt
    mistakes: collections.Counter = dataclasses.field(default_factory=collections.Counter)


@dataclasses.dataclass
class MistakeTrail:
    mistake: str
    check: str
    met: int  # attempts at which the check had this mistake
    first: int  # the attempt it was first met at
    still: bool  # the check has it at the latest attempt that ran it


@dataclasses.dataclass
class Trail:
    exercise: str
    attempts: int
    first: str
    last: str
    checks: list[CheckTrail]
    mistakes: list[MistakeTrail]

    @property
    def passing(self) -> int:
        return sum(1 for c in self.checks if c.status == "PASS")


def trail(entries: Iterable[dict], exercise: str) -> Trail | None:
    """The way through one exercise: per check, attempts and time to its first PASS; the mistakes met."""
    runs = [e for e in entries if e["exercise"] == exercise]
    if not runs:
        return None
    start = parse_time(runs[0]["time"])
    checks: dict[str, CheckTrail] = {}
    mistakes: dict[tuple[str, str], MistakeTrail] = {}
    latest_mistake: dict[str, str | None] = {}
    for i, run in enumerate(runs, 1):
        for c in run["checks"]:
            t = checks.setdefault(c["name"], CheckTrail(c["name"]))
            t.attempts += 1
            t.status = c["status"]
            if c["status"] == "PASS" and t.passed_at is None:
                t.passed_at = i
                t.seconds_to_pass = (parse_time(run["time"]) - start).total_seconds()
            mistake = c.get("mistake")
            latest_mistake[c["name"]] = mistake
            if mistake:
                t.mistakes[mistake] += 1
                m = mistakes.setdefault((c["name"], mistake), MistakeTrail(mistake, c["name"], 0, i, False))
                m.met += 1
    for (check, mistake), m in mistakes.items():
        m.still = latest_mistake.get(check) == mistake
    return Trail(exercise, len(runs), runs[0]["time"], runs[-1]["time"], list(checks.values()),
                 sorted(mistakes.values(), key=lambda m: (m.first, m.check, m.mistake)))


def exercises(entries: Iterable[dict]) -> list[str]:
    return sorted({e["exercise"] for e in entries})


# ------------------------------------------------------------------ carried in a submission (grade submit, grade batch)
def lines_of(path: Path, exercise: str) -> tuple[bytes, History]:
    """The history's valid lines of ``exercise``, written again (only the schema's fields): what ``grade submit``
    puts in the zip."""
    history = read(path, exercise=exercise)
    text = "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in history.entries)
    return text.encode("utf-8"), history


def carried(path: Path, exercise: str) -> dict:
    """``carried_history`` of the history file at ``path``."""
    return carried_history(read(path, exercise=exercise), exercise, "file")


def notebook_history(path: Path, exercise: str) -> History | None:
    """The history a notebook carries in its own outputs (``check()`` puts the exercise's lines in its output's
    metadata, ``keras_course_grader.history``: Jupyter and VS Code save it with the notebook), read with nbformat
    and held to the same caps and schema as a file.  Every check() output carries the whole history up to its
    run: the longest list is taken.  None when the notebook carries none (or cannot be read); never raises."""
    try:
        if path.stat().st_size > NOTEBOOK_BYTES:
            return None
        import warnings

        import nbformat
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.read(str(path), as_version=4, capture_validation_error={})
        best, dropped = None, 0
        for cell in nb.get("cells") or []:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            for output in cell.get("outputs") or []:
                meta = output.get("metadata") if isinstance(output, dict) else None
                ours = meta.get(NOTEBOOK_KEY) if isinstance(meta, dict) else None
                lines = ours.get(NOTEBOOK_FIELD) if isinstance(ours, dict) else None
                if isinstance(lines, list) and (best is None or len(lines) > len(best)):
                    best, dropped = lines, ours.get(NOTEBOOK_DROPPED)
        if best is None:
            return None
        text = []
        for line in best[:MAX_LINES + 1]:  # (each written again as one JSON line and read as a file's)
            try:
                text.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
            except (TypeError, ValueError, RecursionError):
                text.append("?")
        history = parse(("\n".join(text) + "\n").encode("utf-8"), exercise=exercise)
        if isinstance(dropped, int) and not isinstance(dropped, bool) and dropped > 0:
            history.truncated = True  # (the notebook kept the latest MAX_CARRIED lines only)
        return history
    except Exception:  # an unreadable notebook carries no history; its grade says why it is unreadable
        return None


def stretch(field: dict) -> tuple[int, float] | None:
    """The stretch at the end of a carried history (a ``history`` field of results.jsonl) without a new PASS:
    the attempts since the last attempt at which a check passed for the first time (all of them when none
    did), and the seconds since it.  None when the field holds no attempt."""
    checks = field.get("checks") if isinstance(field, dict) else None
    if not isinstance(checks, dict) or not field.get("attempts") or not field.get("first") or not field.get("last"):
        return None
    try:
        span = (parse_time(field["last"]) - parse_time(field["first"])).total_seconds()
    except (TypeError, ValueError):
        return None
    passed = [(c.get("passed_at") or 0, c.get("seconds_to_pass") or 0.0) for c in checks.values()
              if isinstance(c, dict) and c.get("passed_at")]
    at, seconds = max(passed) if passed else (0, 0.0)
    return int(field["attempts"]) - int(at), max(0.0, span - float(seconds))


def looks_stuck(field: dict) -> bool:
    """The class report's rule: many attempts (``STUCK_ATTEMPTS``), not every check passing at the latest, and
    no new PASS for a long stretch (the last ``STUCK_RUNS`` attempts and ``STUCK_SECONDS`` at least)."""
    attempts = field.get("attempts") if isinstance(field, dict) else None
    if not isinstance(attempts, int) or attempts < STUCK_ATTEMPTS:
        return False
    s = stretch(field)
    if s is None:
        return False
    checks = field["checks"].values()
    if checks and all(isinstance(c, dict) and c.get("status") == "PASS" for c in checks):
        return False
    return s[0] >= STUCK_RUNS and s[1] >= STUCK_SECONDS


def carried_history(history: History, exercise: str, where: str) -> dict:
    """The ``history`` field of a results.jsonl line: what a history handed in with a submission says, read
    safely -- the student's own account, never part of the score.  The facts of the reading (attempts, bad
    lines, a cut, lines of another exercise, grader versions), then, per check, its attempts, the attempt of
    its first PASS and the seconds to it, and the named mistakes met (how often, first at which attempt,
    still there at the end); ``carried_in``: "file" (history.jsonl handed in beside it) or "notebook" (the
    notebook's own outputs); ``since_new_pass``: the attempts and seconds since a check last passed for the
    first time, and ``looks_stuck`` (``looks_stuck``'s rule) -- the figures the class report draws."""
    out = {"account": "student", "carried_in": where, **history.summary()}
    t = trail(history.entries, exercise)
    if t is not None:
        out.update(first=t.first, last=t.last,
                   checks={c.name: {"attempts": c.attempts, "passed_at": c.passed_at,
                                    "seconds_to_pass": c.seconds_to_pass, "status": c.status} for c in t.checks},
                   mistakes=[{"mistake": m.mistake, "check": m.check, "met": m.met, "first": m.first,
                              "still": m.still} for m in t.mistakes])
        s = stretch(out)
        if s is not None:
            out["since_new_pass"] = {"attempts": s[0], "seconds": s[1]}
            out["looks_stuck"] = looks_stuck(out)
    return out
