"""Built-in layers and spellings the reference never uses: the identity shortcut written as
layers.Identity(), additions as the + operator (basic block) and the layers.add function
(bottleneck block), the layers.concatenate function, Activation("relu") layers, MaxPool2D /
AvgPool2D / GlobalAvgPool2D aliases.  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers

EPS = 1.001e-5


def _bn_relu(x):
    return layers.Activation("relu")(layers.BatchNormalization(epsilon=EPS)(x))


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    a = layers.Activation("relu")(layers.Conv2D(f1, 1)(x))
    b = layers.Activation("relu")(layers.Conv2D(f3_reduce, 1)(x))
    b = layers.Activation("relu")(layers.Conv2D(f3, 3, padding="same")(b))
    c = layers.Activation("relu")(layers.Conv2D(f5_reduce, 1)(x))
    c = layers.Activation("relu")(layers.Conv2D(f5, 5, padding="same")(c))
    d = layers.MaxPool2D(pool_size=3, strides=1, padding="same")(x)
    d = layers.Activation("relu")(layers.Conv2D(pool_proj, 1)(d))
    return layers.concatenate([a, b, c, d], axis=-1)


def residual_block(x, filters, stride=1):
    if stride == 1 and x.shape[-1] == filters:
        shortcut = layers.Identity()(x)
    else:
        shortcut = layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride)(x))
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    y = layers.Activation("relu")(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y))
    return layers.Activation("relu")(y + shortcut)


def bottleneck_residual_block(x, filters, stride=1):
    if stride == 1 and x.shape[-1] == 4 * filters:
        shortcut = layers.Identity()(x)
    else:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride)(x)
        shortcut = layers.BatchNormalization(epsilon=EPS)(shortcut)
    y = _bn_relu(layers.Conv2D(filters, 1, strides=stride)(x))
    y = _bn_relu(layers.Conv2D(filters, 3, padding="same")(y))
    y = layers.BatchNormalization(epsilon=EPS)(layers.Conv2D(4 * filters, 1)(y))
    return layers.Activation("relu")(layers.add([y, shortcut]))


def dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(_bn_relu(x))
        y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(_bn_relu(y))
        x = layers.concatenate([x, y])
    return x


def transition_block(x, compression=0.5):
    y = layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False)(_bn_relu(x))
    return layers.AvgPool2D(2, strides=2)(y)


def _stem(inputs, use_bias):
    x = layers.ZeroPadding2D(3)(inputs)
    x = _bn_relu(layers.Conv2D(64, 7, strides=2, use_bias=use_bias)(x))
    return layers.MaxPool2D(3, strides=2)(layers.ZeroPadding2D(1)(x))


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, True)
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for i in range(blocks):
            x = bottleneck_residual_block(x, filters, stride if i == 0 else 1)
    x = layers.GlobalAvgPool2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _stem(inputs, False)
    for i, n in enumerate([6, 12, 24, 16]):
        x = dense_block(x, n, 32)
        if i < 3:
            x = transition_block(x)
    x = layers.GlobalAvgPool2D()(_bn_relu(x))
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
