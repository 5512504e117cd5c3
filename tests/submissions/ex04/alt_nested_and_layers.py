"""A different correct solution: blocks as nested Sequential models, separate
ReLU/Activation layers, a functional AlexNet, a Sequential VGG16 with Dropout
(allowed: it has no parameters), recursion and loops for the arithmetic.

expect: * PASS
"""
import keras
from keras import layers as L


def receptive_field(layers):
    if not layers:
        return 1
    *earlier, (k, _) = layers
    jump = 1
    for _, s in earlier:
        jump *= s
    return receptive_field(earlier) + (k - 1) * jump


def stacked_conv_params(channels, kernel_size, depth):
    total = 0
    for _ in range(depth):
        total += kernel_size ** 2 * channels * channels + channels
    return total


def vgg_block(x, filters, num_convs):
    block = keras.Sequential()
    for _ in range(num_convs):
        block.add(L.Conv2D(filters, (3, 3), padding="same"))
        block.add(L.ReLU())
    block.add(L.MaxPooling2D(pool_size=(2, 2), strides=(2, 2)))
    return block(x)


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    y = L.Conv2D(reduce_filters, (1, 1))(x)
    y = L.Activation("relu")(y)
    y = L.Conv2D(out_filters, (kernel_size, kernel_size), padding="same")(y)
    return L.Activation("relu")(y)


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    inp = keras.Input(shape=input_shape)
    x = L.ReLU()(L.Conv2D(96, 11, strides=(4, 4), padding="valid")(inp))
    x = L.MaxPooling2D(pool_size=3, strides=2)(x)
    x = L.ReLU()(L.Conv2D(256, 5, padding="same")(x))
    x = L.MaxPooling2D(pool_size=3, strides=2)(x)
    for f in (384, 384, 256):
        x = L.ReLU()(L.Conv2D(f, 3, padding="same")(x))
    x = L.MaxPooling2D(pool_size=3, strides=2)(x)
    x = L.Flatten()(x)
    for _ in range(2):
        x = L.Dropout(0.5)(L.ReLU()(L.Dense(4096)(x)))
    out = L.Softmax()(L.Dense(num_classes)(x))
    return keras.Model(inp, out)


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    model = keras.Sequential([keras.Input(shape=input_shape)])
    for filters, n in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(n):
            model.add(L.Conv2D(filters, 3, padding="same", activation="relu"))
        model.add(L.MaxPooling2D())
    model.add(L.Flatten())
    model.add(L.Dense(4096, activation="relu"))
    model.add(L.Dropout(0.5))
    model.add(L.Dense(4096, activation="relu"))
    model.add(L.Dropout(0.5))
    model.add(L.Dense(num_classes, activation="softmax"))
    return model
