"""ResNet v1.5 (torchvision's): the stride sits on the 3x3 convolution, not on
the first 1x1 as in keras.applications' ResNet v1 that the exercise asks for.

expect: bottleneck_residual_structure FAIL "the main path is conv1x1-bn-relu-conv3x3/2"
expect: bottleneck_residual_behaviour FAIL "differs"
expect: dense_block_behaviour ERROR "does not define dense_block"
expect: dense_block_structure ERROR "does not define dense_block"
expect: densenet121_layers ERROR "does not define densenet121"
expect: densenet121_params ERROR "does not define densenet121"
expect: hidden_dense ERROR "does not define dense_block"
expect: hidden_densenet121 ERROR "does not define densenet121"
expect: hidden_inception ERROR "does not define inception_block"
expect: hidden_residual ERROR "does not define residual_block"
expect: hidden_resnet50 ERROR "does not define resnet50"
expect: inception_behaviour ERROR "does not define inception_block"
expect: inception_structure ERROR "does not define inception_block"
expect: residual_behaviour ERROR "does not define residual_block"
expect: residual_structure ERROR "does not define residual_block"
expect: resnet50_layers ERROR "does not define resnet50"
expect: resnet50_params ERROR "does not define resnet50"
expect: transition ERROR "does not define transition_block"
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
