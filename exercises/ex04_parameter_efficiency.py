"""ex04 -- Parameter efficiency: VGG's 3x3 stacks, 1x1 convolutions, AlexNet and VGG16.

Why small kernels?  A stack of convolutions sees more of the image with every
layer.  Its *receptive field* -- how many input pixels along one axis reach one
output pixel -- is

    RF = 1 + sum_i (k_i - 1) * (s_1 * s_2 * ... * s_{i-1})

(each layer widens the window by k - 1 steps of the layers below it, and a step
there is as long as the product of the earlier strides).  Two 3x3 convolutions
(stride 1) see 5 pixels, like one 5x5; three see 7, like one 7x7.  But with C
channels in and out, two 3x3 layers have 2 * 9 * C^2 = 18 C^2 weights and one
5x5 layer has 25 C^2 -- and the stack gets an extra ReLU in between.  That is
the design rule of VGG: only 3x3 convolutions, stacked, then 2x2 max pooling.

Why 1x1 convolutions?  A 1x1 convolution mixes channels at each pixel; it is
the cheap way to cut C_in channels down to r before an expensive kxk layer:
C_in * r + k * k * r * C_out weights instead of k * k * C_in * C_out.
(GoogLeNet's inception block and ResNet's bottleneck block both do it.)

Where do AlexNet's 62 million parameters live?  Not in the convolutions (about
3.7 million): the first Dense layer alone reads the flattened 6x6x256 map, so it
has (6 * 6 * 256 + 1) * 4096 = 37.7 million weights.  VGG16 is the same story:
of its 138 million parameters, 103 million are in the Dense layer after Flatten.

What to write:

* ``receptive_field`` and ``stacked_conv_params``: plain Python integers.
* ``vgg_block`` and ``bottleneck``: tensor functions -- they take a Keras
  tensor (the output of ``keras.Input`` or of earlier layers), call layers on
  it and return the output tensor.
* ``alexnet`` and ``vgg16``: return a ``keras.Model`` (Sequential,
  functional or a ``keras.Model`` subclass, your choice); layers of your own
  (``keras.layers.Layer`` subclasses) and ``tf.nn`` functions are fine too:
  the grader judges what the model computes, not how it is written.

Grading: ``receptive_field`` is compared with Keras itself (impulses through a
stack of Conv1D layers), the counts with ``count_params()`` of real layers.
Blocks are built by the grader on ``keras.Input``s of its choosing; their
layers (class, output shape, parameters, activation) are compared with the
reference one by one, and their outputs with the reference's under identical
random weights on random inputs (to 1e-4).  ``alexnet`` is checked layer by
layer against the table in its docstring and must have exactly 62,378,344
parameters; ``vgg16`` must have the layers and the parameter count of
``keras.applications.VGG16(weights=None)`` (138,357,544; Dropout layers are
allowed and ignored).  The full-size networks are never run on images: the
grader reads shapes and counts only.  Hidden checks use other input sizes,
class counts and block configurations.  Time limit 20 s per check (60 s for the
checks that build AlexNet/VGG16); memory limit 3 GB.  The grader refuses,
before building it, a model of more than 300,000,000 parameters or with a
tensor of more than 250,000,000 values.
"""
import keras
from keras import layers


def receptive_field(layers):  # noqa: F811 -- the argument shadows keras.layers here only
    """Receptive field (along one axis) of a stack of layers.

    layers: a list of (kernel_size, stride) pairs, first layer first; a
    pooling layer counts like a convolution with its pool size and stride.
    Returns an int: 1 + sum((k_i - 1) * product of the strides before layer i).
    Example: [(3, 1), (3, 1)] -> 5; [(11, 4), (3, 2)] -> 19.
    """
    raise NotImplementedError


def stacked_conv_params(channels, kernel_size, depth):
    """Parameters of ``depth`` stacked kernel_size x kernel_size Conv2D layers,
    each mapping ``channels`` channels to ``channels`` channels, with biases.

    Example: stacked_conv_params(64, 3, 2) = 2 * (3*3*64 + 1) * 64 = 73,856,
    against stacked_conv_params(64, 5, 1) = 102,464 for one 5x5 layer.
    """
    raise NotImplementedError


def vgg_block(x, filters, num_convs):
    """A VGG block: ``num_convs`` Conv2D(filters, 3x3, padding="same", ReLU)
    layers, then MaxPooling2D(2) (2x2, stride 2).  Returns the output tensor:
    (H, W, C) -> (H // 2, W // 2, filters).
    """
    raise NotImplementedError


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    """A 1x1 "bottleneck" before an expensive convolution: Conv2D(reduce_filters,
    1x1, ReLU), then Conv2D(out_filters, kernel_size x kernel_size,
    padding="same", ReLU).  Both with biases.  (H, W, C) -> (H, W, out_filters).
    """
    raise NotImplementedError


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    """AlexNet as one tower, without local response normalisation:

        layer                                   output (227x227x3 input)
        Conv2D 96, 11x11, stride 4, "valid", ReLU    55 x 55 x 96
        MaxPooling2D 3x3, stride 2                   27 x 27 x 96
        Conv2D 256, 5x5, "same", ReLU                27 x 27 x 256
        MaxPooling2D 3x3, stride 2                   13 x 13 x 256
        Conv2D 384, 3x3, "same", ReLU                13 x 13 x 384
        Conv2D 384, 3x3, "same", ReLU                13 x 13 x 384
        Conv2D 256, 3x3, "same", ReLU                13 x 13 x 256
        MaxPooling2D 3x3, stride 2                    6 x  6 x 256
        Flatten                                      9216
        Dense 4096, ReLU; Dropout(0.5)               4096
        Dense 4096, ReLU; Dropout(0.5)               4096
        Dense num_classes, softmax                   num_classes

    62,378,344 parameters with the defaults.  Other input sizes and class
    counts give other counts: the grader asks for some.
    """
    raise NotImplementedError


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    """VGG16 (configuration D): five VGG blocks with (64, 2), (128, 2), (256, 3),
    (512, 3), (512, 3) (filters, convolutions), then Flatten, Dense 4096 ReLU,
    Dense 4096 ReLU, Dense num_classes softmax -- the layers and the parameter
    count (138,357,544) of ``keras.applications.VGG16(weights=None)``.
    """
    raise NotImplementedError
