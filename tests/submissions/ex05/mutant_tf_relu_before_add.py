"""TensorFlow-namespace spelling (tf.keras.layers, Activation(tf.nn.relu), HeNormal initializers)
with the same mistake as mutant_relu_before_add: out = ReLU(BN(conv(...))) + shortcut, no ReLU
after the addition.  It must get that file's verdicts.

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
import tensorflow as tf

L = tf.keras.layers


def residual_block(x, filters, stride=1):
    he = tf.keras.initializers.HeNormal()
    y = L.Conv2D(filters, 3, strides=stride, padding="same", kernel_initializer=he)(x)
    y = L.Activation(tf.nn.relu)(L.BatchNormalization()(y))
    y = L.BatchNormalization()(L.Conv2D(filters, 3, padding="same", kernel_initializer=he)(y))
    y = L.Activation(tf.nn.relu)(y)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = L.BatchNormalization()(L.Conv2D(filters, 1, strides=stride, kernel_initializer=he)(x))
    return L.Add()([y, shortcut])
