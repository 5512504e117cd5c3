"""keras.Model subclasses again, the other way round: the conv stack is returned unbuilt (its
layers get their weights at the first call), and the digits model calls model.build(...) the
TF2 way -- in Keras 3 that marks it built without creating the weights of its layers.  The
forward passes apply keras.activations.relu/softmax to tensors in call.  Both are correct and
must score full marks.

expect: * PASS
"""
import keras
from keras import layers


class CifarStack(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.convs = [layers.Conv2D(32, 3, padding="same"), layers.Conv2D(64, 3, padding="same"),
                      layers.Conv2D(64, 3)]
        self.pools = [layers.MaxPooling2D(2), layers.MaxPooling2D(2)]
        self.flat = layers.Flatten()
        self.fc = layers.Dense(64)
        self.logits = layers.Dense(num_classes)

    def call(self, x):
        for i, conv in enumerate(self.convs):
            x = keras.activations.relu(conv(x))
            if i < len(self.pools):
                x = self.pools[i](x)
        x = keras.activations.relu(self.fc(self.flat(x)))
        return keras.activations.softmax(self.logits(x))


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    return CifarStack(num_classes, name="cifar_stack")


class SmallDigits(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.conv_a = layers.Conv2D(12, 3, padding="same")
        self.conv_b = layers.Conv2D(24, 3, padding="same")
        self.pool = layers.MaxPooling2D()
        self.flat = layers.Flatten()
        self.out = layers.Dense(num_classes)

    def call(self, x):
        x = keras.activations.relu(self.conv_a(x))
        x = self.pool(keras.activations.relu(self.conv_b(x)))
        return keras.activations.softmax(self.out(self.flat(x)))


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = SmallDigits(num_classes)
    model.build((None, *input_shape))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
