"""Recipes of ex06: hand the student's ``convolutionalize`` a real Keras model.

The judge builds a small classifier and sends its config and weights
(a ``wire.StudentModel``); here it becomes a model again, the student's
function converts it, and the result goes back as config + weights.
"""
from __future__ import annotations

from grader.core.child import call, recipe


@recipe
def convolutionalize_model(module, classifier):
    import keras
    model = keras.saving.deserialize_keras_object(classifier.config, safe_mode=True)
    model.set_weights(classifier.weights)
    return call(module, "convolutionalize", (model,), {})
