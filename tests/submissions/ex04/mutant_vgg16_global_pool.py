"""VGG16 with GlobalAveragePooling2D instead of Flatten: 15 million parameters, not 138 million.

expect: vgg16_params FAIL "GlobalAveragePooling2D instead of Flatten"
expect: vgg16_layers FAIL "GlobalAveragePooling2D"
expect: alexnet_layers ERROR "does not define alexnet"
expect: alexnet_params ERROR "does not define alexnet"
expect: bottleneck_behaviour ERROR "does not define bottleneck"
expect: bottleneck_layers ERROR "does not define bottleneck"
expect: hidden_alexnet ERROR "does not define alexnet"
expect: hidden_arithmetic ERROR "does not define receptive_field"
expect: hidden_blocks ERROR "does not define vgg_block"
expect: hidden_vgg16 FAIL "vgg16("
expect: receptive_fields ERROR "does not define receptive_field"
expect: stacked_params ERROR "does not define stacked_conv_params"
expect: vgg_block_behaviour ERROR "does not define vgg_block"
expect: vgg_block_layers ERROR "does not define vgg_block"
"""
import keras
from keras import layers


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, n in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(n):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(4096, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
