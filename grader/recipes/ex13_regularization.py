"""ex13 recipe: run the student's augmenter inside the child, on images the judge chose.

The judge rebuilds built-in layers from the config, but an augmenter that
ignores ``training`` (a Lambda around ``tf.image.random_flip_left_right``, a
custom layer) is exactly what the judge must not run itself.  So the child
calls ``build_augmenter()`` and applies the result to ``x`` at inference
(``training=False``, what ``predict`` and ``evaluate`` pass) and twice at training time,
and hands back the arrays.  Nothing is judged here.
"""
from __future__ import annotations

import numpy as np

from grader.core.child import call, recipe


def _numpy(value) -> np.ndarray:
    import keras
    return np.asarray(keras.ops.convert_to_numpy(value), dtype=np.float32)


@recipe
def augment_images(module, x):
    """{"kind": type name, "inference"|"train"|"train_again": arrays, or "error": text}."""
    import keras
    aug = call(module, "build_augmenter")
    if not isinstance(aug, keras.layers.Layer):
        return {"kind": type(aug).__name__}
    out = {"kind": type(aug).__name__}
    try:
        out["inference"] = _numpy(aug(x, training=False))
        out["train"] = _numpy(aug(x, training=True))
        out["train_again"] = _numpy(aug(x, training=True))
    except Exception as e:  # noqa: BLE001 -- the judge reports what the augmenter could not do
        text = str(e).splitlines()[0][:160] if str(e) else ""
        out["error"] = f"{type(e).__name__}: {text}"
    return out
