"""scikit-learn's 8x8 digits (1,797 images) with a fixed 80/20 stratified split: 1,437 training and
360 test images, shipped with the course in ``data/digits.npz`` (47 KB, nothing downloads).

The file holds the split that ``sklearn.model_selection.train_test_split(..., test_size=0.2,
stratify=y, random_state=0)`` makes of ``sklearn.datasets.load_digits()``: the pixel values 0-16 as
uint8 and the labels.  The course does not depend on scikit-learn: Keras imports it at start-up
whenever it is installed, which costs every process that imports Keras about a second
(tests/test_datasets_digits.py checks the file against scikit-learn where it is installed)."""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

SPLIT_SEED = 0  # fixed: every student and the grader see the same split (the random_state above)
DATA = Path(__file__).resolve().parent / "data" / "digits.npz"


@functools.lru_cache(maxsize=1)
def _split():
    with np.load(DATA) as f:
        parts = {k: f[k] for k in f.files}
    def images(a):  # (N, 8, 8, 1) float32 in [0, 1], as (load_digits().images / 16.0).astype("float32")
        return (a.astype("float64") / 16.0).astype("float32")[..., None]
    return (images(parts["train_images"]), images(parts["test_images"]),
            parts["train_labels"].astype("int64"), parts["test_labels"].astype("int64"))


def load_digits_split():
    """((x_train, y_train), (x_test, y_test)): images (N, 8, 8, 1) float32 in [0, 1],
    integer labels 0-9 (use sparse_categorical_crossentropy)."""
    x_train, x_test, y_train, y_test = _split()
    return (x_train.copy(), y_train.copy()), (x_test.copy(), y_test.copy())
