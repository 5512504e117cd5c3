"""Temporary folders a grading process makes for itself (the sandbox's scratch root, bubblewrap's wrapper), removed
when that process ends -- also when it ends with ``os._exit``, as ``grade`` and the warm grader's server do to
skip TensorFlow's slow teardown, which runs no ``atexit`` handler.  Without it every ``grade`` left two empty
folders and multiprocessing's ``pymp-*`` folder in the temporary folder: hundreds a week for a student, never
cleaned on Windows.  Standard library only, imported when used: the warm grader's client ends through it too."""
from __future__ import annotations

import atexit
import os
import sys

_made: dict[str, int] = {}  # folder -> the pid that made it (a forked child must not remove its parent's)


def folder(prefix: str) -> str:
    """A new folder in the temporary folder, removed when this process ends (``remove``)."""
    import tempfile
    path = tempfile.mkdtemp(prefix=prefix)
    if not _made:
        atexit.register(remove)
    _made[path] = os.getpid()
    return path


def remove(*, ending: bool = False) -> None:
    """Remove the folders this process made.  ``ending``: the process ends now with ``os._exit`` -- also
    multiprocessing's own temporary folder (its fork server's socket), which its exit handler would remove."""
    import shutil  # (here: the warm grader's client, which made no folder, ends without importing it)
    for path, pid in list(_made.items()):
        if pid == os.getpid():
            shutil.rmtree(path, ignore_errors=True)
            del _made[path]
    if ending and "multiprocessing" in sys.modules:
        try:
            from multiprocessing import process
            config = getattr(process.current_process(), "_config", {})
            tempdir = config.get("tempdir")  # (where multiprocessing.util.get_temp_dir keeps it)
        except Exception:  # noqa: BLE001 -- a private detail that may change: then it stays, as before
            tempdir = None
        if isinstance(tempdir, str) and os.path.basename(tempdir).startswith("pymp-"):
            shutil.rmtree(tempdir, ignore_errors=True)


def exit(code: int):  # noqa: A001 -- the process's end, as os._exit
    """Flush the output, remove this process's temporary folders and end at once (``os._exit``)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    remove(ending=True)
    os._exit(code)
