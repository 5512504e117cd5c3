"""Residual block that applies the last ReLU to the main path and adds the
shortcut after it: out = ReLU(BN(conv(...))) + x.

expect: residual_structure FAIL "ends with the addition"
expect: residual_behaviour FAIL "differs from the expected output"
expect: bottleneck_residual_behaviour ERROR "does not define bottleneck_residual_block"
expect: bottleneck_residual_structure ERROR "does not define bottleneck_residual_block"
expect: dense_block_behaviour ERROR "does not define dense_block"
expect: dense_block_structure ERROR "does not define dense_block"
expect: densenet121_layers ERROR "does not define densenet121"
expect: densenet121_params ERROR "does not define densenet121"
expect: hidden_dense ERROR "does not define dense_block"
expect: hidden_densenet121 ERROR "does not define densenet121"
expect: hidden_inception ERROR "does not define inception_block"
expect: hidden_residual FAIL "residual_block("
expect: hidden_resnet50 ERROR "does not define resnet50"
expect: inception_behaviour ERROR "does not define inception_block"
expect: inception_structure ERROR "does not define inception_block"
expect: resnet50_layers ERROR "does not define resnet50"
expect: resnet50_params ERROR "does not define resnet50"
expect: transition ERROR "does not define transition_block"
expect: hidden_residual FAIL "residual_block(keras.Input((5,"
"""
from keras import layers


def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    y = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y))
    y = layers.ReLU()(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride)(x))
    return layers.Add()([y, shortcut])
