"""One way in for a submission: ``Submission.load(path)``.

Every front end turns what a student handed in into the text of one module
here, and nowhere else: ``grade`` (``--file``, also the Gradescope bundle's
``run_autograder``), ``grade batch`` (an entry of the submissions folder: a
file, a folder or a ``.zip``), ``check()`` in a notebook (the kernel's cells)
and ``grade quiz grade`` (an answer file).  A submission carries

* ``text``: the module to grade (a ``.py`` file as it is; for a notebook, the
  module its code defines: ``grader/front/extract.py``), or None when there is
  nothing to grade;
* ``name``: how the student knows it (``alice.py``, ``ex03.ipynb``);
* ``notes``: what was left out and why ("cell 4 does not parse ...; it was left
  out"), shown under the report wherever the report goes;
* ``problem``, ``status`` and ``hint``: why there is nothing to grade, and the
  outcome every check gets then (``grade``).
"""
from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path
from typing import Any

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
            return cls._entry(path, exercise, work)
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

    @classmethod
    def _entry(cls, entry: Path, exercise, work: Path | None) -> "Submission":
        try:
            folder = unpack(entry, (work or entry.parent) / "unpacked" / entry.stem) if entry.is_file() else entry
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            return cls.missing(entry.name, cannot_unpack(entry, e))
        found = find_in_folder(folder, exercise.id, exercise.module)
        if found is None:
            return cls.missing(entry.name, not_found(exercise.module, entry))
        return cls.load(found)

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


# ------------------------------------------------------------------ batch entries
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
