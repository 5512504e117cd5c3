"""ResNet v1.5 (torchvision's): the stride sits on the 3x3 convolution, not on
the first 1x1 as in keras.applications' ResNet v1 that the exercise asks for.

expect: bottleneck_residual_structure FAIL "the main path is conv1x1-bn-relu-conv3x3/2"
expect: bottleneck_residual_behaviour FAIL "differs"
"""
from keras import layers


def bottleneck_residual_block(x, filters, stride=1):
    shortcut = x
    if stride != 1 or x.shape[-1] != 4 * filters:
        shortcut = layers.BatchNormalization()(layers.Conv2D(4 * filters, 1, strides=stride)(x))
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 1)(x)))
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 3, strides=stride, padding="same")(y)))
    y = layers.BatchNormalization()(layers.Conv2D(4 * filters, 1)(y))
    return layers.ReLU()(layers.Add()([shortcut, y]))
