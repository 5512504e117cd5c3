"""Recurrent layers as the judge checks them (ex07 SimpleRNN, ex08 LSTM, ex09 GRU).

The judge draws a case (inputs, initial states, weights), runs the real Keras
layer on it under those weights -- the ground truth -- and calls the
student's numpy cell step or forward pass with the same numbers.  The wrong
answers that name the classic mistakes come from numpy versions of the layer
that are the instructor's code (``grader/answers/<module>.py``, asked for
through ``grader.judge.answers``; the student release ships their values on
the public cases): each case's are asked for before the student's function
is called, whatever it returns.  An exercise describes its layer once::

    RNN = Recurrent("SimpleRNN", cell_fn="rnn_cell_forward", forward_fn="rnn_forward", forward_takes_state=True,
                    cell_mistakes=_cell_mistakes, forward_mistakes=_forward_mistakes)

and declares its standard checks one line each
(``RNN.declare_cell_check(EXERCISE, "cell_matches_simple_rnn", points=2, hint=CELL_HINT)``).  What
differs between the layers is declared there: the Keras layer, how many gate
blocks the kernels hold, whether the forward pass takes the initial state,
and the wrong answers that name the classic mistakes; a layer whose cell
step returns more than ``h`` (the LSTM's ``(h, c)``) overrides ``check_cell``.
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

from grader.core.i18n import _
from grader.judge import expect
from grader.judge.cache import memo

# The public checks' shapes: (batch, input features, units) of a cell step, (batch, steps, input features, units)
# of a forward pass.
CELL_SHAPES = [(1, 1, 1), (2, 3, 4), (5, 8, 3), (3, 2, 16)]
FORWARD_SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (4, 12, 6, 8), (3, 20, 2, 16)]


@dataclasses.dataclass
class Case:
    """One set of numbers for a check: x (B, T, D), the initial states (h0[, c0]) (B, U) and the weights."""
    x: np.ndarray
    states: tuple
    kernel: np.ndarray
    recurrent_kernel: np.ndarray
    bias: np.ndarray

    @property
    def h0(self) -> np.ndarray:
        return self.states[0]

    @property
    def weights(self) -> tuple:
        return self.kernel, self.recurrent_kernel, self.bias


def draw_case(rng, batch, steps, dim, units, *, blocks=1, states=1, bias_rows=0) -> Case:
    """Inputs and states in [-1, 1] and moderate weights: float32 Keras stays well inside 1e-5.  ``blocks``
    gates side by side in the kernels' columns; a bias of ``bias_rows`` rows (0: one vector)."""
    f = np.float32
    x = rng.uniform(-1, 1, (batch, steps, dim)).astype(f)
    initial = tuple(rng.uniform(-1, 1, (batch, units)).astype(f) for _ in range(states))
    kernel = rng.uniform(-0.6, 0.6, (dim, blocks * units)).astype(f)
    recurrent_kernel = rng.uniform(-0.6, 0.6, (units, blocks * units)).astype(f)
    bias = rng.uniform(-0.5, 0.5, (bias_rows, blocks * units) if bias_rows else (blocks * units,)).astype(f)
    return Case(x, initial, kernel, recurrent_kernel, bias)


@memo
def keras_layer(name: str, x, kernel, recurrent_kernel, bias, *, return_sequences=False, initial_state=None,
                mask=None, return_state=False):
    """The ground truth: ``keras.layers.<name>`` with these weights, run on ``x`` (from ``initial_state``,
    under ``mask``).  Its output as float64, or with ``return_state`` the tuple (output, *final states).
    Asked once per process for each set of numbers (``grader.judge.cache.memo``): the cases come from the seed, so every
    submission of a batch, and every save in ``grade --watch``, meets the same ones."""
    import keras
    layer = getattr(keras.layers, name)(recurrent_kernel.shape[0], return_sequences=return_sequences,
                                        return_state=return_state)
    layer.build(x.shape)
    layer.set_weights([kernel, recurrent_kernel, bias])
    kwargs = {}
    if initial_state is not None:
        kwargs["initial_state"] = list(initial_state)
    if mask is not None:
        kwargs["mask"] = np.asarray(mask, dtype=bool)
    out = layer(x, **kwargs)
    arrays = tuple(np.asarray(keras.ops.convert_to_numpy(a), dtype=np.float64)
                   for a in (out if return_state else [out]))
    return arrays if return_state else arrays[0]


def sequence_mistakes(seq, return_sequences: bool) -> dict:
    """The output-shape mistakes of every forward pass, from every step's state ``seq`` (B, T, U)."""
    if return_sequences:
        return {_("returned only the last state although return_sequences=True"): seq[:, -1]}
    return {_("returned the whole sequence although return_sequences=False"): seq}


