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

Discovery reads a folder of submissions through a ``Layout``: a layout recognises
how the download is laid out and yields one ``Entry`` per student (the student's
id, display name, files, and the files it ignores with the reason); ``locate``
then finds each exercise's file among an entry's files (unpacking a ``.zip``).
``PLAIN`` (one entry per student: ``alice.py``, ``bob/``, ``carol.zip``,
``dave.ipynb``; the id is the entry's name) is the only layout today.  An LMS's
download (Canvas's flat files ``{name}_{user_id}_{submission_id}_{file}``, Moodle's
``{Full name}_{participant id}_assignsubmission_file_/`` folders, GitHub
Classroom's ``{assignment}-{username}/`` clones) is another ``Layout`` added to
``LAYOUTS`` before ``PLAIN``, which recognises anything.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any, Iterator, Protocol

from grader.core.errors import UsageError
from grader.core.i18n import _
from grader.core.outcome import Report, Status

MAX_UNZIPPED_BYTES = 64 * 2**20


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
        """One ``Handin`` per (student, exercise) of the folder ``root``, read through ``layout`` (by
        default the first of ``LAYOUTS`` that recognises it); ``.zip`` files are unpacked into
        ``work/unpacked/STUDENT``."""
        if not root.is_dir():
            raise UsageError(_("{root} is not a folder of submissions").format(root=root))
        layout = layout or next(lay for lay in LAYOUTS if lay.recognises(root))
        from grader import checks
        names = checks.module_names()
        found = []
        for entry in layout.entries(root, ex_ids):
            unpacked: dict[Path, Path | str] = {}  # an entry's archive is unpacked once for all its exercises
            for ex in ex_ids:
                if entry.exercises is None or ex in entry.exercises:
                    handin = locate(entry, ex, names[ex], work, unpacked)
                    if handin is not None:
                        found.append(handin)
        return found

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


@dataclasses.dataclass
class Entry:
    """One student's part of a download, as a layout reads it."""
    student: str  # the id the results are keyed by
    name: str  # how the student is shown
    files: list[Path]  # what the student handed in: .py / .ipynb files, folders, .zip archives
    exercises: set[str] | None = None  # the exercises these files are for (None: any of the batch)
    ignored: list[tuple[Path, str]] = dataclasses.field(default_factory=list)  # (file, why it is not graded)


class Layout(Protocol):
    """How a download is laid out: which students, and which files are whose."""
    name: str

    def recognises(self, root: Path) -> bool:
        """Whether ``root`` is laid out this way."""

    def entries(self, root: Path, ex_ids: list[str]) -> Iterator[Entry]:
        """One ``Entry`` per student (a student may have several, one per exercise's file)."""


class OnePerStudent:
    """One entry per student: ``alice.py``, a folder ``bob/`` (holding ``exercises/ex03_*.py`` or
    ``ex03_*.py`` anywhere inside), ``carol.zip`` of either, or ``dave.ipynb``; the id is the entry's
    name.  With several exercises, a single file is for the exercise its name holds (``alice_ex01.py``
    is alice's ex01).  Names starting with ``.`` or ``_`` and files of other kinds are not entries."""
    name = "plain"

    def recognises(self, root: Path) -> bool:
        return True  # the fallback: any folder is read this way

    def entries(self, root: Path, ex_ids: list[str]) -> Iterator[Entry]:
        for path in sorted(root.iterdir()):
            if path.name.startswith((".", "_")):
                continue
            student = path.stem if path.is_file() else path.name
            if path.is_dir() or path.suffix == ".zip":
                yield Entry(student, student, [path])
            elif path.suffix in (".py", ".ipynb"):
                if len(ex_ids) == 1:
                    yield Entry(student, student, [path])
                    continue
                m = re.search(r"ex\d\d", path.name)
                if m:
                    who = path.stem.replace(m.group(0), "").strip("_-") or student
                    yield Entry(who, who, [path], exercises={m.group(0)})


PLAIN = OnePerStudent()
LAYOUTS: list[Layout] = [PLAIN]  # the first that recognises a folder reads it; PLAIN recognises anything


def locate(entry: Entry, ex_id: str, module: str, work: Path,
           unpacked: dict[Path, Path | str] | None = None) -> Handin | None:
    """The exercise's file among an entry's files: a ``.py``/``.ipynb`` file is graded as it is, a folder
    or ``.zip`` (unpacked into ``work/unpacked/STUDENT``; ``unpacked`` remembers archive -> its folder, or
    why it cannot be unpacked) is searched (``find_in_folder``).  None when the entry has nothing that
    could hold it."""
    unpacked = {} if unpacked is None else unpacked
    for path in entry.files:
        if path.is_dir() or path.suffix == ".zip":
            folder = path
            if path.is_file():
                if path not in unpacked:
                    try:
                        unpacked[path] = unpack(path, work / "unpacked" / entry.student)
                    except (zipfile.BadZipFile, ValueError, OSError) as e:
                        unpacked[path] = cannot_unpack(path, e)
                if isinstance(unpacked[path], str):
                    return Handin(entry.student, ex_id, None, unpacked[path], entry.name)
                folder = unpacked[path]
            found = find_in_folder(folder, ex_id, module)
            return Handin(entry.student, ex_id, str(found) if found else None,
                          "" if found else not_found(module, path), entry.name)
        if path.suffix in (".py", ".ipynb"):
            return Handin(entry.student, ex_id, str(path), "", entry.name)
    return None


def unpack(archive: Path, dest: Path) -> Path:
    """Extract safely (no absolute paths, no '..', bounded size) and return the folder."""
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            name = info.filename
            if name.startswith("/") or ".." in Path(name).parts or info.is_dir():
                continue
            if "__MACOSX" in name:
                continue
            total += info.file_size
            if total > MAX_UNZIPPED_BYTES:
                raise ValueError(_("the archive unpacks to more than {mb} MB").format(mb=MAX_UNZIPPED_BYTES // 2**20))
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    return dest


def find_in_folder(folder: Path, ex_id: str, module: str) -> Path | None:
    """The exercise's file in a student's folder: the shallowest, preferring exercises/<module>.py."""
    candidates = []
    for pattern in (f"{module}.py", f"{module}.ipynb", f"{ex_id}*.py", f"{ex_id}*.ipynb"):
        candidates += [p for p in folder.rglob(pattern) if p.is_file() and "__MACOSX" not in p.parts]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (len(p.relative_to(folder).parts), p.parent.name != "exercises", str(p)))


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
