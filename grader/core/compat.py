"""Which Python, TensorFlow and Keras the grader supports, and everything that
differs between the supported versions -- in this one module.

The course installs into environments that already hold a TensorFlow (Colab,
Kaggle, conda), so ``pyproject.toml`` has no hard TensorFlow or Keras
requirement: the extras ``[tf]`` and ``[tf-cpu]`` bring them on a fresh
machine.  What is supported is therefore checked at start-up instead:
:func:`require` runs before ``grade`` imports anything slow, and when
TensorFlow is missing, broken, installed twice or outside the supported range,
``grade`` prints one line with the exact pip command and exits with status 2.

The ranges below are the same strings as the extras of ``pyproject.toml``
(``tests/test_packaging.py`` keeps them in step); the README's version matrix
says which rows are tested.

Keras differences between the supported versions go here too, as small
functions the checks call, so that a new Keras release is handled in one place
rather than in every check that happens to meet it.
"""
from __future__ import annotations

import platform
import sys

from grader.core.errors import UsageError
from grader.core.heap import import_frozen
from grader.core.i18n import _

# ------------------------------------------------------------------ the supported ranges
PYTHON_MIN, PYTHON_MAX = (3, 10), (3, 13)        # oldest and newest tested minor versions
TENSORFLOW_SPEC = ">=2.20,<3"
# CVE-2025-1550 (fixed in 3.9), CVE-2025-9906 (fixed in 3.11.0), CVE-2026-1462 (fixed in 3.12.1 and 3.14.0;
# 3.13.0 and 3.13.1 are affected): safe_mode bypasses when a model file is loaded.
KERAS_SPEC = ">=3.12.1,!=3.13.0,!=3.13.1,<4"

# Distributions that install the `tensorflow` package.  Two of them at once overwrite each other's files
# (`import tensorflow` then fails with an undefined symbol): that is what a `tensorflow-cpu` on top of
# Colab's `tensorflow` does.
TENSORFLOW_DISTRIBUTIONS = ("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tensorflow-macos",
                            "tf-nightly", "tf-nightly-cpu")


class EnvironmentProblem(UsageError):
    """TensorFlow or Keras cannot serve the grader here; the message holds the pip command that fixes it."""


def cpu_distribution(system: str | None = None, machine: str | None = None) -> str:
    """The TensorFlow distribution ``[tf-cpu]`` installs on this platform: ``tensorflow-cpu`` where
    it has wheels (Linux x86_64, Windows x86_64), ``tensorflow`` elsewhere (macOS, Linux aarch64)."""
    system = system if system is not None else sys.platform
    machine = (machine if machine is not None else platform.machine()).lower()
    if (system.startswith("linux") and machine == "x86_64") or (system == "win32" and machine in ("amd64", "x86_64")):
        return "tensorflow-cpu"
    return "tensorflow"


