"""One way in for a submission: ``Submission.load(path)``, and one way to find them: ``Submission.discover``.

Every front end turns what a student handed in into the text of one module
here, and nowhere else: ``grade`` (``--file``, also the Gradescope bundle's
``run_autograder``), ``grade batch`` and ``grade similar`` (an entry of the
submissions folder: a file, a folder or a ``.zip``), ``check()`` in a notebook
(the kernel's cells) and ``grade quiz grade`` (an answer file).  A submission carries

* ``text``: the module to grade (a ``.py`` file as it is; for a notebook, the
  module its code defines: ``grader/front/extract.py``), or None when there is
  nothing to grade;
* ``name``: how the student knows it (``alice.py``, ``ex03.ipynb``);
* ``notes``: what was left out and why ("cell 4 does not parse ...; it was left
  out"), shown under the report wherever the report goes;
* ``problem``, ``status`` and ``hint``: why there is nothing to grade, and the
  outcome every check gets then (``grade``).

Discovery reads a download -- a folder, or the ``.zip`` as an LMS gave it (unpacked safely:
``grader/front/archive.py``) -- through a ``Layout`` (``grader/front/layouts.py``: Canvas's flat files
``{name}_{user_id}_{file_id}_{file}``, Moodle's ``{Full name}_{participant id}_assignsubmission_file_/``
folders, GitHub Classroom's ``{assignment}-{username}/`` clones, or one entry per student): a layout
recognises how the download is laid out and yields one ``Entry`` per student (the LMS's id for the
student, the display name, the files oldest first, and the files it ignores with the reason).  ``_locate``
then finds each exercise's file among an entry's files (the latest of several; a folder or ``.zip`` is
searched).  ``read_download`` returns every ``Handin`` and lists every other file of the download,
ignored or refused, with the reason; ``Submission.discover`` is its handins.
"""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any, Iterator

from grader.core.errors import UsageError
from grader.core.i18n import _
from grader.core.outcome import Report, Status
from grader.front import archive
from grader.front.layouts import GRADABLE, LAYOUTS, PLAIN, Entry, Layout, names_exercise  # noqa: F401 (LAYOUTS)

MAX_UNZIPPED_BYTES = archive.STUDENT_BYTES


