"""What a `grade` costs beside importing Keras once, cold and warm.

Cold (GRADE_DAEMON=0, the grade in its own process): `grade ex01 --solution` against `python -c 'import keras'`,
alternated so that disk caches and load affect both alike (target: ratio <= 1.5).

Warm (the background server of grader/front/warm.py, in a private folder of this run's own, stopped at the end):
  first grade            `grade EX --file F`: starts the server, which imports Keras, then grades
  second grade           the same command again (the file unchanged: the report the server kept)
  another exercise       `grade OTHER --solution` through the same server
  after an edit          F changed (a comment added), graded again
  --exercises A,B,...    for each (a copy of its reference; the first grade, which may start a child server, is not
                         timed): the same file again, and after an edit (a comment added: graded again); for ex12
                         and ex13 also their training alone (TRAINING: what a grade of the reference trains, timed
                         in a process of its own after one untimed round): a grade after an edit that
                         trains again takes this and its own overhead (ex13's judge keeps a model's training:
                         an edit that leaves the model as it was is not trained again)
  --memory N             N grades in turn (each file a little different, so each runs), the server's resident
                         memory after N/4 and after N

Every time is a whole command, as a student's terminal sees it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GRADE = str(BIN / "grade")
KERAS = [sys.executable, "-c", "import keras"]
TARGET = 1.5


def timed(cmd: list[str], env: dict | None = None, ok=(0,)) -> float:
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if p.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} exited with {p.returncode}")
    return elapsed


def after_edits(path: Path, cmd: list[str], env: dict, runs: int) -> list[float]:
    """``runs`` grades of ``cmd``, each after a comment added to ``path`` (graded again: no kept report)."""
    out = []
    for i in range(runs):
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\n# edit {i}\n")
        out.append(timed(cmd, env))
    return out


# What a grade of the reference trains, timed: the judge's set-up (one thread per op), one untimed round (the
# process's own warm-up, as a warm server has it), then --runs rounds; prints the seconds of each as JSON.
TRAINING_PRELUDE = """
import json, sys, time
from grader.core import startup
startup.start(startup.GRADE, keras=True)
import keras
runs = int(sys.argv[1])
"""
TRAINING = {
    # the judge's training of the model build_regularized_model returns (regularized_model_accuracy)
    "ex13": """
from grader.checks import ex13_regularization as ex
from grader.judge import training
from solutions import ex13_regularization as ref
train, val = ex.shapes_data()
def once():
    keras.backend.clear_session()  # a fresh start, as each grade's child has
    keras.utils.set_random_seed(0)
    model = ref.build_regularized_model((ex.IMAGE_SIZE, ex.IMAGE_SIZE, 3), ex.NUM_CLASSES)
    start = time.perf_counter()
    training.fit_and_watch(model, train, val, epochs=ex.EPOCHS, batch_size=ex.BATCH_SIZE, seed=0,
                           budget_s=ex.TRAIN_BUDGET_S, steps_per_execution=ex.STEPS_PER_EXECUTION)
    return time.perf_counter() - start
""",
    # the child's transfer training and fine-tuning, and the judge's training of the head (judge_accuracy)
    "ex12": """
from grader.checks import ex12_transfer_learning as ex
from grader.recipes import ex12_transfer_learning as recipes
from grader.recipes.ex12_transfer_learning import fine_tune, transfer_train
from solutions import ex12_transfer_learning as ref
weights = ex.pretrained_base(0)
x, y, _x_test, _y_test = ex.transfer_data(0)
def once():
    recipes._TRAINED.clear()  # the child's memo of the transfer training (fine_tune goes on from it): a new child
    keras.backend.clear_session()  # a fresh start, as each grade's child has
    keras.utils.set_random_seed(0)
    start = time.perf_counter()
    info = transfer_train(ref, ex.BASE_SPEC, list(ex.INPUT_SHAPE), weights, ex.NUM_CLASSES, ex.DROPOUT, x, y,
                          ex.probes(0), ex.EPOCHS, ex.BATCH_SIZE, 0)
    ex.judge_accuracy(info, 0, "reference")
    fine_tune(ref, ex.BASE_SPEC, list(ex.INPUT_SHAPE), weights, ex.NUM_CLASSES, ex.DROPOUT, x, y, ex.EPOCHS,
              ex.BATCH_SIZE, 0, ex.FINE_N, ex.FINE_EPOCHS)
    return time.perf_counter() - start
