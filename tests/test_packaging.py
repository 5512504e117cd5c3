"""The course installs everywhere, and never on top of a TensorFlow that is already there.

(a) The built wheel resolves, with its extras ``[tf]`` and ``[tf-cpu]``, for Linux x86_64, Linux
    aarch64, macOS arm64 and Windows x86_64 on Python 3.10 and 3.13, with a TensorFlow in the result:
    ``pip install --dry-run --report`` with ``--platform``, ``--only-binary=:all:`` and
    ``--python-version`` (package metadata only, nothing is installed).  pip evaluates environment
    markers for the machine it runs on, not for ``--platform``; so the extra's markers are evaluated
    here for the target platform (with ``packaging``, as pip would there) and the requirements they
    select are resolved together with the wheel.  On this machine's own platform the wheel is
    resolved with the extra itself, which checks that pip's evaluation agrees.
    When the package index cannot be reached, these tests skip with pip's reason.
(b) In the Colab-row venv of ``make test-compat`` (``tensorflow==2.20.0``, ``keras==3.13.2``,
    installed before the course), ``pip freeze`` is unchanged for every TensorFlow and Keras
    distribution, and installing the wheel again (alone or with ``[tf]``) would install none.
"""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from grader.core import compat

ROOT = Path(__file__).resolve().parent.parent


def _manylinux(arch: str) -> list[str]:  # pip matches --platform tags literally: list the glibc levels
    return [f"manylinux_2_{v}_{arch}" for v in range(28, 16, -1)] + [f"manylinux2014_{arch}"]


TARGETS = {
    "linux-x86_64": (_manylinux("x86_64"),
                     dict(sys_platform="linux", platform_machine="x86_64", platform_system="Linux", os_name="posix")),
    "linux-aarch64": (_manylinux("aarch64"),
                      dict(sys_platform="linux", platform_machine="aarch64", platform_system="Linux", os_name="posix")),
    "macos-arm64": ([f"macosx_{v}_0_arm64" for v in (15, 14, 13, 12, 11)],
                    dict(sys_platform="darwin", platform_machine="arm64", platform_system="Darwin", os_name="posix")),
    "windows-x86_64": (["win_amd64"],
                       dict(sys_platform="win32", platform_machine="AMD64", platform_system="Windows", os_name="nt")),
}
PYTHONS = ["3.10", "3.13"]
EXTRAS = ["tf", "tf-cpu"]
# what each extra must bring on each platform
WANTED_TF = {("tf", t): "tensorflow" for t in TARGETS} | {
    ("tf-cpu", "linux-x86_64"): "tensorflow-cpu", ("tf-cpu", "windows-x86_64"): "tensorflow-cpu",
    ("tf-cpu", "linux-aarch64"): "tensorflow", ("tf-cpu", "macos-arm64"): "tensorflow"}
TF_OR_KERAS = re.compile(r"^(tensorflow|tf[-_]|keras|tensorboard)", re.I)


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _is_tf_or_keras(name: str) -> bool:
    return bool(TF_OR_KERAS.match(name)) and _canon(name) != "keras-course-grader"


