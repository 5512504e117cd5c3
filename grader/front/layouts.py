"""How a download is laid out: which students it holds, and which of its files are whose.

A ``Layout`` recognises a folder and yields one ``Entry`` per student: the LMS's own id for the student
(what the gradebook matches), the name it shows, the files the student handed in (oldest first: the
last one for an exercise is the one graded), the files it leaves out with the reason, and what it says
about time (``grader/front/lateness.py``).  ``Submission.discover`` (``grader/front/submission.py``)
then finds each exercise's file among them.  The layouts, as each LMS documents its download:

* ``canvas`` -- Canvas, Assignments > Download Submissions: one flat zip of files named
  ``{name}_{user id}_{file id}_{file name as uploaded}`` (``kimminji_48213_3311001_ex01_conv_arithmetic.py``),
  ``LATE_`` before the user id for a late submission, ``-1``, ``-2`` before the extension of a file
  uploaded again under the same name, ``{name}_{user id}_text.html`` / ``_link.html`` for a text entry
  or a website URL, ``anon_{id}`` for the user id when grading is anonymous.  The id is the user id,
  the gradebook export's ``ID`` column.
* ``moodle`` -- Moodle's assignment, "Download all submissions": a folder per student and submission
  plugin, ``{Full name}_{participant id}_assignsubmission_file_/`` holding the student's files
  (``..._assignsubmission_onlinetext_/`` beside it for online text; without "Download submissions in
  folders", the same names as prefixes of flat files).  The id is the participant id, the grading
  worksheet's ``Identifier`` (``Participant 1012``).
* ``gh-classroom`` -- ``gh classroom clone student-repos``: a folder ``{assignment}-submissions/`` with a
  clone ``{assignment}-{GitHub username}/`` per student.  The id is the GitHub username.
* ``plain`` -- one entry per student named by the student's id: ``alice.py``, ``bob/``, ``carol.zip``,
  ``dave.ipynb``.

``recognise`` picks the layout of a folder: the first of ``LAYOUTS`` that reads at least half of its
entries as a student's files; ``PLAIN`` last, when anything in it could be one.  Nothing else
recognises it: ``unrecognised`` says which layouts there are and what the folder holds.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterator, Protocol

from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import lateness
from grader.front.archive import is_metadata

GRADABLE = (".py", ".ipynb")
KINDS = (".py", ".ipynb", ".zip")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclasses.dataclass
class Entry:
    """One student's part of a download, as a layout reads it."""
    student: str  # the id the results are keyed by
    name: str  # how the student is shown
    files: list[Path]  # what the student handed in, oldest first: .py / .ipynb files, folders, .zip archives
    exercises: set[str] | None = None  # the exercises these files are for (None: any of the batch)
    ignored: list[tuple[Path, str]] = dataclasses.field(default_factory=list)  # (file, why it is not graded)
    originals: dict[Path, str] = dataclasses.field(default_factory=dict)  # file -> its name as the student gave it
    late: bool | None = None  # the LMS's own verdict (Canvas's LATE_)
    submitted: dt.datetime | None = None  # when, as far as the download says
    source: str = ""  # where late / submitted come from (lateness.SOURCES)

    def original(self, path: Path) -> str:
        return self.originals.get(path, path.name)


class Layout(Protocol):
    """How a download is laid out: which students, and which files are whose."""
    name: str

    def recognises(self, root: Path) -> bool:
        """Whether ``root`` is laid out this way."""

    def entries(self, root: Path, ex_ids: list[str]) -> Iterator[Entry]:
        """One ``Entry`` per student (a student may have several, one per exercise's file)."""


# ------------------------------------------------------------------ names
def resubmission(name: str) -> int:
    """0 for ``ex01.py``; N for ``ex01-N.py`` (Canvas: the same name uploaded again) or ``ex01 (N).py``
    (a browser's second download)."""
    stem = Path(name).stem
    m = re.search(r"(?:-(\d{1,3})| \((\d{1,3})\))$", stem)
    return int(m.group(1) or m.group(2)) if m else 0


