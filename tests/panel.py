"""The panels of the training checks (issue #26): sensible designs, written as students would write
them, each a submission file under tests/panels/exNN/, graded through the grader's own path.

Each file's docstring says what the training check must answer for it, on every seed:

    panel: PASS
    panel: FAIL "words of the rule that excludes it"

``score`` grades one file with ``grade_file`` (the child builds the model, the judge reads it and trains
it, or the child trains it, exactly as ``grade`` does), only the exercise's training check, with the
public seed set to the calibration seed, and reads the number the check judged (accuracy, or MSE for
ex08) from the function that computes it.  ``python tests/panel.py ex13 [--seeds 0-9] [design ...]``
prints the table that ``make test-slow`` prints (tests/test_panels.py).
"""
from __future__ import annotations

import dataclasses
import importlib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PANELS = Path(__file__).resolve().parent / "panels"
SEEDS = range(10)
_PANEL = re.compile(r'^panel:\s+(PASS|FAIL)(?:\s+"(.*)")?\s*$')


@dataclasses.dataclass(frozen=True)
class Training:
    """An exercise's training check, and where its number comes from."""
    exercise: str
    check: str
    module: str           # the check module
    scored_by: str        # the function of that module whose value is the judged number
    lower_is_better: bool = False
    # functions whose value is the judged number for a model the judge could not rebuild (trained in the
    # child and scored on noisy copies of the held-out images: grader/judge/training.py)
    opaque_scored_by: tuple = ()

    def checks(self):
        return importlib.import_module(self.module)

    @property
    def threshold(self) -> float:
        m = self.checks()
        return float(m.THRESHOLD_MSE if self.lower_is_better else m.THRESHOLD)

    def number(self, value) -> float:
        """The judged number in what ``scored_by`` returned (a float, or a result with ``.accuracy``/``.mse``)."""
        for attr in ("accuracy", "mse"):
            if hasattr(value, attr):
                return float(getattr(value, attr))
        return float(value)

    def margin(self, number: float) -> float:
        """How far ``number`` is on the passing side of the threshold (negative: it fails)."""
        return self.threshold - number if self.lower_is_better else number - self.threshold


TRAINING = {
    "ex03": Training("ex03", "digits_model_accuracy", "grader.checks.ex03_conv_stack", "train_and_score",
                     opaque_scored_by=("score_in_child",)),
    "ex08": Training("ex08", "sequence_model_trains", "grader.checks.ex08_lstm", "prediction_mse",
                     lower_is_better=True),
    "ex12": Training("ex12", "transfer_accuracy", "grader.checks.ex12_transfer_learning", "judge_accuracy"),
    "ex13": Training("ex13", "regularized_model_accuracy", "grader.checks.ex13_regularization",
                     "train_and_score", opaque_scored_by=("score_in_child",)),
}


@dataclasses.dataclass(frozen=True)
class Design:
    path: Path
    verdict: str            # PASS or FAIL
    words: str | None       # for FAIL: words of the rule the message must name

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def subclassed(self) -> bool:
        """A keras.Model subclass."""
        return bool(re.search(r"class \w+\(keras\.Model\)", self.path.read_text()))

    @property
    def exercise(self) -> str:
        return self.path.parent.name


def designs(exercise: str) -> list[Design]:
    out = []
    for path in sorted((PANELS / exercise).glob("*.py")):
        lines = [m for m in (_PANEL.match(line.strip()) for line in path.read_text().splitlines()) if m]
        if len(lines) != 1:
            raise ValueError(f"{path}: needs exactly one `panel:` line")
        out.append(Design(path, lines[0].group(1), lines[0].group(2)))
    return out


@dataclasses.dataclass
class Score:
    design: str
    seed: int
    status: str
    message: str
    number: float | None     # the judged number (None: the check stopped before it, e.g. a rule)
    seconds: float


LIFTED = 900.0  # seconds: the time limits of a calibration run


