"""Late work: when each student handed in, against which deadline, and a penalty only when asked for.

What a download says about time depends on the LMS (``grader/front/layouts.py`` reads it):

* Canvas marks late work itself: ``LATE_`` in the file name (Canvas knows the due date and each student's
  extension); its files carry no time;
* Moodle's grading worksheet has "Last modified (submission)" and a status that says "... late" (Moodle
  knows the due date and extensions too);
* a GitHub Classroom clone has the time of each repository's last commit; any other folder the files'
  times.

``record`` turns that into the ``late`` field of a result (``results.jsonl``)::

    {"late": true, "source": "canvas"}                                   # Canvas's LATE_ marker
    {"late": true, "source": "moodle", "submitted": "2025-04-02T01:05:00+09:00",
     "deadline": "2025-04-01T23:59:00+09:00", "by_seconds": 3960}         # --deadline given
    {"late": null, "source": "git", "submitted": "..."}                  # a time, and no deadline to hold it to

``late`` is true, false, or null (not known).  Scores stay raw: both LMSs apply their own late policy to
the grade they are given.  ``--late-policy`` asks for a penalty here (``10%``: a late submission loses 10 %
of the exercise's points; ``10%/day`` or ``2%/hour``: per day or hour late, begun periods counted, at
most every point); the result then keeps ``raw_score`` beside ``score`` and ``late.penalty``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

from grader.core.errors import UsageError
from grader.core.i18n import N_, _

SOURCES = {  # source id -> what it is, as the feedback and the report say it
    "canvas": N_("Canvas's LATE_ marker"),
    "moodle": N_("Moodle's grading worksheet"),
    "git": N_("the repository's last commit"),
    "file": N_("the file's time in the download"),
}


# ------------------------------------------------------------------ times
def parse_deadline(text: str) -> dt.datetime:
    """``--deadline``: ISO 8601, ``2025-04-01T23:59`` or ``2025-04-01 23:59[:SS][+09:00|Z]``; a time without
    a zone is this machine's local time."""
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(_("--deadline {text!r} is not a date and time such as 2025-04-01T23:59 or "
                           "2025-04-01T23:59+09:00").format(text=text)) from None
    return when if when.tzinfo else when.astimezone()


MOODLE_FORMATS = ("%d %B %Y, %I:%M %p", "%d %B %Y, %H:%M", "%d %b %Y, %I:%M %p", "%d %b %Y, %H:%M",
                  "%d/%m/%Y, %H:%M", "%d/%m/%y, %H:%M")


def parse_lms_time(text: str, zone: dt.tzinfo | None = None) -> dt.datetime | None:
    """A time as an LMS writes it in a CSV: ISO 8601, or Moodle's ``Thursday, 6 November 2014, 5:57 PM``
    (the weekday optional).  The LMS writes the time in its user's zone without naming it: a time that names
    no zone is read in ``zone`` (the deadline's, which the same instructor gave), else in this machine's.
    None for ``-``, an empty cell, or what is no time."""
    text = (text or "").strip()
    if not text or text == "-":
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        when = None
        bare = re.sub(r"^[A-Za-z]+,\s*", "", text)  # the weekday
        bare = re.sub(r"\s+", " ", bare)
        for fmt in MOODLE_FORMATS:
            try:
                when = dt.datetime.strptime(bare, fmt)
                break
            except ValueError:
                continue
    if when is None:
        return None
    if when.tzinfo:
        return when
    return when.replace(tzinfo=zone) if zone is not None else when.astimezone()