@dataclasses.dataclass
class Recurrent:
    """One recurrent layer and its standard checks.

    ``cell_mistakes(case)`` -> {label: the wrong h_1}; ``forward_mistakes(case, return_sequences)`` ->
    {label: the wrong output}.  ``forward_takes_state``: the forward pass starts from the case's h0 (passed
    after x) rather than from zeros.  ``max_steps`` and ``max_units`` bound the hidden checks' random shapes.
    """
    keras_name: str
    cell_fn: str
    forward_fn: str
    forward_mistakes: Callable[[Case, bool], dict]
    cell_mistakes: Callable[[Case], dict] | None = None  # None: the layer overrides check_cell
    blocks: int = 1
    states: int = 1
    bias_rows: int = 0
    forward_takes_state: bool = False
    max_steps: int = 24
    max_units: int = 19

    def case(self, rng, batch, steps, dim, units) -> Case:
        return draw_case(rng, batch, steps, dim, units, blocks=self.blocks, states=self.states,
                         bias_rows=self.bias_rows)

    def keras(self, case: Case, **kwargs):
        """``keras_layer`` of this layer on the case's numbers (``initial_state``, ``mask``, ... as there)."""
        return keras_layer(self.keras_name, case.x, *case.weights, **kwargs)

    def check_cell(self, t, shapes) -> None:
        """One step from h_prev equals Keras's first step from that initial state."""
        for batch, dim, units in shapes:
            case = self.case(t.rng, batch, 1, dim, units)
            want = self.keras(case, initial_state=case.states)
            mistakes = self.cell_mistakes(case)
            what = f"{self.cell_fn}(x_t {case.x[:, 0].shape}, h_prev {case.h0.shape}, ...)"
            got = t.call(self.cell_fn, case.x[:, 0], *case.states, *case.weights)
            expect.close(got, want, what, mistakes=mistakes)

    def check_forward(self, t, shapes, return_sequences: bool) -> None:
        """The whole sequence equals Keras's output (the last state, or every state)."""
        for batch, steps, dim, units in shapes:
            case = self.case(t.rng, batch, steps, dim, units)
            state = case.states if self.forward_takes_state else ()
            want = self.keras(case, return_sequences=return_sequences, initial_state=state or None)
            mistakes = self.forward_mistakes(case, return_sequences)
            h0 = f"h0 {case.h0.shape}, " if self.forward_takes_state else ""
            what = f"{self.forward_fn}(x {case.x.shape}, {h0}..., return_sequences={return_sequences})"
            got = t.call(self.forward_fn, case.x, *state, *case.weights, return_sequences=return_sequences)
            expect.close(got, want, what, mistakes=mistakes)

    def random_shapes(self, rng, n) -> list[tuple[int, int, int, int]]:
        """``n`` random (batch, steps, dim, units) for the hidden checks."""
        return [(int(rng.integers(1, 7)), int(rng.integers(1, self.max_steps + 1)), int(rng.integers(1, 9)),
                 int(rng.integers(1, self.max_units + 1))) for _ in range(n)]

    def check_hidden_cell(self, t) -> None:
        self.check_cell(t, [(b, d, u) for b, _, d, u in self.random_shapes(t.rng, 4)])

    def check_hidden_forward(self, t) -> None:
        for shape in self.random_shapes(t.rng, 6):
            self.check_forward(t, [shape], return_sequences=bool(t.rng.random() < 0.5))

    # ------------------------------------------------------------ the standard checks, declared
    def declare_cell_check(self, ex, name: str, *, points: float, hint, hidden: bool = False) -> None:
        """Declare on ``ex`` the check of one cell step: on ``CELL_SHAPES``, or on random shapes when hidden."""
        fn = self.check_hidden_cell if hidden else (lambda t: self.check_cell(t, CELL_SHAPES))
        ex.check(points=points, hint=hint, hidden=hidden, name=name, uses=(self.cell_fn,))(fn)

    def declare_forward_check(self, ex, name: str, *, points: float, hint, return_sequences: bool | None = None,
                              hidden: bool = False) -> None:
        """Declare on ``ex`` the check of the forward pass: on ``FORWARD_SHAPES`` with ``return_sequences``,
        or on random shapes and a random ``return_sequences`` when hidden."""
        fn = self.check_hidden_forward if hidden else \
            (lambda t: self.check_forward(t, FORWARD_SHAPES, return_sequences=return_sequences))
        ex.check(points=points, hint=hint, hidden=hidden, name=name, uses=(self.forward_fn,))(fn)
