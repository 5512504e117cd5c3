"""The check-writing API: all that a module of ``grader/checks/`` imports.

    from grader.judge import N_, Exercise, _, expect, truth

    EXERCISE = Exercise("ex01", N_("Convolution arithmetic"), "ex01_conv_arithmetic")

    @EXERCISE.check(points=2, hint=N_("'same' keeps ceil(n / stride) positions."), uses=("conv_output_length",))
    def same_padding(t):
        expect.equal(t.call("conv_output_length", 7, 3, stride=2, padding="same"), 4, "...")

Names: ``Exercise`` (declares the checks; ``t.call``, ``t.build``, ``t.call_model``, ``t.recipe``, ``t.rng``
inside one), ``Fail``, ``StudentError`` and ``NotAttempted`` (verdicts a check raises itself), ``rebuild`` and ``StudentModel``
(a model the child sent, rebuilt in the judge), ``N_`` and ``_`` (messages, ``grader.core.i18n``), ``memo`` (a
decorator: a ground truth that is a pure function of its numbers is asked once per process, ``grader.judge.cache``;
``model_key``: what a compiled model trains from, a key for it),
``answers`` (``answers.Table(module)``: an expected value whose truth is not Keras's own layer, computed by
the instructor's ``grader/answers/<module>.py``, or read from the values the student release ships),
and the judge's tools -- one module per concern:

- ``expect``: verdicts that show what was expected and what came back, and name a known mistake;
- ``truth``: numbers computed by Keras itself (output shapes, parameter counts, real convolutions,
  ``keras.applications`` summaries);
- ``graph``: a rebuilt model as a graph -- its parts, shared weights, behaviour beside a reference;
- ``structure``: a model as a table of layers (``layer_rows``, ``compare_layers``, ``summary``);
- ``recurrent``: the recurrent layers of ex07-ex09 -- cases, Keras under shared weights, the standard checks;
- ``training``: the training checks (ex03, ex08, ex12, ex13) -- what the grader saw while a model trained, the
  learning rates that work, and the diagnosis (did not learn, overfits, too slow),
  and a model the judge could not rebuild, trained in the child and scored on images whose labels stay with it.

The tools use the core, never a front end; ``tests/test_layers.py`` keeps the checks on this API.
``truth``, ``graph`` and ``structure`` import Keras: they load when a check module asks for them.
"""
from __future__ import annotations

from grader.core.errors import Fail, NotAttempted, StudentError
from grader.core.i18n import N_, _
from grader.core.spec import Exercise, rebuild
from grader.core.wire import StudentModel
from grader.judge import answers, expect
from grader.judge.cache import memo, model_key

TOOLS = ("expect", "truth", "graph", "structure", "recurrent", "training")

__all__ = ["Exercise", "Fail", "NotAttempted", "StudentError", "StudentModel", "rebuild", "N_", "_", "memo", "model_key",
           "answers", *TOOLS]
