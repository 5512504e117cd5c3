"""Reference solution of ex05 (modern CNN blocks: GoogLeNet, ResNet, DenseNet)."""
import keras
from keras import layers


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    b1 = layers.Conv2D(f1, 1, activation="relu")(x)
    b3 = layers.Conv2D(f3_reduce, 1, activation="relu")(x)
    b3 = layers.Conv2D(f3, 3, padding="same", activation="relu")(b3)
    b5 = layers.Conv2D(f5_reduce, 1, activation="relu")(x)
    b5 = layers.Conv2D(f5, 5, padding="same", activation="relu")(b5)
    bp = layers.MaxPooling2D(3, strides=1, padding="same")(x)
    bp = layers.Conv2D(pool_proj, 1, activation="relu")(bp)
    return layers.Concatenate(axis=-1)([b1, b3, b5, bp])


def residual_block(x, filters, stride=1):
    shortcut = x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    y = layers.BatchNormalization()(y)
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride)(x)
        shortcut = layers.BatchNormalization()(shortcut)
    return layers.ReLU()(layers.Add()([y, shortcut]))


def bottleneck_residual_block(x, filters, stride=1):
    shortcut = x
    if stride != 1 or x.shape[-1] != 4 * filters:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride)(x)
        shortcut = layers.BatchNormalization(epsilon=1.001e-5)(shortcut)
    y = layers.Conv2D(filters, 1, strides=stride)(x)
    y = layers.BatchNormalization(epsilon=1.001e-5)(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    y = layers.BatchNormalization(epsilon=1.001e-5)(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(4 * filters, 1)(y)
    y = layers.BatchNormalization(epsilon=1.001e-5)(y)
    return layers.ReLU()(layers.Add()([shortcut, y]))


def dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = layers.BatchNormalization(epsilon=1.001e-5)(x)
        y = layers.ReLU()(y)
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(y)
        y = layers.BatchNormalization(epsilon=1.001e-5)(y)
        y = layers.ReLU()(y)
        y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(y)
        x = layers.Concatenate()([x, y])
    return x


def transition_block(x, compression=0.5):
    x = layers.BatchNormalization(epsilon=1.001e-5)(x)
    x = layers.ReLU()(x)
    x = layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False)(x)
    return layers.AveragePooling2D(2, strides=2)(x)


def _stem(x, use_bias):
    x = layers.ZeroPadding2D(3)(x)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias)(x)
    x = layers.BatchNormalization(epsilon=1.001e-5)(x)
    x = layers.ReLU()(x)
    x = layers.ZeroPadding2D(1)(x)
    return layers.MaxPooling2D(3, strides=2)(x)


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, use_bias=True)
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        x = bottleneck_residual_block(x, filters, stride)
        for _ in range(blocks - 1):
            x = bottleneck_residual_block(x, filters)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="resnet50")


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, use_bias=False)
    for i, num_layers in enumerate([6, 12, 24, 16]):
        x = dense_block(x, num_layers, 32)
        if i < 3:
            x = transition_block(x, 0.5)
    x = layers.BatchNormalization(epsilon=1.001e-5)(x)
    x = layers.ReLU()(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="densenet121")
