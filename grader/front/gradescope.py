"""``grade gradescope EX --out autograder.zip``: a Gradescope autograder bundle.

The bundle holds this grader's source (no reference solutions, no tests), a
``setup.sh`` that installs it on Gradescope's Ubuntu image, and a
``run_autograder`` that grades the student's upload with the hidden checks and
writes ``/autograder/results/results.json`` in Gradescope's schema.  The hidden
seed is baked into the bundle (Gradescope keeps bundles private); pass it with
--seed or GRADE_SEED.
"""
from __future__ import annotations

import argparse
import stat
import zipfile
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options
from grader.front.commands import Command

COMMAND = Command("gradescope", usage="grade gradescope EX --out FILE.zip",
                  summary=N_("build a Gradescope autograder bundle"), order=30)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("grader", "exercises", "datasets")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-venv python3-pip bubblewrap >/dev/null
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet --upgrade pip
/autograder/venv/bin/pip install --quiet /autograder/source/grader-src
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
GRADE="${{GRADE_BIN:-$ROOT/venv/bin/grade}}"
mkdir -p "$ROOT/results"
sub=$(find "$ROOT/submission" -type f \\( -name '{module}.py' -o -name '{module}.ipynb' \\) | head -n 1)
[ -n "$sub" ] || sub=$(find "$ROOT/submission" -type f \\( -name '*.py' -o -name '*.ipynb' \\) | head -n 1)
if [ -z "$sub" ]; then
  echo '{{"score": 0, "output": "No {module}.py or .ipynb was found in your submission.", "tests": []}}' \\
    > "$ROOT/results/results.json"
  exit 0
fi
# The seed leaves the disk before any student code runs: Gradescope grades every submission in a
# fresh container, so the file is not needed again (a local test run works on a fresh copy).  The
# grader keeps GRADE_SEED out of the sandbox's environment.
GRADE_SEED="$(cat "$ROOT/source/seed" 2>/dev/null)"
rm -f "$ROOT/source/seed"
if [ -z "$GRADE_SEED" ]; then
  echo '{{"score": 0, "output": "The autograder has no seed (run it on a fresh copy of the bundle).", "tests": []}}' \\
    > "$ROOT/results/results.json"
  exit 0
fi
export GRADE_SEED
"$GRADE" {exercise} --file "$sub" --format gradescope > "$ROOT/results/results.json.tmp"
status=$?
if [ $status -le 1 ]; then
  mv "$ROOT/results/results.json.tmp" "$ROOT/results/results.json"
else
  echo '{{"score": 0, "output": "The grader could not run on this submission (exit status '"$status"').", "tests": []}}' \\
    > "$ROOT/results/results.json"
fi
exit 0
"""


def _add(z: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name)
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, text)


def build_bundle(exercise: str, out: Path, seed: int) -> Path:
    from grader.front.options import exercise as resolve
    ex_id, module = resolve(exercise)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as z:
        _add(z, "setup.sh", SETUP_SH, executable=True)
        _add(z, "run_autograder", RUN_AUTOGRADER.format(module=module, exercise=ex_id), executable=True)
        _add(z, "seed", f"{seed}\n")
        for top in ("pyproject.toml", "README.md"):
            z.write(ROOT / top, f"grader-src/{top}")
        for package in SHIPPED:
            for path in sorted((ROOT / package).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix in (
                        ".py", ".po", ".j2", ".json", ".txt", ".csv", ".npz"):  # .j2: report/feedback templates
                    z.write(path, f"grader-src/{path.relative_to(ROOT)}")
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="grade gradescope", description=__doc__,
                                formatter_class=options.HelpFormatter)
    p.add_argument("exercise", help=_("the exercise the Gradescope assignment grades (ex03)"))
    p.add_argument("--out", type=Path, required=True, help=_("the bundle to write (autograder.zip)"))
    options.add_seed(p, _("hidden seed (default: $GRADE_SEED or 0)"))
    options.add_language(p)
    return p


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)  # the bundle is files; its run_autograder runs `grade EX`
    seed = options.seed(args)
    if args.out.suffix != ".zip":
        raise UsageError(_("--out should name a .zip file"))
    path = build_bundle(args.exercise, args.out, seed)
    print(_("wrote {path}: upload it as the autograder of the Gradescope assignment ({exercise})").format(
        path=path, exercise=args.exercise))
    return 0
