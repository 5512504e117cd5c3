"""ex05 -- Modern CNN blocks: GoogLeNet's inception, ResNet's residual blocks, DenseNet.

After VGG, networks got deeper by changing the *wiring*, not the layers:

* **Inception (GoogLeNet).**  Which kernel size is right for a layer?  Use
  several in parallel and let training decide: a 1x1, a 3x3 and a 5x5
  convolution and a 3x3 max pooling side by side, concatenated on the channel
  axis.  1x1 convolutions first cut the channels (f3_reduce, f5_reduce) so the
  3x3 and 5x5 stay cheap, and one after the pooling (pool_proj) keeps the
  pooled branch from carrying all C input channels.

* **Residual blocks (ResNet).**  A plain 56-layer network trains *worse* than a
  20-layer one -- not overfitting: even its training error is higher (the
  degradation problem).  A residual block computes F(x) and outputs
  ReLU(F(x) + x): the layers only learn a correction to the identity, and the
  gradient flows back through the "+ x" unchanged.  When F changes the shape
  (stride 2, or another channel count), the shortcut becomes a 1x1 convolution
  with the same stride (+ BatchNormalization) so the two can be added.
  The *bottleneck* block (ResNet-50 and deeper) is 1x1 (cut to `filters`),
  3x3, 1x1 (expand to 4 * filters): deeper and cheaper than two 3x3 at 4x width.

* **Dense blocks (DenseNet).**  Instead of adding, *concatenate*: layer l sees
  the block input and the outputs of all earlier layers, and adds only
  `growth_rate` (k) new channels: C + l * k after l layers.  Transition blocks
  between dense blocks cut the channels (compression) and halve the size.

Conventions: tensor functions take a Keras tensor and return the output tensor,
channels last.  Write a block with built-in layers, ``keras.ops``, ``tf.nn``
functions or your own ``keras.layers.Layer`` subclass (the textbook
``ResidualUnit``): the grader judges what it computes, not how it is written.
A block made of a layer that creates its own weights (``add_weight``) is
judged by its outputs beside the reference block's under the same weights.  A
BatchNormalization epsilon is your choice (Keras's default 1e-3 or the
1.001e-5 of keras.applications); so are layer names and initializers.
Convolutions in the inception block have biases (the Keras default).

Grading: each block is built by the grader on ``keras.Input``s it chooses.
Its *structure* is read from the graph (the Add really takes the block input or
its projection; the four inception branches are concatenated in the order
1x1, 3x3, 5x5, pool; a dense block's output really contains its input and
every layer's features), then its *behaviour* is compared with the reference
block: both get the same random weights (BatchNormalization moving statistics
too; inference mode), the same random inputs, and the outputs must agree to
1e-4.  ``resnet50`` and ``densenet121`` must match ``keras.applications``
(weights=None) in parameter count (25,636,712 and 8,062,504), in the sequence
of layers with weights (class and weight shapes) and in their wiring (16
residual additions; 58 concatenations); they are read, never run.  Hidden
checks use other sizes, channel counts, growth rates and class counts.
Time limit 20 s per check (60 s for the full networks); memory limit 2 GB.
The grader refuses, before building it, a model of more than 40,000,000
parameters or with a tensor of more than 16,000,000 values.
"""
import keras
from keras import layers


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    """GoogLeNet's inception block: four branches, each ending in a ReLU,
    concatenated on the channel axis in this order:

    1. Conv2D(f1, 1x1)
    2. Conv2D(f3_reduce, 1x1), then Conv2D(f3, 3x3, "same")
    3. Conv2D(f5_reduce, 1x1), then Conv2D(f5, 5x5, "same")
    4. MaxPooling2D(3x3, strides=1, "same"), then Conv2D(pool_proj, 1x1)

    Every convolution has a ReLU.  (H, W, C) -> (H, W, f1 + f3 + f5 + pool_proj).
    """
    raise NotImplementedError


def residual_block(x, filters, stride=1):
    """ResNet's basic block:

        main:     Conv2D(filters, 3x3, strides=stride, "same") - BN - ReLU
                  - Conv2D(filters, 3x3, "same") - BN
        shortcut: x itself when the shape does not change (stride 1 and
                  C == filters); otherwise Conv2D(filters, 1x1, strides=stride)
                  - BN
        output:   ReLU(main + shortcut)

    (Whether these convolutions have biases is up to you: BN follows each.)
    """
    raise NotImplementedError


def bottleneck_residual_block(x, filters, stride=1):
    """ResNet v1's bottleneck block, as in ``keras.applications.ResNet50``:

        main:     Conv2D(filters, 1x1, strides=stride) - BN - ReLU
                  - Conv2D(filters, 3x3, "same") - BN - ReLU
                  - Conv2D(4 * filters, 1x1) - BN
        shortcut: x when stride is 1 and C == 4 * filters; otherwise
                  Conv2D(4 * filters, 1x1, strides=stride) - BN
        output:   ReLU(main + shortcut)

    The convolutions keep their biases (as keras.applications does).
    """
    raise NotImplementedError


def dense_block(x, num_layers, growth_rate):
    """DenseNet's dense block.  Each of the ``num_layers`` layers is

        BN - ReLU - Conv2D(4 * growth_rate, 1x1) - BN - ReLU - Conv2D(growth_rate, 3x3, "same")

    (convolutions without bias) and its output is concatenated after
    everything before it: x = Concatenate()([x, new]).  The block input's
    channels come first, then each layer's, in order, as in
    keras.applications.DenseNet.  (H, W, C) -> (H, W, C + num_layers * growth_rate).
    """
    raise NotImplementedError


def transition_block(x, compression=0.5):
    """DenseNet's transition: BN - ReLU - Conv2D(floor(C * compression), 1x1,
    no bias) - AveragePooling2D(2, strides=2).
    """
    raise NotImplementedError


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    """ResNet-50 as ``keras.applications.ResNet50(weights=None)``: a stem (7x7/2
    convolution with 64 filters, BN, ReLU, 3x3/2 max pooling), four stages of
    bottleneck blocks -- (64, 3 blocks), (128, 4), (256, 6), (512, 3), the first
    block of stages 2-4 with stride 2 -- global average pooling and a softmax
    Dense layer.  25,636,712 parameters with the defaults.
    """
    raise NotImplementedError


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    """DenseNet-121 as ``keras.applications.DenseNet121(weights=None)``: a stem
    (7x7/2 convolution with 64 filters and no bias, BN, ReLU, 3x3/2 max
    pooling), dense blocks of 6, 12, 24 and 16 layers with growth rate 32 and a
    transition (compression 0.5) after each of the first three, then BN, ReLU,
    global average pooling and a softmax Dense layer.  8,062,504 parameters.
    """
    raise NotImplementedError