def names_exercise(name: str, ex_id: str, module: str) -> bool:
    """Whether a file called ``name`` is for exercise ``ex_id`` (``ex01_conv_arithmetic-2.py``,
    ``HW_ex01.ipynb``; not ``ex011.py``)."""
    stem = Path(name).stem.lower()
    return stem.startswith(module.lower()) or re.search(rf"(?<![a-z0-9]){ex_id}(?![0-9])", stem) is not None


def kind_problem(path: Path) -> str | None:
    """Why a file cannot be graded by its kind (None: a .py, .ipynb or .zip)."""
    if path.suffix.lower() in KINDS:
        return None
    return _("not a .py, .ipynb or .zip file")


def visible(root: Path) -> list[Path]:
    """The entries of a folder a layout reads: no macOS metadata, no links (never followed)."""
    return sorted(p for p in root.iterdir() if not is_metadata([p.name]) and not p.is_symlink())


def files_under(folder: Path) -> list[Path]:
    """Every file under ``folder``, links neither followed nor listed (``grader/front/archive.py`` lists them)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) / d).is_symlink())
        out += [Path(dirpath) / f for f in sorted(filenames) if not (Path(dirpath) / f).is_symlink()]
    return out


def _mtime(path: Path) -> dt.datetime | None:
    try:
        if path.is_dir():
            stamps = [p.stat().st_mtime for p in files_under(path)]
            if not stamps:
                return None
            stamp = max(stamps)
        else:
            stamp = path.stat().st_mtime
    except OSError:
        return None
    return dt.datetime.fromtimestamp(stamp).astimezone()


def _share(claimed: int, total: int) -> bool:
    """A layout recognises a folder when it reads at least half of its entries (and one)."""
    return claimed >= 1 and 2 * claimed >= total


# ------------------------------------------------------------------ plain
class OnePerStudent:
    """One entry per student: ``alice.py``, a folder ``bob/`` (holding ``exercises/ex03_*.py`` or
    ``ex03_*.py`` anywhere inside), ``carol.zip`` of either, or ``dave.ipynb``; the id is the entry's
    name.  With several exercises, a single file is for the exercise its name holds (``alice_ex01.py``
    is alice's ex01).  Names starting with ``.`` or ``_`` and files of other kinds are not entries (they
    are listed as ignored, with the reason)."""
    name = "plain"
    summary = N_("plain: one entry per student, named by the student's id: alice.py, bob/, carol.zip, dave.ipynb")

    def recognises(self, root: Path) -> bool:
        return any(not p.name.startswith((".", "_")) and (p.is_dir() or p.suffix.lower() in KINDS)
                   for p in visible(root))

    def entries(self, root: Path, ex_ids: list[str]) -> Iterator[Entry]:
        for path in visible(root):
            student = path.stem if path.is_file() else path.name
            if path.name.startswith((".", "_")):
                yield Entry(student, student, [], ignored=[(path, _("a hidden name (it starts with . or _)"))])
            elif path.is_dir() or path.suffix == ".zip":
                yield Entry(student, student, [path], submitted=_mtime(path), source="file")
            elif path.suffix in GRADABLE:
                if len(ex_ids) == 1:
                    yield Entry(student, student, [path], submitted=_mtime(path), source="file")
                    continue
                m = re.search(r"ex\d\d", path.name)
                if m:
                    who = path.stem.replace(m.group(0), "").strip("_-") or student
                    yield Entry(who, who, [path], exercises={m.group(0)}, submitted=_mtime(path), source="file")
                else:
                    yield Entry(student, student, [], ignored=[(path, _("its name names no exercise (exNN)"))])
            else:
                yield Entry(student, student, [], ignored=[(path, kind_problem(path) or "")])


# ------------------------------------------------------------------ Canvas
@dataclasses.dataclass
class CanvasName:
    name: str  # the student's sortable name as Canvas writes it (kimminji); "" when anonymous
    user: str  # the user id (48213), or anon_ID
    late: bool
    file_id: int | None
    file: str  # the file's name as uploaded ("" for a text entry or a URL)
    kind: str = "file"  # file, text or link


def parse_canvas(filename: str) -> CanvasName | None:
    """``{name}_[LATE_]{user id}_{file id}_{file}``, ``{name}_[LATE_]{user id}_text.html`` or ``_link.html``
    (None: not a name Canvas gives).  Canvas keeps ``_digits_`` out of the name part, so the first two
    numbers in a row are the ids."""
    tokens = filename.split("_")
    for i in range(len(tokens) - 1):
        user, skip = tokens[i], 1
        if user == "anon" and i + 2 < len(tokens):
            user, skip = f"anon_{tokens[i + 1]}", 2
        elif not user.isdigit():
            continue
        rest = tokens[i + skip:]
        late = i > 0 and tokens[i - 1] == "LATE"
        name = "_".join(tokens[:i - 1 if late else i])
        if len(rest) >= 2 and rest[0].isdigit():
            return CanvasName(nfc(name), user, late, int(rest[0]), "_".join(rest[1:]))
        if rest in (["text.html"], ["link.html"]):
            return CanvasName(nfc(name), user, late, None, "", rest[0][:4])
    return None


class Canvas:
    name = "canvas"
    summary = N_("canvas: Canvas's Download Submissions, flat files named name_userid_fileid_file.py "
                 "(LATE_ before the user id of late work)")

    def recognises(self, root: Path) -> bool:
        items = visible(root)
        return _share(sum(p.is_file() and parse_canvas(p.name) is not None for p in items), len(items))

    def entries(self, root: Path, ex_ids: list[str]) -> Iterator[Entry]:
        by_user: dict[str, list[tuple[Path, CanvasName]]] = {}
        for path in visible(root):
            parsed = parse_canvas(path.name) if path.is_file() else None
            if parsed is not None:
                by_user.setdefault(parsed.user, []).append((path, parsed))
        for user, items in by_user.items():
            entry = Entry(user, next((c.name for _p, c in items if c.name), user), [], source="canvas",
                          late=any(c.late for _p, c in items))
            files = []
            for path, c in items:
                if c.kind == "text":
                    entry.ignored.append((path, _("an online text entry, not graded")))
                elif c.kind == "link":
                    entry.ignored.append((path, _("a website URL, not graded")))
                elif kind_problem(Path(c.file)):
                    entry.ignored.append((path, kind_problem(Path(c.file))))
                else:
                    files.append((resubmission(c.file), c.file_id or 0, path.name, path))
                    entry.originals[path] = nfc(c.file)
            entry.files = [f[-1] for f in sorted(files)]
            yield entry


# ------------------------------------------------------------------ Moodle
MOODLE = re.compile(r"^(?P<name>.*)_(?P<id>\d+)_(?P<plugin>assign(?:submission|feedback)_[a-z0-9]+)(?:_(?P<file>.*))?$",
                    re.S)


def parse_moodle(filename: str) -> tuple[str, str, str, str | None] | None:
    """(full name, participant id, plugin, file name or None for a folder) of a name in Moodle's download."""
    m = MOODLE.match(nfc(filename))
    if not m:
        return None
    return m.group("name"), m.group("id"), m.group("plugin"), m.group("file") or None