""",
}
TRAINING_RUN = """
once()
print(json.dumps([once() for _ in range(runs)]))
"""


def training_alone(ex_id: str, runs: int) -> list[float]:
    """The seconds of ``runs`` rounds of what a grade of ``ex_id``'s reference trains (``TRAINING``)."""
    code = TRAINING_PRELUDE + TRAINING[ex_id] + TRAINING_RUN
    out = subprocess.run([sys.executable, "-c", code, str(runs)], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode != 0:
        sys.exit(f"the training of {ex_id} alone failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def row(name: str, samples: list[float], keras: float) -> None:
    m = statistics.median(samples)
    print(f"{name:44} {m:8.2f} {min(samples):7.2f} {max(samples):7.2f} {m / keras:8.2f}x")


def module_of(ex_id: str) -> str:
    return next(p.stem for p in (ROOT / "solutions").glob(f"{ex_id}_*.py"))


def server_status(env: dict) -> dict:
    code = ("import json; from grader.front import serverlink, warm\n"
            "(p, d), = serverlink.servers()\n"
            "print(json.dumps(warm.ask(serverlink.Identity(d['root'], d['sandbox'], d['key'], p.parent), 'status')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="samples of each timed command (median printed)")
    ap.add_argument("--exercise", default="ex01", help="the exercise of the warm scenario")
    ap.add_argument("--other", default="ex07", help="the other exercise of the warm scenario")
    ap.add_argument("--exercises", default="", help="comma-separated: the second grade of each, warm")
    ap.add_argument("--sandbox", default=None, help="the sandbox backend (linux, portable)")
    ap.add_argument("--memory", type=int, default=0, help="this many grades, then the server's memory")
    args = ap.parse_args()
    sandbox = ["--sandbox", args.sandbox] if args.sandbox else []
    cold_env = {**os.environ, "GRADE_DAEMON": "0"}

    timed(KERAS)  # the page cache, once
    keras_s, cold_s = [], []
    cold_cmd = [GRADE, "ex01", "--solution", "--json", *sandbox]
    timed(cold_cmd, cold_env)
    for _ in range(args.runs):
        keras_s.append(timed(KERAS))
        cold_s.append(timed(cold_cmd, cold_env))
    keras = statistics.median(keras_s)
    print(f"{'command':44} {'median s':>8} {'min s':>7} {'max s':>7} {'/ keras':>9}   ({args.runs} runs each)")
    row("python -c 'import keras'", keras_s, keras)
    row("grade ex01 --solution (cold, GRADE_DAEMON=0)", cold_s, keras)

    folder = Path(tempfile.mkdtemp(prefix="gd-bench-"))
    env = {**os.environ, "GRADE_DAEMON": "1", "GRADE_DAEMON_DIR": str(folder)}
    work = Path(tempfile.mkdtemp(prefix="gd-bench-work-"))
    try:
        mine = work / f"{module_of(args.exercise)}.py"
        shutil.copy(ROOT / "solutions" / mine.name, mine)
        cmd = [GRADE, args.exercise, "--file", str(mine), *sandbox]
        row(f"warm: first grade ({args.exercise}, starts the server)", [timed(cmd, env)], keras)
        row(f"warm: second grade, same exercise ({args.exercise})", [timed(cmd, env) for _ in range(args.runs)],
            keras)
        other = [GRADE, args.other, "--solution", *sandbox]
        row(f"warm: another exercise ({args.other}), its first", [timed(other, env)], keras)
        row(f"warm: another exercise ({args.other}), again", [timed(other, env) for _ in range(args.runs)], keras)
        row(f"warm: after an edit ({args.exercise})", after_edits(mine, cmd, env, args.runs), keras)
        for ex_id in filter(None, args.exercises.split(",")):
            own = work / f"{module_of(ex_id)}.py"
            shutil.copy(ROOT / "solutions" / own.name, own)
            each = [GRADE, ex_id, "--file", str(own), *sandbox]
            timed(each, env)
            row(f"warm: {ex_id}, the same file again", [timed(each, env) for _ in range(args.runs)], keras)
            row(f"warm: {ex_id}, after an edit", after_edits(own, each, env, args.runs), keras)
            if ex_id in TRAINING:
                row(f"  {ex_id}: what its grade trains, alone", training_alone(ex_id, args.runs), keras)
        if args.memory:
            cases = [("ex01", "solutions"), ("ex03", "exercises"), ("ex02", "solutions"), ("ex07", "exercises")]
            marks = {}
            start = time.perf_counter()
            for i in range(args.memory):  # each file a little different: every grade runs (no kept report)
                ex_id, folder_name = cases[i % len(cases)]
                own = work / f"{module_of(ex_id)}.py"
                own.write_text((ROOT / folder_name / own.name).read_text(encoding="utf-8") + f"\n# grade {i}\n",
                               encoding="utf-8")
                timed([GRADE, ex_id, "--file", str(own), *sandbox], env, ok=(0, 1))
                if i + 1 in (args.memory // 4, args.memory):
                    s = server_status(env)
                    marks[i + 1] = (s["rss_mb"], s["tree_mb"], s["pid"])
            for n, (rss, tree, pid) in marks.items():
                print(f"memory after {n:4d} grades: server {rss:.0f} MB, with its children {tree:.0f} MB (pid {pid})")
            print(f"{args.memory} grades in {time.perf_counter() - start:.0f} s")
        status = server_status(env)
        print(f"server: {status['grades']} grades, {status['rss_mb']:.0f} MB ({status['tree_mb']:.0f} MB with its "
              f"children), {status['isolation']}, {status['transport']}")
    finally:
        subprocess.run([GRADE, "daemon", "stop"], env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    ratio = statistics.median(cold_s) / keras
    print(f"ratio cold grade / import keras: {ratio:.2f}  (target <= {TARGET})  {'OK' if ratio <= TARGET else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
