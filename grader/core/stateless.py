"""Build Keras layers and models without allocating their weights, in the judge and in the child."""
from __future__ import annotations

import collections
import contextlib
import copy
import json
import random


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


MODELS = 256  # weightless models kept per process (the judge's: references and students' rebuilt configs)
_models: "collections.OrderedDict[tuple, object]" = collections.OrderedDict()


def weightless_model(config: dict, *, safe_mode: bool = True):
    """The Keras object ``config`` describes (a model, a layer), built without weights (``no_weights``), once
    per process for the same config: a warm grader (the background server, ``grade --watch``, a batch
    worker) meets the same configs at every grade -- the reference's, and the student's when the file did not
    change that function -- and deserialising a network costs tens of milliseconds per model, seconds for a
    ResNet-50.  The object is shared, so its users only read it (shapes, counts, its graph) and run it with
    weights of their own (``stateless_call``); nothing in the judge changes a weightless model.  Layer names are
    in the config, so a model built for an earlier submission is the one this submission's config gives.
    A config that JSON cannot hold is built every time.  Keras pops keys from the config it deserialises:
    it works on a copy (the key's JSON text read back).  Building one leaves Python's ``random`` module as it
    was (Keras draws an initializer's seed from it): a model kept and a model built change nothing else."""
    import keras
    try:
        text = json.dumps(config)
    except (TypeError, ValueError):
        text = None
    key = (text, bool(safe_mode))
    if text is not None and key in _models:
        _models.move_to_end(key)
        return _models[key]
    own = json.loads(text) if text is not None else copy.deepcopy(config)
    state = random.getstate()
    try:
        with no_weights():
            model = keras.saving.deserialize_keras_object(own, safe_mode=safe_mode)
    finally:
        random.setstate(state)
    if text is not None:
        _models[key] = model
        while len(_models) > MODELS:
            _models.popitem(last=False)
    return model