class Moodle:
    name = "moodle"
    summary = N_("moodle: Moodle's Download all submissions, folders named "
                 "Full name_participantid_assignsubmission_file_")

    def recognises(self, root: Path) -> bool:
        items = visible(root)
        return _share(sum(parse_moodle(p.name) is not None for p in items), len(items))

    def entries(self, root: Path, ex_ids: list[str]) -> Iterator[Entry]:
        by_id: dict[str, Entry] = {}
        files: dict[str, list[tuple]] = {}
        for path in visible(root):
            parsed = parse_moodle(path.name)
            if parsed is None:
                continue
            full_name, pid, plugin, flat = parsed
            entry = by_id.setdefault(pid, Entry(pid, full_name or pid, [], source="moodle"))
            if plugin != "assignsubmission_file":
                why = (_("online text, not graded") if plugin == "assignsubmission_onlinetext"
                       else _("feedback ({plugin}), not a submission").format(plugin=plugin)
                       if plugin.startswith("assignfeedback_")
                       else _("{plugin}: not a file submission, not graded").format(plugin=plugin))
                entry.ignored.append((path, why))
                continue
            inside = [path] if path.is_file() else files_under(path)
            for f in inside:
                original = flat if path.is_file() else f.relative_to(path).as_posix()
                if is_metadata(Path(original).parts):
                    entry.ignored.append((f, _("macOS metadata, no one's work")))
                elif kind_problem(f):
                    entry.ignored.append((f, kind_problem(f)))
                else:
                    entry.originals[f] = nfc(Path(original).name)
                    files.setdefault(pid, []).append((resubmission(f.name), f.stat().st_mtime, original, f))
        for pid, entry in by_id.items():
            entry.files = [f[-1] for f in sorted(files.get(pid, []))]
            yield entry