@dataclasses.dataclass
class Submission:
    name: str
    text: str | None
    notes: list[str] = dataclasses.field(default_factory=list)
    path: Path | None = None
    problem: str = ""  # why there is nothing to grade (text is None)
    status: Status = Status.ERROR  # what every check gets then
    hint: str = ""
    extraction: Any = None  # a notebook's ``Extraction`` (what each name's cell is), None for a .py

    @classmethod
    def load(cls, path: str | Path, *, exercise=None, work: Path | None = None) -> "Submission":
        """A ``.py`` file, a notebook, or (with ``exercise``) an entry of a batch folder: a folder or a
        ``.zip`` (unpacked into ``work``) holding the exercise's file.  Never raises for what the
        submission is: a file that cannot be read is a ``problem``."""
        path = Path(path)
        if exercise is not None and (path.is_dir() or path.suffix == ".zip"):
            entry = Entry(path.stem if path.is_file() else path.name, path.name, [path])
            found = locate(entry, exercise.id, exercise.module, work or path.parent)
            if found is None or found.source is None:
                return cls.missing(path.name, found.problem if found else not_found(exercise.module, path))
            return cls.load(found.source)
        if path.suffix == ".ipynb":
            from grader.front.extract import NotebookError, extract_notebook
            try:
                nb = extract_notebook(path)
            except NotebookError as e:  # not JSON, or a cell that does not parse: an outcome, not a traceback
                return cls(path.name, None, path=path, problem=_("the notebook cannot be read: {error}").format(
                    error=e), hint=_("Open it in Jupyter and save it again."))
            return cls(path.name, nb.source, list(nb.notes), path=path, extraction=nb)
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError as e:
            return cls(path.name, None, path=path, problem=_("{name} cannot be read: {error}").format(
                name=path.name, error=e.strerror or e), hint=_("Submit the exercise file."))
        return cls(path.name, text, path=path)

    @classmethod
    def from_cells(cls, cells, name: str) -> "Submission":
        """What a running kernel defines (``check()`` in a notebook): broken inputs changed nothing
        in the kernel, so they are left out with a note."""
        from grader.front.extract import build_module
        nb = build_module(cells, name=name, strict=False)
        return cls(name, nb.source, list(nb.notes), extraction=nb)

    @classmethod
    def missing(cls, name: str, problem: str) -> "Submission":
        """Nothing handed in (or nothing found in what was): every check NOT_ATTEMPTED."""
        return cls(name, None, problem=problem, status=Status.NOT_ATTEMPTED, hint=_("Submit the exercise file."))

    @staticmethod
    def discover(root: Path, ex_ids: list[str], work: Path, layout: "Layout | None" = None) -> list["Handin"]:
        """One ``Handin`` per (student, exercise) of the download ``root`` (a folder or a .zip), read through
        ``layout`` (by default the one ``layouts.recognise`` picks); archives are unpacked under ``work``.
        ``read_download`` also lists what was not graded, and why."""
        return read_download(root, ex_ids, work, layout).handins

    def grade(self, ex, *, hidden: bool = False, **kwargs) -> Report:
        """The report of this submission: the engine's (with the notes first), or every check
        ``status`` when there is nothing to grade."""
        if self.text is None:
            return Report.uniform(ex, self.status, self.problem, self.hint, hidden=hidden, notes=self.notes)
        from grader.core.engine import grade_file
        report = grade_file(ex, str(self.path) if self.path else f"<{ex.module}>", hidden=hidden,
                            source_text=self.text, **kwargs)
        report.notes[:0] = self.notes
        return report


# ------------------------------------------------------------------ discovery
@dataclasses.dataclass
class Handin:
    """What one student handed in for one exercise: the file to grade, or why there is none.  Small
    and plain: ``grade batch`` sends it to its workers, which load the file (``Submission.load``)."""
    student: str  # the id the results are keyed by
    exercise: str
    source: str | None  # path of the file to grade (None: nothing found)
    problem: str = ""  # why there is nothing to grade
    name: str = ""  # how the student is shown (the layout's display name; the id when it has none)
    graded: str = ""  # the graded file as the download names it (``kimminji_48213_3311001_ex01.py``)
    others: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (file, why it was not graded)
    late: dict | None = None  # ``lateness.record``: when it was handed in, and whether that was late
    history: str | None = None  # a learning-trail history handed in with it (``carried_history``), or None


@dataclasses.dataclass
class Download:
    """What ``Submission.read_download`` found: every file of the download is graded (a ``Handin``) or
    listed here, ignored or refused, with the reason."""
    given: Path  # the folder or .zip named on the command line
    root: Path  # the folder read (a .zip's is unpacked under work/download)
    layout: str
    handins: list[Handin]
    students: int = 0
    ignored: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (file in the download, why)
    refused: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (file, why it was not read)
    notes: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict:
        return {"given": str(self.given), "layout": self.layout, "students": self.students,
                "ignored": [{"file": f, "why": w} for f, w in self.ignored],
                "refused": [{"file": f, "why": w} for f, w in self.refused], "notes": list(self.notes)}


