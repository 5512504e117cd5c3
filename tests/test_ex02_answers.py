"""ex02's truths on the instructor's side (grader/answers/ex02_padding_stride.py): the 'same' pads and the numpy
convolution that make the named mistakes agree with Keras where no mistake is switched on, and a variant that
cannot exist for a case is left out instead of failing the check."""
from __future__ import annotations

import numpy as np
import pytest

from grader.answers import ex02_padding_stride as ref02
from grader.judge import truth


def test_same_pads_are_keras_pads():
    for n in range(1, 21):
        for k in range(1, 7):
            for s in range(1, 4):
                assert ref02.same_pads(n, k, s) == truth.same_padding_of_keras(n, k, s), (n, k, s)


@pytest.mark.parametrize("shape, kernel, stride, padding", [
    ((2, 7, 7, 3), (3, 3, 2), 1, "same"), ((1, 8, 8, 1), (4, 4, 2), 2, "same"), ((1, 6, 7, 3), (2, 3, 3), 1, "same"),
    ((2, 5, 8, 3), (3, 1, 2), 2, "valid"), ((1, 9, 9, 1), (3, 3, 2), 2, "valid")])
def test_without_a_mistake_the_numpy_convolution_is_keras(shape, kernel, stride, padding):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, shape).astype("float32")
    w = rng.uniform(-0.5, 0.5, (kernel[0], kernel[1], shape[3], kernel[2])).astype("float32")
    b = rng.uniform(-0.5, 0.5, (kernel[2],)).astype("float32")
    pads = ((0, 0), (0, 0)) if padding == "valid" else (ref02.same_pads(shape[1], kernel[0], stride),
                                                        ref02.same_pads(shape[2], kernel[1], stride))
    np.testing.assert_allclose(ref02.conv(x, w, b, stride, pads), truth.conv2d_apply(x, w, b, stride, padding),
                               atol=1e-5, rtol=1e-5)


def test_no_square_kernel_variant_where_that_code_raises():
    """A 4x1 kernel on an input 2 wide, 'valid': code that takes a square 4x4 window has a negative output width
    and raises (the check names the mistake from the raise); the judge must not fail computing it (hidden seeds
    98 and 142 of hidden_conv drew such a case and ended in an internal grader error)."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (1, 9, 2, 3)).astype("float32")
    w = rng.uniform(-0.5, 0.5, (4, 1, 3, 3)).astype("float32")
    b = rng.uniform(-0.5, 0.5, (3,)).astype("float32")
    found = ref02.conv_mistakes(x, w, b, 1, "valid")
    assert "square_kernel" not in found and set(found) == {"no_bias", "flipped"}
    empty = ref02.conv_mistakes(x, w[:3], b, 1, "valid")  # 3x1 on 2 wide: that code returns an empty output
    assert empty["square_kernel"].shape == (1, 7, 0, 3)
