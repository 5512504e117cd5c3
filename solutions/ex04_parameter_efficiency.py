"""Reference solution of ex04 (parameter efficiency: VGG's 3x3 stacks, 1x1 convolutions, AlexNet, VGG16)."""
import keras
from keras import layers


def receptive_field(layers):  # noqa: F811 -- the syllabus names the argument `layers`
    rf, jump = 1, 1
    for kernel_size, stride in layers:
        rf += (kernel_size - 1) * jump
        jump *= stride
    return rf


def stacked_conv_params(channels, kernel_size, depth):
    return depth * (kernel_size * kernel_size * channels + 1) * channels


def vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D(2)(x)


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    x = layers.Conv2D(reduce_filters, 1, activation="relu")(x)
    return layers.Conv2D(out_filters, kernel_size, padding="same", activation="relu")(x)


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(96, 11, strides=4, activation="relu"),
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
    ], name="alexnet")


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters, num_convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        x = vgg_block(x, filters, num_convs)
    x = layers.Flatten()(x)
    x = layers.Dense(4096, activation="relu")(x)
    x = layers.Dense(4096, activation="relu")(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="vgg16")
