"""AlexNet whose first 11x11/4 convolution pads "same": 57x57 maps instead of
55x55.  At 227x227 the pooling brings it back to 6x6x256, so the parameter
count is right -- only the layer table shows the mistake.

expect: alexnet_layers FAIL "layer 1"
expect: alexnet_params PASS
expect: hidden_alexnet FAIL "same"
expect: bottleneck_behaviour ERROR "does not define bottleneck"
expect: bottleneck_layers ERROR "does not define bottleneck"
expect: hidden_arithmetic ERROR "does not define receptive_field"
expect: hidden_blocks ERROR "does not define vgg_block"
expect: hidden_vgg16 ERROR "does not define vgg16"
expect: receptive_fields ERROR "does not define receptive_field"
expect: stacked_params ERROR "does not define stacked_conv_params"
expect: vgg16_layers ERROR "does not define vgg16"
expect: vgg16_params ERROR "does not define vgg16"
expect: vgg_block_behaviour ERROR "does not define vgg_block"
expect: vgg_block_layers ERROR "does not define vgg_block"
"""
import keras
from keras import layers


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(96, 11, strides=4, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(256, 5, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(384, 3, padding="same", activation="relu"),
        layers.Conv2D(256, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2),
        layers.Flatten(),
        layers.Dense(4096, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(4096, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ])
