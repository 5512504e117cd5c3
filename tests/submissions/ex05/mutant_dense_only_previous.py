"""Dense block whose layers each read only the previous layer's output (a
plain chain); all outputs are concatenated at the end, so the shape is right.

expect: dense_block_structure FAIL "layer 2 reads layer 1's output"
expect: dense_block_behaviour FAIL "layer with weights number 5"
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
