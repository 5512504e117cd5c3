"""Shared fixtures: grade a file in-process through the same engine as `grade`."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"


def solution_file(module: str) -> Path:
    return ROOT / "solutions" / f"{module}.py"


def stub_file(module: str) -> Path:
    return ROOT / "exercises" / f"{module}.py"


EXPECT = re.compile(r'^expect:\s+(\S+)\s+(PASS|FAIL|ERROR|TIMEOUT|OUT_OF_MEMORY|NOT_ATTEMPTED)(?:\s+"(.*)")?\s*$')


def expectations(path: Path) -> list[tuple[str, str, str | None]]:
    """The `expect: CHECK STATUS "words in the message"` lines of a submission's docstring.

    CHECK may be `*` (every check that ran).
    """
    out = []
    for line in path.read_text().splitlines():
        m = EXPECT.match(line.strip())
        if m:
            out.append((m.group(1), m.group(2), m.group(3)))
    return out


@pytest.fixture(scope="session")
def grade():
    """grade(exercise_id, path, **kwargs) -> Report, with the forkserver started once."""
    from grader import sandbox
    sandbox.isolation().keep_warm()
    sandbox.warm_up()
    from grader.engine import grade_file

    def _grade(ex_id: str, path, **kwargs):
        return grade_file(ex_id, str(path), **kwargs)
    return _grade