def score(grade, design: Design, seed: int, lift_limits: bool = True) -> Score:
    """Grade ``design`` through ``grade`` (the tests' fixture, or ``grader``'s engine) on ``seed``: only the
    training check, with the public seed set to ``seed``; the number the check judged.

    ``lift_limits``: the check's time limits (the child's, and the judge's training budget) are lifted to
    LIFTED seconds, so that a machine busy with other work cannot turn into a verdict: the calibration is
    of accuracies, which do not depend on the load (the panel's models train in a few seconds each)."""
    from grader.core import engine
    training = TRAINING[design.exercise]
    module = training.checks()
    names = (training.scored_by, *training.opaque_scored_by)
    reals = {name: getattr(module, name) for name in names}
    seen = []

    def spying(real):
        def spy(*args, **kwargs):
            value = real(*args, **kwargs)
            seen.append(value)
            return value
        return spy
    saved_seed, saved_budget = engine.PUBLIC_SEED, getattr(module, "TRAIN_BUDGET_S", None)
    for name, real in reals.items():
        setattr(module, name, spying(real))
    engine.PUBLIC_SEED = seed
    if saved_budget is not None and lift_limits:
        module.TRAIN_BUDGET_S = LIFTED
    start = time.monotonic()
    try:
        report = grade(design.exercise, design.path, only=[training.check],
                       **({"timeout": LIFTED} if lift_limits else {}))
    finally:
        engine.PUBLIC_SEED = saved_seed
        for name, real in reals.items():
            setattr(module, name, real)
        if saved_budget is not None:
            module.TRAIN_BUDGET_S = saved_budget
    (result,) = report.checks
    return Score(design.name, seed, result.status.value, result.message,
                 training.number(seen[-1]) if seen else None, time.monotonic() - start)


def to_record(exercise: str, got: list[Score]) -> str:
    """One design's scores as text for a test report (JSON: crosses from an xdist worker to the summary)."""
    import json
    return json.dumps({"exercise": exercise, "scores": [dataclasses.asdict(s) for s in got]})


def from_records(records: list[str]) -> dict[str, dict[str, list[Score]]]:
    """{exercise: {design: scores}} from ``to_record``'s texts."""
    import json
    out: dict = {}
    for text in records:
        d = json.loads(text)
        for s in d["scores"]:
            out.setdefault(d["exercise"], {}).setdefault(s["design"], []).append(Score(**s))
    return out


def table(exercise: str, scores: dict[str, list[Score]]) -> str:
    """Each design's worst seed and its margin over the threshold (or under it, for an MSE)."""
    training = TRAINING[exercise]
    kind = "MSE" if training.lower_is_better else "accuracy"
    worst_word = "max" if training.lower_is_better else "min"
    lines = [f"{exercise} {training.check}: threshold {training.threshold:g} ({kind}), seeds "
             f"{min(s.seed for v in scores.values() for s in v)}-{max(s.seed for v in scores.values() for s in v)}",
             f"  {'design':42} {worst_word + ' ' + kind:>13} {'margin':>8} {'verdicts':>18}  per seed"]
    for name, got in scores.items():
        numbers = [s.number for s in got if s.number is not None]
        statuses = sorted({s.status for s in got})
        counts = ", ".join(f"{sum(s.status == st for s in got)} {st}" for st in statuses)
        if numbers:
            worst = max(numbers) if training.lower_is_better else min(numbers)
            fmt = "{:.4f}" if training.lower_is_better else "{:.3f}"
            per_seed = " ".join(fmt.format(n) for n in numbers)
            lines.append(f"  {name:42} {fmt.format(worst):>13} {training.margin(worst):+8.3f} {counts:>18}  "
                         f"{per_seed}")
        else:
            lines.append(f"  {name:42} {'-':>13} {'-':>8} {counts:>18}  ({got[0].message[:90]})")
    return "\n".join(lines)


def _engine_grade():
    """``grade`` as the tests' fixture makes it, for the command line."""
    from grader.core import compat, devices, session
    assert compat.import_problem() is None
    devices.judge_threads()
    session.isolation().keep_warm()
    session.warm_up()
    from grader import checks
    from grader.core.engine import grade_file

    def _grade(ex_id, path, **kwargs):
        return grade_file(checks.get(ex_id), str(path), **kwargs)
    return _grade


def _seeds(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        lo, _sep, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def main(argv: list[str]) -> int:
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("exercise", choices=sorted(TRAINING))
    ap.add_argument("designs", nargs="*", help="design names (default: every one of the panel)")
    ap.add_argument("--seeds", default="0-9")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    grade = _engine_grade()
    chosen = [d for d in designs(args.exercise) if not args.designs or d.name in args.designs]
    scores: dict[str, list[Score]] = {}
    for design in chosen:
        for seed in _seeds(args.seeds):
            s = score(grade, design, seed)
            scores.setdefault(design.name, []).append(s)
            print(f"{design.name} seed {seed}: {s.status} {s.number} ({s.seconds:.1f} s) {s.message[:160]}",
                  file=sys.stderr, flush=True)
    print(table(args.exercise, scores))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