def _pip(python: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    return subprocess.run([python, "-m", "pip", *args], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture(scope="session")  # built once per worker (conftest.py: SHARED_FIXTURES)
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    p = _pip(sys.executable, "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT))
    assert p.returncode == 0, p.stderr
    (whl,) = out.glob("keras_course_grader-*.whl")
    return whl


def _metadata(whl: Path) -> list[Requirement]:
    with zipfile.ZipFile(whl) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        text = z.read(name).decode()
    return [Requirement(line.split(":", 1)[1].strip()) for line in text.splitlines()
            if line.startswith("Requires-Dist:")]


def selected(reqs: list[Requirement], extra: str, target: str, python: str) -> list[Requirement]:
    """The requirements of ``WHEEL[extra]`` that pip would select on ``target`` with ``python``."""
    env = {**default_environment(), **TARGETS[target][1], "python_version": python,
           "python_full_version": f"{python}.0", "extra": extra}
    return [r for r in reqs if r.marker is None or r.marker.evaluate(env)]


def test_core_requirements_hold_no_tensorflow_or_keras(wheel):
    core = [r for r in _metadata(wheel) if r.marker is None or "extra" not in str(r.marker)]
    assert core and not [r for r in core if _is_tf_or_keras(r.name)], core


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("extra", EXTRAS)
def test_extra_markers_pick_one_tensorflow_per_platform(wheel, extra, target):
    for python in PYTHONS:
        names = [_canon(r.name) for r in selected(_metadata(wheel), extra, target, python)]
        tfs = [n for n in names if n.startswith("tensorflow")]
        assert tfs == [WANTED_TF[extra, target]] and "keras" in names, (extra, target, python, names)


def _host_target() -> str | None:
    machine = platform.machine()
    for name, (_, env) in TARGETS.items():
        if env["sys_platform"] == sys.platform and env["platform_machine"].lower() == machine.lower():
            return name
    return None


@pytest.fixture(scope="session")  # built once per worker (conftest.py: SHARED_FIXTURES)
def resolutions(wheel, tmp_path_factory):
    """{(extra, target, python): (pip's result, the report or None)}, resolved in parallel threads."""
    probe = _pip(sys.executable, "index", "versions", "tensorflow", timeout=120)
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no answer"])[-1]
        print(f"\npackage index unreachable: {reason}")
        pytest.skip(f"the package index cannot be reached: {reason}")
    reqs, host = _metadata(wheel), _host_target()
    base = tmp_path_factory.mktemp("resolve")

    def resolve(key):
        extra, target, python = key
        tags, _ = TARGETS[target]
        if target == host:  # pip evaluates the markers itself
            wanted = [f"{wheel}[{extra}]"]
        else:
            wanted = [str(wheel)] + [f"{r.name}{r.specifier}" for r in selected(reqs, extra, target, python)
                                     if r.marker is not None]
        report = base / f"{extra}-{target}-{python}.json"
        p = _pip(sys.executable, "install", "--dry-run", "--quiet", "--report", str(report), "--ignore-installed",
                 "--only-binary=:all:", *[a for t in tags for a in ("--platform", t)], "--python-version", python,
                 "--target", str(base / f"t-{extra}-{target}-{python}"), *wanted)
        return key, p, json.loads(report.read_text()) if p.returncode == 0 and report.exists() else None

    keys = [(e, t, v) for e in EXTRAS for t in TARGETS for v in PYTHONS]
    # [tf] and [tf-cpu] select the same requirements where tensorflow-cpu has no wheels: resolve those once
    same = {}
    for key in keys:
        e, t, v = key
        sel = tuple(sorted(str(r) for r in selected(reqs, e, t, v) if r.marker is not None))
        same.setdefault((t, v, sel, t == host and e), key)
    with ThreadPoolExecutor(max_workers=12) as pool:
        done = {key: (p, r) for key, p, r in pool.map(resolve, sorted(set(same.values())))}
    return {key: done[same[(key[1], key[2], tuple(sorted(str(r) for r in selected(reqs, *key) if r.marker
                                                         is not None)), key[1] == host and key[0])]]
            for key in keys}


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("extra", EXTRAS)
def test_wheel_resolves_with_a_tensorflow(resolutions, extra, target, python):
    p, report = resolutions[extra, target, python]
    assert report is not None, f"pip could not resolve [{extra}] for {target}, Python {python}:\n{p.stderr[-3000:]}"
    got = {_canon(i["metadata"]["name"]): i["metadata"]["version"] for i in report["install"]}
    assert "keras-course-grader" in got
    tfs = sorted(n for n in got if n.startswith("tensorflow") and n != "tensorflow-intel")
    assert tfs == [WANTED_TF[extra, target]], (tfs, got)
    assert SpecifierSet(compat.TENSORFLOW_SPEC).contains(got[tfs[0]]), got[tfs[0]]
    assert SpecifierSet(compat.KERAS_SPEC).contains(got["keras"]), got["keras"]


# ------------------------------------------------------------------ (b) a TensorFlow already there stays
def _compat_python() -> str:
    python = os.environ.get("COMPAT_PYTHON")
    if not python:
        pytest.skip("COMPAT_PYTHON is not set: `make test-compat` runs this in the Colab-row venv")
    return python


def _tf_and_keras(freeze: str) -> dict[str, str]:
    out = {}
    for line in freeze.splitlines():
        name = re.split(r"[=@ <>!~]", line.strip(), maxsplit=1)[0]
        if name and not line.startswith("#") and _is_tf_or_keras(name):
            out[_canon(name)] = line.strip()
    return out


def test_installing_the_course_left_tensorflow_and_keras_as_they_were():
    python = _compat_python()
    before_file = os.environ.get("COMPAT_FREEZE")
    if not before_file or not Path(before_file).is_file():
        pytest.skip("COMPAT_FREEZE (pip freeze saved before the course was installed) is not set")
    before = _tf_and_keras(Path(before_file).read_text())
    p = _pip(python, "freeze")
    assert p.returncode == 0, p.stderr
    after = _tf_and_keras(p.stdout)
    assert "keras" in before and any(n.startswith("tensorflow") for n in before), before  # it held both
    assert after == before
    assert "keras-course-grader" in {_canon(re.split(r"[=@ ]", x, maxsplit=1)[0]) for x in p.stdout.splitlines()}


@pytest.mark.parametrize("extra", ["", "matching"])
def test_installing_the_wheel_over_colab_installs_no_tensorflow_or_keras(wheel, tmp_path, extra):
    """Alone, or with the extra that names the TensorFlow already there (`[tf]` over `tensorflow`,
    as in Colab; `[tf-cpu]` over `tensorflow-cpu`): nothing TensorFlow or Keras is installed."""
    python = _compat_python()
    if extra == "matching":
        p = _pip(python, "freeze")
        tfs = [n for n in _tf_and_keras(p.stdout) if n in ("tensorflow", "tensorflow-cpu")]
        assert len(tfs) == 1, tfs
        extra = "[tf]" if tfs == ["tensorflow"] else "[tf-cpu]"
    report = tmp_path / "r.json"
    p = _pip(python, "install", "--dry-run", "--quiet", "--report", str(report), f"{wheel}{extra}")
    assert p.returncode == 0, p.stderr
    installs = [i["metadata"]["name"] for i in json.loads(report.read_text())["install"]]
    assert not [n for n in installs if _is_tf_or_keras(n)], (extra, installs)
