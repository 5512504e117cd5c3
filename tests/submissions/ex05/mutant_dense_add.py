"""Dense block that adds each layer's output to its input (ResNet-style)
instead of concatenating it: the earlier features are mixed, not kept.

expect: dense_block_structure FAIL "adds the new features"
expect: dense_block_behaviour FAIL "layer with weights number 4"
"""
from keras import layers


def dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = layers.BatchNormalization()(x)
        y = layers.ReLU()(y)
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(y)
        y = layers.BatchNormalization()(y)
        y = layers.ReLU()(y)
        y = layers.Conv2D(x.shape[-1], 3, padding="same", use_bias=False)(y)
        x = layers.Add()([x, y])
    return x
