"""datasets.digits: the bundled 8x8 digits are scikit-learn's, with the course's fixed stratified split.

The course does not install scikit-learn (Keras imports it at start-up whenever it is there, about a second
of every process that imports Keras), so the split is a file.  These tests hold it to what the README and the
exercises say of it; where scikit-learn is installed, they also compare it with the split it makes."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from datasets import digits

# sklearn.datasets.load_digits(): images per class 0-9
CLASS_SIZES = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
# SHA-256 of the four arrays of datasets/data/digits.npz (train images, train labels, test images, test labels)
DIGEST = "9b17cde3ed24414d09b760a518f2d8d822fc9a99d30c3f2f448d3d0be9401213"


def _digest(arrays) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(str(a.dtype).encode() + str(a.shape).encode() + np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def test_sizes_types_and_values():
    (x_train, y_train), (x_test, y_test) = digits.load_digits_split()
    assert x_train.shape == (1437, 8, 8, 1) and x_test.shape == (360, 8, 8, 1)
    assert x_train.dtype == x_test.dtype == np.float32
    assert y_train.dtype == y_test.dtype == np.int64 and y_train.shape == (1437,) and y_test.shape == (360,)
    for x in (x_train, x_test):
        assert x.min() == 0.0 and x.max() == 1.0
        assert np.array_equal(x * 16, np.round(x * 16))  # sixteenths: the 0-16 pixel counts of the original


def test_the_split_is_stratified_and_holds_every_image_once():
    (_x, y_train), (_xt, y_test) = digits.load_digits_split()
    both = np.bincount(np.concatenate([y_train, y_test]), minlength=10)
    assert both.tolist() == CLASS_SIZES
    test_share = np.bincount(y_test, minlength=10) / both
    assert np.all(np.abs(test_share - 0.2) < 0.01), test_share  # 20% of every class in the test set


def test_the_file_holds_the_split_it_always_held():
    with np.load(digits.DATA) as f:
        arrays = [f[k] for k in ("train_images", "train_labels", "test_images", "test_labels")]
    assert _digest(arrays) == DIGEST


def test_callers_get_copies():
    (x_train, _y), _test = digits.load_digits_split()
    x_train[:] = -1
    assert digits.load_digits_split()[0][0].min() == 0.0


def test_the_same_split_as_scikit_learn_makes():
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (the course does not need it)")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    data = load_digits()
    x = (data.images / 16.0).astype("float32")[..., None]
    y = data.target.astype("int64")
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, stratify=y,
                                                        random_state=digits.SPLIT_SEED)
    (a, b), (c, d) = digits.load_digits_split()
    for mine, theirs in ((a, x_train), (b, y_train), (c, x_test), (d, y_test)):
        assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs)