def read_download(given: Path, ex_ids: list[str], work: Path, layout: Layout | None = None, *,
                  deadline=None, worksheet: Path | None = None) -> Download:
    """Read a download -- a folder, or the .zip as the LMS gave it -- through ``layout`` (by default the one
    ``layouts.recognise`` picks): one ``Handin`` per (student, exercise), keyed by the LMS's id, with the late
    field (``deadline``: a datetime; ``worksheet``: Moodle's grading worksheet); everything else is listed."""
    from grader.front import lateness
    from grader.front.layouts import read_worksheet, recognise, unrecognised, visible
    refused: list[tuple[str, str]] = []
    ignored: list[tuple[str, str]] = []
    notes: list[str] = []
    if given.is_file() and given.suffix.lower() == ".zip":
        root = work / "download"
        shutil.rmtree(root, ignore_errors=True)
        try:
            got = archive.unpack(given, root, archive.DOWNLOAD_BYTES)
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            raise UsageError(_("{path} cannot be unpacked: {error}").format(path=given, error=e)) from None
        refused += got.refused
        ignored += got.ignored
        notes.append(_("{zip} unpacked into {folder}").format(zip=given.name, folder=root))
    elif given.is_dir():
        root = given
    else:
        raise UsageError(_("{root} is not a folder of submissions (or a .zip of one)").format(root=given))
    links = [p for p in _walk(root) if p.is_symlink()]
    refused += [(_rel(p, root), _("a link (links in a download are never followed)")) for p in links]
    forced = layout is not None
    if layout is None:
        items = visible(root)
        inner = recognise(items[0]) if len(items) == 1 and items[0].is_dir() else None
        if inner is not None and inner is not PLAIN:  # a download zipped inside one folder
            notes.append(_("read the folder {folder} inside {given}").format(folder=items[0].name, given=given.name))
            root = items[0]
            layout = inner
        else:
            layout = recognise(root)
        if layout is None:
            raise unrecognised(root)
    entries = list(layout.entries(root, ex_ids))
    if forced and not any(e.files for e in entries) and visible(root):
        raise unrecognised(root, layout)
    times: dict[str, dict | None] | None = None
    if worksheet is not None:
        if layout.name != "moodle":
            raise UsageError(_("--worksheet is Moodle's grading worksheet, and {given} is a {layout} download").format(
                given=given, layout=layout.name))
        times = read_worksheet(worksheet).submissions(deadline)
    elif deadline is not None and layout.name == "canvas":
        notes.append(_("Canvas marks late work itself (LATE_ in the file name) and gives no times: --deadline is "
                       "not used for a Canvas download"))
    elif deadline is not None and layout.name == "moodle":
        notes.append(_("Moodle's download gives no submission times: give its grading worksheet with --worksheet "
                       "for --deadline to tell late work"))
    from grader import checks
    names = checks.module_names()
    handins: list[Handin] = []
    accounted: set[Path] = set(links)
    students = set()
    for entry in entries:
        accounted.update(p for p, _w in entry.ignored)
        ignored += [(_rel(p, root), why) for p, why in entry.ignored]
        if times is not None:
            late = times.get(entry.student)
        elif entry.source == "canvas":
            late = lateness.record("canvas", marked=entry.late)
        elif deadline is not None:
            late = lateness.record(entry.source, submitted=entry.submitted, deadline=deadline)
        else:
            late = None
        unpacked: dict[Path, archive.Unpacked | str] = {}  # an entry's archive is unpacked once for all its exercises
        used: dict[Path, str] = {}  # entry file -> the exercise it was graded for
        mine = []
        for ex in ex_ids:
            if entry.exercises is None or ex in entry.exercises:
                handin, took = _locate(entry, ex, names[ex], work, unpacked, len(ex_ids) == 1, root)
                if handin is not None:
                    handin.late = late
                    mine.append(handin)
                    used.update((p, ex) for p in took)
        for zipped, got in unpacked.items():
            if isinstance(got, archive.Unpacked):
                refused += [(f"{_rel(zipped, root)}/{n}", why) for n, why in got.refused]
                ignored += [(f"{_rel(zipped, root)}/{n}", why) for n, why in got.ignored]
        for h in mine:  # the earlier submissions passed over: not graded, so listed with the reason
            ignored += [(f, why) for f, why in h.others]
        rest = [p for p in entry.files if p not in used]
        for p in rest:
            why = _passed_over(entry, p, mine, ex_ids, names)
            ignored.append((_rel(p, root), why))
            if len(mine) == 1 and all(_rel(p, root) != f for f, _w in mine[0].others):
                mine[0].others.append((_rel(p, root), why))
        accounted.update(entry.files)
        handins += mine
        students.update(h.student for h in mine)
    for path in _unaccounted(root, accounted):
        why = _("macOS metadata, no one's work") if archive.is_metadata(path.relative_to(root).parts) else \
            _("not named as a {layout} download names a student's work").format(layout=layout.name)
        ignored.append((_rel(path, root), why))
    return Download(given, root, layout.name, handins, len(students), ignored, refused, notes)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _walk(root: Path) -> Iterator[Path]:
    """Every path under ``root``, links not followed."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            yield Path(dirpath) / name


def _unaccounted(root: Path, accounted: set[Path]) -> list[Path]:
    """The paths under ``root`` that no entry took or listed: a folder whose files were taken one by one is
    looked into, a folder taken whole is not."""
    out = []
    for path in sorted(root.iterdir()):
        if path in accounted:
            continue
        if path.is_dir() and not path.is_symlink() and any(a.is_relative_to(path) for a in accounted):
            out += _unaccounted(path, accounted)
        else:
            out.append(path)
    return out


def _passed_over(entry: Entry, path: Path, mine: list[Handin], ex_ids: list[str], names: dict) -> str:
    """Why a file of ``entry`` was not graded."""
    original = entry.original(path)
    for h in mine:
        if names_exercise(original, h.exercise, names[h.exercise]) and h.graded:
            return _("an earlier submission: {graded} was graded").format(graded=h.graded)
    for ex in names:
        if ex not in ex_ids and names_exercise(original, ex, names[ex]):
            return _("for {exercise}, not an exercise of this batch").format(exercise=ex)
    if len(mine) == 1 and mine[0].graded:
        return _("not graded: {graded} was graded for {exercise}").format(graded=mine[0].graded,
                                                                          exercise=mine[0].exercise)
    return _("for no exercise of this batch ({exercises})").format(exercises=", ".join(ex_ids))


def _locate(entry: Entry, ex_id: str, module: str, work: Path, unpacked: dict, only: bool,
            root: Path | None) -> tuple[Handin | None, list[Path]]:
    """The exercise's file among an entry's files, and the entry's files it took.  In order: the latest
    ``.py``/``.ipynb`` named for the exercise; else the latest folder or ``.zip`` holding it (unpacked into
    ``work/unpacked/STUDENT``; ``unpacked`` remembers archive -> its folder, or why it cannot be unpacked);
    else, when the entry's files are for this exercise whatever their names (one exercise in the batch, or a
    file the layout gave this exercise), its latest ``.py``/``.ipynb``.  None when the entry has nothing
    that could hold it."""
    def shown(p: Path) -> str:
        return _rel(p, root) if root is not None else p.name
    direct = [p for p in entry.files if p.is_file() and p.suffix.lower() in GRADABLE]
    containers = [p for p in entry.files if p.is_dir() or p.suffix.lower() == ".zip"]
    found: list[tuple[Path, Path, str]] = [(p, p, shown(p)) for p in direct
                                           if names_exercise(entry.original(p), ex_id, module)]
    missing: list[tuple[Path, str]] = []
    if not found:
        for c in containers:
            folder = c
            if c.is_file():
                if c not in unpacked:
                    try:
                        unpacked[c] = archive.unpack(c, work / "unpacked" / _safe(entry.student) / c.stem,
                                                     archive.STUDENT_BYTES)
                    except (zipfile.BadZipFile, ValueError, OSError) as e:
                        unpacked[c] = cannot_unpack(c, e)
                if isinstance(unpacked[c], str):
                    missing.append((c, unpacked[c]))
                    continue
                folder = unpacked[c].folder
            inner = find_in_folder(folder, ex_id, module)
            if inner is None:
                missing.append((c, not_found(module, c)))
            else:
                found.append((c, inner, f"{shown(c)}/{inner.relative_to(folder).as_posix()}"))
    if not found and (only or entry.exercises == {ex_id}):
        found = [(p, p, shown(p)) for p in direct]
    if not found:
        if not missing:
            return None, []
        c, why = missing[-1]
        return Handin(entry.student, ex_id, None, why, entry.name), [c for c, _w in missing]
    item, graded, label = found[-1]
    others = [(lab, _("an earlier submission: {graded} was graded").format(graded=label))
              for _i, _g, lab in found[:-1]]
    history = carried_history(graded, item if item.is_dir() else unpacked[item].folder) if graded != item else None
    return (Handin(entry.student, ex_id, str(graded), "", entry.name, label, others,
                   history=str(history) if history else None),
            [i for i, _g, _l in found] + [c for c, _w in missing])


def carried_history(graded: Path, top: Path) -> Path | None:
    """The learning-trail history handed in beside the exercise's file in a folder or ``.zip`` (``grade
    submit`` puts ``history.jsonl`` beside it; a course folder handed in whole has ``.grade/history.jsonl``):
    looked for from the file's folder up to the top of what was handed in, links never followed.  None: a
    submission without a history, graded as any other."""
    from grader.front.trail import ARCHIVE_NAME, FOLDER, HISTORY
    folder = graded.parent
    while True:
        for candidate in (folder / ARCHIVE_NAME, folder / FOLDER / HISTORY):
            if candidate.is_file() and not candidate.is_symlink() and not candidate.parent.is_symlink():
                return candidate
        if folder == top or top not in folder.parents:
            return None
        folder = folder.parent


def locate(entry: Entry, ex_id: str, module: str, work: Path, unpacked: dict | None = None) -> Handin | None:
    """The exercise's file among an entry's files (see ``_locate``), as ``Submission.load`` finds it in a
    batch entry: a ``.py``/``.ipynb`` file is graded as it is, a folder or ``.zip`` is searched."""
    return _locate(entry, ex_id, module, work, {} if unpacked is None else unpacked, True, None)[0]


def _safe(student: str) -> str:
    return re.sub(r"[^\w.@-]+", "_", student)


def unpack(archive_path: Path, dest: Path) -> Path:
    """Extract a student's archive safely (``grader/front/archive.py``: nothing outside ``dest``, no links,
    bounded size) and return the folder."""
    return archive.unpack(archive_path, dest, archive.STUDENT_BYTES).folder


def find_in_folder(folder: Path, ex_id: str, module: str) -> Path | None:
    """The exercise's file in a student's folder: the shallowest, preferring exercises/<module>.py; links are
    never followed, macOS's metadata never read."""
    candidates = []
    for path in _walk(folder):
        if path.is_symlink() or not path.is_file() or archive.is_metadata(path.relative_to(folder).parts):
            continue
        if path.name in (f"{module}.py", f"{module}.ipynb") or (
                path.name.startswith(ex_id) and path.suffix in (".py", ".ipynb")):
            candidates.append(path)
    if not candidates:
        return None
    return min(candidates, key=lambda p: (len(p.relative_to(folder).parts), p.parent.name != "exercises",
                                          p.name not in (f"{module}.py", f"{module}.ipynb"), str(p)))


def cannot_unpack(entry: Path, error: Exception) -> str:
    return _("{name} cannot be unpacked: {error}").format(name=entry.name, error=error)


def not_found(module: str, entry: Path) -> str:
    return _("no {module}.py (or .ipynb) in {name}").format(module=module, name=entry.name)


def require_file(path: Path) -> Path:
    """A file ``grade --file`` can grade (UsageError otherwise)."""
    if not path.is_file():
        raise UsageError(_("no such file: {path}").format(path=path))
    if path.suffix not in (".py", ".ipynb"):
        raise UsageError(_("{path} is not a Python file (.py) or a notebook (.ipynb)").format(path=path))
    return path
