"""Recipes of ex06: hand the student's ``convolutionalize`` a real Keras model.

The judge builds a small classifier and sends its config and weights
(a ``wire.StudentModel``); here it becomes a model again, the student's
function converts it, and the result goes back as config + weights.
"""
from __future__ import annotations

from grader.core.child import call, recipe


@recipe
def convolutionalize_model(module, classifier):
    """The student's fully convolutional model, written out with built-in layers; one without an input
    shape of its own (a keras.Model subclass) is traced on images of any size with the classifier's
    channels, as a fully convolutional model takes them."""
    import keras

    from grader.core import lowering
    model = keras.saving.deserialize_keras_object(classifier.config, safe_mode=True)
    model.set_weights(classifier.weights)
    fcn = call(module, "convolutionalize", (model,), {})
    if not isinstance(fcn, keras.Model):
        return fcn
    channels = int(model.inputs[0].shape[-1])
    return lowering.describe(fcn, with_weights=True, input_shapes=(None, None, channels))