def duration(seconds: float) -> str:
    """``2 d 3 h``, ``3 h 5 min``, ``12 min``: how late, in the run's language."""
    minutes = max(1, math.ceil(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=mins)
    return _("{minutes} min").format(minutes=mins)


def shown(iso: str) -> str:
    """An ISO time as the pages show it: ``2025-04-02 01:05 +09:00``."""
    when = dt.datetime.fromisoformat(iso)
    zone = when.strftime("%z")
    return when.strftime("%Y-%m-%d %H:%M") + (f" {zone[:3]}:{zone[3:]}" if zone else "")


# ------------------------------------------------------------------ the late field
def record(source: str, *, marked: bool | None = None, submitted: dt.datetime | None = None,
           deadline: dt.datetime | None = None, status: str = "") -> dict | None:
    """The ``late`` field of a result (None: nothing is known).  ``marked``: the LMS's own verdict (Canvas's
    LATE_, Moodle's status); ``submitted`` against ``deadline`` decides when both are known."""
    if marked is None and submitted is None:
        return None
    d: dict = {"late": marked, "source": source}
    if status:
        d["status"] = status
    if submitted is not None:
        d["submitted"] = submitted.isoformat(timespec="seconds")
        if deadline is not None:
            d["deadline"] = deadline.isoformat(timespec="seconds")
            by = (submitted - deadline).total_seconds()
            d["late"] = by > 0
            if by > 0:
                d["by_seconds"] = int(by)
    return d


def describe(late: dict | None) -> str:
    """The late field as one sentence, in the run's language ("" when there is none)."""
    if not late:
        return ""
    source = _(SOURCES.get(late.get("source", ""), late.get("source", "")))
    if late.get("deadline"):
        if late.get("late"):
            text = _("late by {duration}: handed in {submitted}, deadline {deadline} ({source})").format(
                duration=duration(late.get("by_seconds", 0)), submitted=shown(late["submitted"]),
                deadline=shown(late["deadline"]), source=source)
        else:
            text = _("on time: handed in {submitted}, deadline {deadline} ({source})").format(
                submitted=shown(late["submitted"]), deadline=shown(late["deadline"]), source=source)
    elif late.get("late") is None:
        text = _("handed in {submitted} ({source}); no deadline given").format(
            submitted=shown(late["submitted"]), source=source)
    elif late.get("source") == "canvas":
        text = _("late: Canvas marked it LATE_") if late["late"] else _("on time: Canvas did not mark it late")
    else:
        verdict = _("late") if late["late"] else _("on time")
        text = f"{verdict} ({source})"
        if late.get("submitted"):
            text += "; " + _("handed in {submitted}").format(submitted=shown(late["submitted"]))
    if late.get("status"):
        text += "; " + _("Moodle's status: {status}").format(status=late["status"])
    if late.get("penalty"):
        text += "; " + _("late penalty: {points:g} point(s) ({policy})").format(points=late["penalty"],
                                                                                policy=late.get("policy", ""))
    return text


# ------------------------------------------------------------------ the penalty
@dataclasses.dataclass(frozen=True)
class LatePolicy:
    percent: float
    per: str = ""  # "": once; "day" or "hour": per day or hour late, begun periods counted

    def __str__(self) -> str:
        return f"{self.percent:g}%" + (f"/{self.per}" if self.per else "")

    def points(self, late: dict, max_score: float) -> float | None:
        """Points taken from a late result (None: how late is not known, and the policy counts periods)."""
        if not late or not late.get("late"):
            return 0.0
        periods = 1
        if self.per:
            if late.get("by_seconds") is None:
                return None
            periods = math.ceil(late["by_seconds"] / (86400 if self.per == "day" else 3600))
        return min(max_score, max_score * self.percent / 100 * periods)


def parse_policy(text: str | None) -> LatePolicy | None:
    """``--late-policy``: ``none`` (the default: raw scores), ``P%``, ``P%/day`` or ``P%/hour``."""
    if text is None or text.strip().lower() == "none":
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*(?:/\s*(day|hour))?\s*", text.lower())
    if not m or float(m.group(1)) > 100:
        raise UsageError(_("--late-policy {text!r} is not none, P%, P%/day or P%/hour (P at most 100)").format(
            text=text))
    return LatePolicy(float(m.group(1)), m.group(2) or "")


def apply(result: dict, policy: LatePolicy | None) -> dict:
    """``result`` (a results.jsonl line) with the policy's penalty: ``raw_score`` keeps the score graded."""
    late = result.get("late")
    if policy is None or not late or not late.get("late"):
        return result
    points = policy.points(late, result.get("max_score", 0))
    if points is None:
        return result
    raw = result["score"]
    taken = min(raw, points)
    late = {**late, "penalty": round(taken, 4), "policy": str(policy)}
    return {**result, "raw_score": raw, "score": round(raw - taken, 4), "late": late}
