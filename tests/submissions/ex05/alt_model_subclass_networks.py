"""ResNet-50 and DenseNet-121 as keras.Model subclasses: every layer an attribute (in lists),
the wiring in call (layers.Add for the residual additions, layers.Concatenate for the dense
connections).  ResNet-50 is returned unbuilt; DenseNet-121 is called once on
keras.Input(shape=input_shape).  The blocks are plain functional code.  All correct: full marks.

expect: * PASS
"""
import keras
from keras import layers

EPS = 1.001e-5


def _bn():
    return layers.BatchNormalization(epsilon=EPS)


class ResNet50(keras.Model):
    STAGES = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))

    def __init__(self, num_classes=1000, **kwargs):
        super().__init__(**kwargs)
        self.stem = [layers.ZeroPadding2D(3), layers.Conv2D(64, 7, strides=2), _bn(), layers.ReLU(),
                     layers.ZeroPadding2D(1), layers.MaxPooling2D(3, strides=2)]
        self.units = []
        channels = 64
        for filters, blocks, stride in self.STAGES:
            for i in range(blocks):
                s = stride if i == 0 else 1
                main = [layers.Conv2D(filters, 1, strides=s), _bn(), layers.ReLU(),
                        layers.Conv2D(filters, 3, padding="same"), _bn(), layers.ReLU(),
                        layers.Conv2D(4 * filters, 1), _bn()]
                skip = ([layers.Conv2D(4 * filters, 1, strides=s), _bn()]
                        if s != 1 or channels != 4 * filters else [])
                self.units.append({"main": main, "skip": skip, "add": layers.Add(), "out": layers.ReLU()})
                channels = 4 * filters
        self.pool = layers.GlobalAveragePooling2D()
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        for layer in self.stem:
            x = layer(x)
        for unit in self.units:
            y, s = x, x
            for layer in unit["main"]:
                y = layer(y)
            for layer in unit["skip"]:
                s = layer(s)
            x = unit["out"](unit["add"]([y, s]))
        return self.classifier(self.pool(x))


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    return ResNet50(num_classes)


class DenseNet121(keras.Model):
    def __init__(self, num_classes=1000, growth_rate=32, blocks=(6, 12, 24, 16), **kwargs):
        super().__init__(**kwargs)
        self.stem = [layers.ZeroPadding2D(3), layers.Conv2D(64, 7, strides=2, use_bias=False), _bn(),
                     layers.ReLU(), layers.ZeroPadding2D(1), layers.MaxPooling2D(3, strides=2)]
        self.stages = []
        channels = 64
        for i, n in enumerate(blocks):
            dense = []
            for _ in range(n):
                dense.append([_bn(), layers.ReLU(), layers.Conv2D(4 * growth_rate, 1, use_bias=False),
                              _bn(), layers.ReLU(), layers.Conv2D(growth_rate, 3, padding="same", use_bias=False),
                              layers.Concatenate()])
                channels += growth_rate
            transition = []
            if i < len(blocks) - 1:
                channels //= 2
                transition = [_bn(), layers.ReLU(), layers.Conv2D(channels, 1, use_bias=False),
                              layers.AveragePooling2D(2, strides=2)]
            self.stages.append((dense, transition))
        self.head = [_bn(), layers.ReLU(), layers.GlobalAveragePooling2D(),
                     layers.Dense(num_classes, activation="softmax")]

    def call(self, x):
        for layer in self.stem:
            x = layer(x)
        for dense, transition in self.stages:
            for *convs, concat in dense:
                y = x
                for layer in convs:
                    y = layer(y)
                x = concat([x, y])
            for layer in transition:
                x = layer(x)
        for layer in self.head:
            x = layer(x)
        return x


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    model = DenseNet121(num_classes)
    model(keras.Input(shape=input_shape))
    return model


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    b1 = layers.Conv2D(f1, 1, activation="relu")(x)
    b2 = layers.Conv2D(f3, 3, padding="same", activation="relu")(layers.Conv2D(f3_reduce, 1, activation="relu")(x))
    b3 = layers.Conv2D(f5, 5, padding="same", activation="relu")(layers.Conv2D(f5_reduce, 1, activation="relu")(x))
    b4 = layers.Conv2D(pool_proj, 1, activation="relu")(layers.MaxPooling2D(3, strides=1, padding="same")(x))
    return layers.Concatenate()([b1, b2, b3, b4])


def residual_block(x, filters, stride=1):
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 3, strides=stride, padding="same")(x)))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y))
    s = x
    if stride != 1 or x.shape[-1] != filters:
        s = layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride)(x))
    return layers.ReLU()(layers.Add()([y, s]))


def bottleneck_residual_block(x, filters, stride=1):
    y = layers.ReLU()(_bn()(layers.Conv2D(filters, 1, strides=stride)(x)))
    y = layers.ReLU()(_bn()(layers.Conv2D(filters, 3, padding="same")(y)))
    y = _bn()(layers.Conv2D(4 * filters, 1)(y))
    s = x
    if stride != 1 or x.shape[-1] != 4 * filters:
        s = _bn()(layers.Conv2D(4 * filters, 1, strides=stride)(x))
    return layers.ReLU()(layers.Add()([y, s]))


def dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = layers.Conv2D(4 * growth_rate, 1, use_bias=False)(layers.ReLU()(_bn()(x)))
        y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False)(layers.ReLU()(_bn()(y)))
        x = layers.Concatenate()([x, y])
    return x


def transition_block(x, compression=0.5):
    y = layers.Conv2D(int(x.shape[-1] * compression), 1, use_bias=False)(layers.ReLU()(_bn()(x)))
    return layers.AveragePooling2D(2, strides=2)(y)
