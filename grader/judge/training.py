"""Training checks of a model the judge could not rebuild (``graph.is_opaque``): trained in the child.

A model made of built-in layers (the child writes subclassed models, ``Lambda``s and ``tf.nn`` calls out
that way, ``grader.core.lowering``) is rebuilt and trained by the judge itself (ex03's and ex13's
``train_and_score``).  One that holds a layer making its own weights, or an operation Keras has no twin
for, can only run where the student's code lives: the child trains it with the same data, epochs, batch
size, seed and CPU budget (``grader.core.lowering.train``) and returns its class probabilities on
``score_images``: copies of the test images with noise drawn from the check's seed, whose labels never
leave the judge.  The noise keeps a model that looks its input up in the public data set from finding it
(the digits are multiples of 1/16: rounding does not undo a noise of 0.05 and a brightness change), and
costs a model that learned the task little (``make test-slow`` calibrates this path on 10 seeds).
"""
from __future__ import annotations

import numpy as np

from grader.core.errors import Fail
from grader.core.i18n import _

NOISE = 0.05            # standard deviation of the Gaussian noise added to every pixel
BRIGHTNESS = 0.05       # each image is scaled by a factor drawn from [1 - BRIGHTNESS, 1 + BRIGHTNESS]


def score_images(x: np.ndarray, seed: int) -> np.ndarray:
    """Copies of ``x`` (values in [0, 1]) with noise and a brightness change drawn from ``seed``."""
    rng = np.random.default_rng([int(seed) % 2**32, 20261207])
    scale = rng.uniform(1.0 - BRIGHTNESS, 1.0 + BRIGHTNESS, (len(x),) + (1,) * (x.ndim - 1))
    noisy = x.astype("float64") * scale + rng.normal(0.0, NOISE, x.shape)
    return np.clip(noisy, 0.0, 1.0).astype("float32")


def accuracy_in_child(model, x_train, y_train, x_test, y_test, seed: int, *, epochs: int, batch_size: int,
                      budget_s: float, steps_per_execution: int = 1, num_classes: int):
    """(the accuracy on ``score_images(x_test, seed)``, the child's ``wire.TrainingRun``) of an opaque model
    trained in the child; a FAIL for a training that ran out of its budget or predicts nothing usable."""
    x_score = score_images(x_test, seed)
    run = model.train(np.asarray(x_train, "float32"), np.asarray(y_train), x_score, epochs=int(epochs),
                      batch_size=int(batch_size), seed=int(seed), budget_s=float(budget_s),
                      steps_per_execution=int(steps_per_execution))
    if run.exceeded:
        raise Fail(_("training took longer than the {budget:g} s budget for {epochs} epochs").format(
            budget=budget_s, epochs=epochs))
    probs = run.probabilities
    if probs.shape != (len(x_test), num_classes):
        raise Fail(_("your model's predictions have shape {got}, expected {want}").format(
            got=probs.shape, want=(len(x_test), num_classes)), _("End with Dense(num_classes)."))
    if not np.all(np.isfinite(probs)):
        raise Fail(_("your model's predictions became NaN during training"),
                   _("Lower the learning rate; check the loss matches the output layer."))
    return float(np.mean(np.argmax(probs, axis=-1) == np.asarray(y_test))), run
