"""A different correct solution: every block is assembled from small nested
keras.Sequential models (the main path, the projection, each dense layer, each
inception branch), the shortcut added in the other order, ResNet-50 as a
functional model that calls the nested blocks and DenseNet-121 written out flat.

expect: * PASS
"""
import keras
from keras import layers


def _seq(*ls):
    return keras.Sequential(list(ls))


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    branches = [
        _seq(layers.Conv2D(f1, 1, activation="relu")),
        _seq(layers.Conv2D(f3_reduce, 1, activation="relu"), layers.Conv2D(f3, 3, padding="same", activation="relu")),
        _seq(layers.Conv2D(f5_reduce, 1, activation="relu"), layers.Conv2D(f5, 5, padding="same", activation="relu")),
        _seq(layers.MaxPooling2D(3, 1, padding="same"), layers.Conv2D(pool_proj, 1, activation="relu")),
    ]
    return layers.concatenate([b(x) for b in branches])


def residual_block(x, filters, stride=1):
    main = _seq(layers.Conv2D(filters, 3, strides=stride, padding="same"), layers.BatchNormalization(epsilon=1e-5),
                layers.ReLU(), layers.Conv2D(filters, 3, padding="same"), layers.BatchNormalization(epsilon=1e-5))
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = _seq(layers.Conv2D(filters, 1, strides=stride), layers.BatchNormalization(epsilon=1e-5))(x)
    return layers.ReLU()(layers.Add()([shortcut, main(x)]))


def bottleneck_residual_block(x, filters, stride=1):
    main = _seq(layers.Conv2D(filters, 1, strides=stride), layers.BatchNormalization(), layers.ReLU(),
                layers.Conv2D(filters, 3, padding="same"), layers.BatchNormalization(), layers.ReLU(),
                layers.Conv2D(4 * filters, 1), layers.BatchNormalization())
    needs_projection = stride != 1 or x.shape[-1] != 4 * filters
    shortcut = _seq(layers.Conv2D(4 * filters, 1, strides=stride), layers.BatchNormalization())(x) \
        if needs_projection else x
    return layers.ReLU()(layers.Add()([main(x), shortcut]))


def dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        layer = _seq(layers.BatchNormalization(), layers.ReLU(), layers.Conv2D(4 * growth_rate, 1, use_bias=False),
                     layers.BatchNormalization(), layers.ReLU(),
                     layers.Conv2D(growth_rate, 3, padding="same", use_bias=False))
        x = layers.Concatenate(axis=3)([x, layer(x)])
    return x


def transition_block(x, compression=0.5):
    return _seq(layers.BatchNormalization(), layers.Activation("relu"),
                layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False),
                layers.AveragePooling2D(pool_size=2, strides=2))(x)


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = _seq(layers.ZeroPadding2D(3), layers.Conv2D(64, 7, strides=2), layers.BatchNormalization(), layers.ReLU(),
             layers.ZeroPadding2D(1), layers.MaxPooling2D(3, 2))(inputs)
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for i in range(blocks):
            x = bottleneck_residual_block(x, filters, stride if i == 0 else 1)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))


def _dense_layer(x, growth_rate):
    y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(layers.ReLU()(layers.BatchNormalization()(x)))
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(layers.ReLU()(layers.BatchNormalization()(y)))
    return layers.Concatenate()([x, y])


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    # Without nested models this time: Keras rebuilds a Sequential at every layer
    # it adds when it loads one, so 58 nested dense layers take seconds to load.
    inputs = keras.Input(shape=input_shape)
    x = _seq(layers.ZeroPadding2D(3), layers.Conv2D(64, 7, strides=2, use_bias=False), layers.BatchNormalization(),
             layers.ReLU(), layers.ZeroPadding2D(1), layers.MaxPooling2D(3, 2))(inputs)
    for i, n in enumerate((6, 12, 24, 16)):
        for _ in range(n):
            x = _dense_layer(x, 32)
        if i < 3:
            x = layers.ReLU()(layers.BatchNormalization()(x))
            x = layers.Conv2D(x.shape[-1] // 2, 1, use_bias=False)(x)
            x = layers.AveragePooling2D(2, 2)(x)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
