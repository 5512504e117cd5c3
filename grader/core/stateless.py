"""Build Keras layers and models without allocating their weights, in the judge and in the child."""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def no_weights():
    """Build layers and models without allocating their weights.

    ``keras.StatelessScope`` defers variable initialisation, but by default
    initialises everything when it exits; here nothing is ever initialised
    (shapes and ``count_params()`` are all that is read), and the deferred
    variables are dropped from Keras's global list so that no later scope
    initialises them either.
    """
    import keras
    from keras.src.backend.common import global_state
    before = list(global_state.get_global_attribute("uninitialized_variables") or [])
    try:
        with keras.StatelessScope(initialize_variables=False):
            yield
    finally:
        global_state.set_global_attribute("uninitialized_variables", before)
