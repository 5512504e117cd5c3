"""Dense block whose layers each read only the previous layer's output (a
plain chain); all outputs are concatenated at the end, so the shape is right.

expect: dense_block_structure FAIL "layer 2 reads layer 1's output"
expect: dense_block_behaviour FAIL "layer with weights number 5"
expect: bottleneck_residual_behaviour ERROR "does not define bottleneck_residual_block"
expect: bottleneck_residual_structure ERROR "does not define bottleneck_residual_block"
expect: densenet121_layers ERROR "does not define densenet121"
expect: densenet121_params ERROR "does not define densenet121"
expect: hidden_dense FAIL "dense_block("
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
expect: hidden_dense FAIL "dense_block(keras.Input(("
"""
from keras import layers


def dense_block(x, num_layers, growth_rate):
    features = [x]
    y = x
    for _ in range(num_layers):
        y = layers.BatchNormalization()(y)
        y = layers.ReLU()(y)
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(y)
        y = layers.BatchNormalization()(y)
        y = layers.ReLU()(y)
        y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(y)
        features.append(y)
    return layers.Concatenate()(features)
