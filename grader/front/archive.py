"""A ``.zip`` unpacked safely: an LMS's download as it was downloaded, or an archive a student handed in.

    unpacked = unpack(Path("submissions.zip"), Path("work/download"), limit=DOWNLOAD_BYTES)
    unpacked.folder      # where its files are now
    unpacked.refused     # [(name in the archive, why)]: entries that point outside the folder
    unpacked.ignored     # [(name in the archive, why)]: entries left out that are no one's work

Nothing is written outside ``dest``, and nothing is left out without a reason:

* refused: an absolute path (``/etc/x``, ``C:\\x``), a path through ``..``, a link (a zip entry can
  be a symbolic link: it is never made, and never followed), an encrypted entry, one that cannot be
  read;
* ignored: macOS's metadata (``__MACOSX/``, ``.DS_Store``, ``._name``: what Finder's "Compress" adds),
  and a second entry whose name, once its Unicode is normalised, is the name of one already unpacked.

Names become NFC: a zip made on macOS holds its names decomposed (NFD: ``김민지`` as 6 jamo), a zip made
elsewhere composed; both unpack to the same composed names.  A name stored without zip's UTF-8 flag is
read as UTF-8 when it is valid UTF-8 (zip tools on Linux and macOS write UTF-8 without the flag), else
as CP949 (Windows in Korean), else as CP437, which zip's specification names.  Every file keeps the time
the archive gives it (a download's times are what ``--deadline`` compares, where they are all there is).
The size unpacked is counted as it is written, not as the archive claims it (a zip bomb stops at
``limit``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import stat
import time
import unicodedata
import zipfile
from pathlib import Path

from grader.core.i18n import _

STUDENT_BYTES = 64 * 2**20  # an archive a student handed in
DOWNLOAD_BYTES = 4 * 2**30  # a class's download: every student's files, notebooks with their outputs
CHUNK = 1 << 20


@dataclasses.dataclass
class Unpacked:
    folder: Path
    refused: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    ignored: list[tuple[str, str]] = dataclasses.field(default_factory=list)


class TooLarge(ValueError):
    pass


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its maker meant it, NFC (see the module's docstring)."""
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: zipfile read the bytes as CP437
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = None
        if raw is not None:
            for encoding in ("utf-8", "cp949"):
                try:
                    name = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    return unicodedata.normalize("NFC", name)


def is_link(info: zipfile.ZipInfo) -> bool:
    """A symbolic link (its Unix mode, in the high bits of the external attributes, says so)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def is_metadata(parts: list[str]) -> bool:
    """What macOS adds to an archive or a folder, no one's work."""
    return "__MACOSX" in parts or parts[-1] == ".DS_Store" or parts[-1].startswith("._")


def why_refused(name: str, info: zipfile.ZipInfo | None = None) -> str | None:
    """Why an entry named ``name`` may not be unpacked (None: it may)."""
    posix = name.replace("\\", "/")
    if info is not None and is_link(info):
        return _("a link (links in an archive are never made or followed)")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return _("an absolute path (it points outside the folder)")
    if ".." in posix.split("/"):
        return _("a path through .. (it points outside the folder)")
    if info is not None and info.flag_bits & 0x1:
        return _("encrypted")
    return None


def unpack(archive: Path, dest: Path, limit: int = STUDENT_BYTES) -> Unpacked:
    """Unpack ``archive`` into ``dest`` (created); raises ``zipfile.BadZipFile`` for what is no zip, and
    ``TooLarge`` past ``limit`` bytes."""
    dest.mkdir(parents=True, exist_ok=True)
    top = dest.resolve()
    out = Unpacked(dest)
    total = 0
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            name = entry_name(info)
            why = why_refused(name, info)
            if why:
                out.refused.append((name, why))
                continue
            parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
            if info.is_dir() or not parts:
                continue
            if is_metadata(parts):
                out.ignored.append((name, _("macOS metadata, no one's work")))
                continue
            target = dest.joinpath(*parts)
            if not target.resolve().is_relative_to(top):  # a folder of dest that is a link (never made here)
                out.refused.append((name, _("a path through a link (it points outside the folder)")))
                continue
            if target.exists():
                out.ignored.append((name, _("the same name as another entry once its Unicode is normalised")))
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with z.open(info) as src, open(target, "wb") as f:
                    while chunk := src.read(CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise TooLarge(_("the archive unpacks to more than {mb} MB").format(mb=limit // 2**20))
                        f.write(chunk)
            except TooLarge:
                target.unlink(missing_ok=True)
                raise
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError) as e:
                target.unlink(missing_ok=True)
                out.refused.append((name, _("cannot be read: {error}").format(error=e)))
                continue
            try:
                stamp = time.mktime(dt.datetime(*info.date_time).timetuple())
                os.utime(target, (stamp, stamp))
            except (ValueError, OverflowError, OSError):
                pass
    return out


def outside_links(root: Path) -> list[Path]:
    """Links under ``root`` (a download given as a folder) that lead outside it: never read."""
    top = root.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(top):
                found.append(path)
    return found
