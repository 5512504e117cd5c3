"""Transition block that rounds C * compression (15 * 0.5 -> 8) instead of flooring it (7).

expect: transition FAIL "rounded C * compression instead of flooring"
expect: bottleneck_residual_behaviour ERROR "does not define bottleneck_residual_block"
expect: bottleneck_residual_structure ERROR "does not define bottleneck_residual_block"
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
"""
from keras import layers


def transition_block(x, compression=0.5):
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.Conv2D(round(x.shape[-1] * compression), 1, use_bias=False)(x)
    return layers.AveragePooling2D(2)(x)
