"""A keras.Model subclass AlexNet (built on a keras.Input) with the same mistake as
mutant_alexnet_no_dropout: no Dropout layers, so the count is right and the layer table is not.
It must get that file's verdicts.

expect: hidden_alexnet FAIL "expected Dropout"
expect: alexnet_params PASS
expect: alexnet_layers FAIL "expected Dropout"
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


class AlexNet(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.features = [
            layers.Conv2D(96, 11, strides=4, activation="relu"), layers.MaxPooling2D(3, strides=2),
            layers.Conv2D(256, 5, padding="same", activation="relu"), layers.MaxPooling2D(3, strides=2),
            layers.Conv2D(384, 3, padding="same", activation="relu"),
            layers.Conv2D(384, 3, padding="same", activation="relu"),
            layers.Conv2D(256, 3, padding="same", activation="relu"), layers.MaxPooling2D(3, strides=2),
        ]
        self.flatten = layers.Flatten()
        self.fc1 = layers.Dense(4096, activation="relu")
        self.fc2 = layers.Dense(4096, activation="relu")
        self.out = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        for layer in self.features:
            x = layer(x)
        return self.out(self.fc2(self.fc1(self.flatten(x))))


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    model = AlexNet(num_classes)
    model(keras.Input(shape=input_shape))
    return model