# ------------------------------------------------------------------ GitHub Classroom
def _is_repo(path: Path) -> bool:
    return path.is_dir() and (path / ".git").exists()


def _common_prefix(names: list[str]) -> str:
    """The assignment's prefix of the repositories' names, up to its last ``-``."""
    prefix = os.path.commonprefix(names)
    return prefix[:prefix.rfind("-") + 1] if "-" in prefix else ""


def last_commit(repo: Path) -> dt.datetime | None:
    """The time of the repository's last commit (git's committer date), None without git or a commit."""
    try:
        run = subprocess.run(["git", "-c", "safe.directory=*", "-C", str(repo), "log", "-1", "--format=%cI"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        return dt.datetime.fromisoformat(run.stdout.strip()) if run.returncode == 0 and run.stdout.strip() else None
    except ValueError:
        return None


class GitHubClassroom:
    name = "gh-classroom"
    summary = N_("gh-classroom: gh classroom clone student-repos, a repository assignment-username/ per student")

    def recognises(self, root: Path) -> bool:
        items = visible(root)
        return _share(sum(_is_repo(p) for p in items), len(items))

    def prefix(self, root: Path, repos: list[str]) -> str:
        if root.name.endswith("-submissions"):  # gh classroom clone's folder: {assignment slug}-submissions
            slug = root.name[: -len("-submissions")] + "-"
            if all(r.startswith(slug) for r in repos):
                return slug
        return _common_prefix(repos) if len(repos) > 1 else ""

    def entries(self, root: Path, ex_ids: list[str]) -> Iterator[Entry]:
        items = visible(root)
        repos = [p for p in items if _is_repo(p)]
        prefix = self.prefix(root, [p.name for p in repos])
        for path in items:
            if not _is_repo(path):
                why = _("not a repository (no .git)") if path.is_dir() else kind_problem(path) or \
                    _("a file beside the repositories")
                yield Entry(path.name, path.name, [], ignored=[(path, why)])
                continue
            user = path.name[len(prefix):] or path.name
            yield Entry(user, user, [path], submitted=last_commit(path), source="git")


# ------------------------------------------------------------------ the choice
PLAIN = OnePerStudent()
CANVAS, MOODLE_LAYOUT, GH_CLASSROOM = Canvas(), Moodle(), GitHubClassroom()
LAYOUTS: list[Layout] = [CANVAS, MOODLE_LAYOUT, GH_CLASSROOM, PLAIN]  # the first that recognises a folder reads it
BY_NAME = {lay.name: lay for lay in LAYOUTS}


def recognise(root: Path) -> Layout | None:
    return next((lay for lay in LAYOUTS if lay.recognises(root)), None)


def seen(root: Path) -> str:
    """What a folder holds, in a few words: ``3 .pdf files, 2 folders``."""
    items = visible(root)
    kinds = Counter("/" if p.is_dir() else (p.suffix.lower() or _("(no extension)")) for p in items)
    if not items:
        return _("nothing")
    parts = []
    for kind, n in kinds.most_common(6):
        if kind == "/":
            parts.append(_("{n} folder(s)").format(n=n))
        else:
            parts.append(_("{n} {kind} file(s)").format(n=n, kind=kind))
    examples = ", ".join(p.name for p in items[:3])
    return _("{kinds}, such as {examples}").format(kinds=", ".join(parts), examples=examples)


def unrecognised(root: Path, layout: Layout | None = None) -> UsageError:
    """The error for a folder no layout reads (or that ``layout``, forced, does not)."""
    known = "\n".join("  " + _(lay.summary) for lay in LAYOUTS if hasattr(lay, "summary"))
    if layout is None:
        head = _("cannot tell how {root} is laid out: it holds {seen}.").format(root=root, seen=seen(root))
    else:
        head = _("{root} is not laid out as --layout {name} reads a download: it holds {seen}.").format(
            root=root, name=layout.name, seen=seen(root))
        other = recognise(root)
        if other is not None and other is not layout:
            head += " " + _("It looks like a {name} download.").format(name=other.name)
    return UsageError(head + "\n" + _("Layouts known (force one with --layout NAME):") + "\n" + known)


# ------------------------------------------------------------------ Moodle's grading worksheet
@dataclasses.dataclass
class Worksheet:
    """Moodle's grading worksheet (Assignment > View all submissions > Download grading worksheet): a CSV
    with ``Identifier`` (``Participant 1012``), ``Full name``, ``Status``, ``Grade``, ``Maximum Grade``,
    ``Last modified (submission)``, ``Last modified (grade)``, ``Feedback comments``...  Kept as it was read
    (byte order mark, line ends, every cell) so that it is written back changed only where it is filled."""
    path: Path
    header: list[str]
    rows: list[list[str]]
    bom: bool = False
    newline: str = "\n"

    def column(self, name: str) -> int | None:
        lower = [h.strip().lower() for h in self.header]
        return lower.index(name.lower()) if name.lower() in lower else None

    def cell(self, row: list[str], name: str) -> str:
        i = self.column(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    @staticmethod
    def participant(identifier: str) -> str:
        """``Participant 1012`` -> ``1012`` (Moodle's importer reads the number after its word for
        "Participant", in whatever language)."""
        m = re.search(r"(\d+)\s*$", identifier or "")
        return m.group(1) if m else (identifier or "").strip()

    def submissions(self, deadline: dt.datetime | None = None) -> dict[str, dict | None]:
        """Participant id -> its ``late`` field (``lateness.record``): the time of "Last modified
        (submission)" against ``deadline``, or Moodle's own "... late" in its status."""
        out = {}
        for row in self.rows:
            pid = self.participant(self.cell(row, "Identifier"))
            status = re.sub(r"\s+", " ", self.cell(row, "Status"))
            said_late = re.search(r"\blate\b", status, re.I) is not None  # "... submitted 1 day 2 hours late"
            marked = True if said_late else None  # a status that does not say late does not say on time
            when = lateness.parse_lms_time(self.cell(row, "Last modified (submission)"),
                                           deadline.tzinfo if deadline else None)
            out[pid] = lateness.record("moodle", marked=marked, submitted=when, deadline=deadline,
                                       status=status if said_late else "")
        return out


def read_worksheet(path: Path) -> Worksheet:
    if not path.is_file():
        raise UsageError(_("no such worksheet: {path}").format(path=path))
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig", errors="replace")
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise UsageError(_("the worksheet {path} is empty").format(path=path))
    sheet = Worksheet(path, rows[0], [r for r in rows[1:] if any(c.strip() for c in r)], bom, newline)
    if sheet.column("Identifier") is None:
        raise UsageError(_("{path} is not Moodle's grading worksheet: it has no Identifier column (it has: "
                           "{columns})").format(path=path, columns=", ".join(sheet.header)))
    return sheet