def _installed() -> dict[str, str]:
    """{distribution: version} of the TensorFlow distributions and of keras, from the ``*.dist-info``
    folder names on sys.path (a few directory listings: ``grade`` checks this before anything slow,
    and importing importlib.metadata alone costs more); importlib.metadata where none is found."""
    import os
    import re
    wanted = {re.sub(r"[-_.]+", "_", n): n for n in (*TENSORFLOW_DISTRIBUTIONS, "keras")}
    out: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if not entry.endswith(".dist-info"):
                continue
            name, _sep, version = entry[:-len(".dist-info")].partition("-")
            dist = wanted.get(re.sub(r"[-_.]+", "_", name).lower())
            if dist and version and dist not in out:  # the first on sys.path is the one imported
                out[dist] = version
    if not out:
        from importlib import metadata
        for dist in wanted.values():
            try:
                out[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                continue
    return out


def _in_range(version: str, spec: str) -> bool:
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version
    try:
        return Version(version) in SpecifierSet(spec, prereleases=True)
    except InvalidVersion:
        return False


def _pip(*requirements: str) -> str:
    return "pip install " + " ".join(f'"{r}"' for r in requirements)


def problem(installed: dict[str, str] | None = None) -> str | None:
    """One line that says what is wrong with TensorFlow/Keras here and the pip command that fixes it;
    None when the installed versions are supported.  Reads metadata only: see :func:`require`."""
    installed = _installed() if installed is None else installed
    tfs = {d: v for d, v in installed.items() if d in TENSORFLOW_DISTRIBUTIONS}
    if "tensorflow" in tfs:  # on Windows (and old macOS builds) `tensorflow` itself depends on these
        for helper in ("tensorflow-intel", "tensorflow-macos"):
            tfs.pop(helper, None)
    keras = installed.get("keras")
    keras_ok = keras is not None and _in_range(keras, KERAS_SPEC)
    keras_req = f"keras{KERAS_SPEC}"
    if not tfs:
        return _("TensorFlow is not installed; install it with: {command}").format(
            command=_pip(f"{cpu_distribution()}{TENSORFLOW_SPEC}", keras_req))
    if len(tfs) > 1:
        keep = "tensorflow" if "tensorflow" in tfs else cpu_distribution()
        found = ", ".join(f"{d} {v}" for d, v in sorted(tfs.items()))
        return _("several TensorFlow distributions are installed ({found}) and overwrite each other's files; "
                 "keep one: {command}").format(
            found=found, command=f"pip uninstall -y {' '.join(sorted(tfs))} && "
                                 + _pip(f"{keep}{TENSORFLOW_SPEC}", keras_req))
    (dist, version), = tfs.items()
    if not _in_range(version, TENSORFLOW_SPEC):
        needs = [f"{dist}{TENSORFLOW_SPEC}"] + ([] if keras_ok else [keras_req])
        return _("{dist} {version} is not supported (supported: TensorFlow {tf_spec}, Keras {keras_spec}); "
                 "upgrade with: {command}").format(dist=dist, version=version, tf_spec=TENSORFLOW_SPEC,
                                                   keras_spec=KERAS_SPEC, command=_pip(*needs))
    if keras is None:
        return _("Keras 3 is not installed; install it with: {command}").format(command=_pip(keras_req))
    if not keras_ok:
        return _("keras {version} is not supported (supported: {spec}; older versions load model files "
                 "unsafely); upgrade with: {command}").format(version=keras, spec=KERAS_SPEC,
                                                              command=_pip(keras_req))
    return None


def import_problem() -> str | None:
    """None when Keras (and with it TensorFlow) imports; else one line with the reinstall command.  A first
    import pauses the garbage collector and freezes what it made (``grader.core.heap``)."""
    try:
        if "keras" not in sys.modules:
            import_frozen("keras")
        import keras  # noqa: F401
        import tensorflow  # noqa: F401
    except Exception as e:  # ImportError, or a broken build raising anything at import
        installed = _installed()
        tfs = {d: v for d, v in installed.items() if d in TENSORFLOW_DISTRIBUTIONS}
        reqs = [f"{d}=={v}" for d, v in sorted(tfs.items())] or [f"{cpu_distribution()}{TENSORFLOW_SPEC}"]
        if "keras" in installed:
            reqs.append(f"keras=={installed['keras']}")
        first = (str(e).strip().splitlines() or [""])[0][:160]
        return _("TensorFlow is installed but does not import ({error}); reinstall it with: {command}").format(
            error=f"{type(e).__name__}: {first}", command="pip install --force-reinstall " +
            " ".join(f'"{r}"' for r in reqs))
    return None


def require() -> None:
    """Raise :class:`EnvironmentProblem` (exit status 2, one line) when the installed TensorFlow/Keras
    cannot serve the grader.  Metadata only: the import itself is checked by :func:`require_import`."""
    msg = problem()
    if msg:
        raise EnvironmentProblem(msg)


def require_import() -> None:
    msg = import_problem()
    if msg:
        raise EnvironmentProblem(msg)


def versions() -> dict[str, str]:
    """Python and the installed TensorFlow/Keras distributions (for reports and the version matrix)."""
    return {"python": platform.python_version(), **_installed()}
