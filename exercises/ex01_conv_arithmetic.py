"""ex01 -- Convolution arithmetic: output sizes and parameter counts.

Before you build a CNN you should be able to predict, on paper, the shape of
every layer's output and how many weights it has.  Implement the functions
below with plain Python integers (no Keras needed); the grader compares your
answers with real Keras layers on many configurations.

Output length along one axis (n inputs, kernel k, stride s):

* ``padding="valid"`` -- no padding, the window must fit:  floor((n - k) / s) + 1
* an int ``p`` -- p zeros on *both* sides:                 floor((n + 2p - k) / s) + 1
* ``padding="same"`` (Keras) -- pad just enough that the output has
  ceil(n / s) positions, whatever k is.  With stride 1 that is n: the size is
  kept, hence the name.  ``n // s`` is *not* the same thing when s does not
  divide n (7 // 2 = 3, but Keras gives ceil(7 / 2) = 4).

Parameters: a Conv2D layer has one kh x kw x C_in kernel per filter plus one
bias per filter, so (kh * kw * C_in + 1) * filters.  A Dense layer has
(in_features + 1) * units.  Flattening an H x W x C feature map into a Dense
layer makes in_features = H * W * C -- that product is why the fully
connected layers of classic CNNs (AlexNet, VGG) hold most of their weights.

Worked examples (the grader checks them):
  32x32x3 input, ten 5x5 filters, stride 1, padding 2 -> 32x32x10, 760 params
  40x50x128 input, 64 3x3 filters, padding 1         -> 40x50x64, 73,792 params

Grading: every function is checked against Keras on fixed public cases and on
hidden cases drawn from the instructor's seed (so hard-coding fails).  Time
limit 10 s per check; memory limit 1 GB.
"""


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    """Output length of a convolution along one axis.

    n: input length; kernel_size: int; stride: int;
    padding: "valid", "same" (Keras semantics) or an int p (zeros on each side).
    Returns an int.
    """
    raise NotImplementedError


def conv_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid"):
    """Shape (H', W', filters) of a Conv2D output for an (H, W, C) input.

    kernel_size and strides are an int or an (h, w) pair; padding as in
    ``conv_output_length``.  Returns a tuple of three ints.
    """
    raise NotImplementedError


def pool_output_shape(input_shape, pool_size, strides=None, padding="valid"):
    """Shape of a 2D pooling output for an (H, W, C) input.

    pool_size and strides are an int or a pair; strides=None means
    strides = pool_size (the Keras default).  Pooling never changes C.
    Returns a tuple of three ints.
    """
    raise NotImplementedError


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    """Number of trainable parameters of a Conv2D layer (kernel_size int or pair)."""
    raise NotImplementedError


def dense_param_count(in_features, units, use_bias=True):
    """Number of trainable parameters of a Dense layer."""
    raise NotImplementedError


def flatten_dense_param_count(feature_shape, units):
    """Parameters of Dense(units) (with bias) applied to a flattened (H, W, C) feature map."""
    raise NotImplementedError
