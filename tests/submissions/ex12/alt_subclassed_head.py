"""The head is a subclassed layer (pooling, dropout and the classifier as attributes);
the base is frozen with base.trainable = False and called with training=False.

expect: * PASS
"""
import keras


class ClassifierHead(keras.layers.Layer):
    def __init__(self, num_classes, dropout, **kwargs):
        super().__init__(**kwargs)
        self.pool = keras.layers.GlobalAveragePooling2D()
        self.drop = keras.layers.Dropout(dropout)
        self.classify = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, features, training=None):
        return self.classify(self.drop(self.pool(features), training=training))


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    x = keras.Input(shape=base.input_shape[1:])
    y = ClassifierHead(num_classes, dropout)(base(x, training=False))
    model = keras.Model(x, y)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    return model


def trainable_counts(model):
    sizes = lambda variables: sum(int(keras.ops.size(v)) for v in variables)  # noqa: E731
    return sizes(model.trainable_weights), sizes(model.non_trainable_weights)


def unfreeze_top(model, n):
    (base,) = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    base.trainable = True
    usable = [layer for layer in base.layers
              if len(layer.weights) > 0 and not isinstance(layer, keras.layers.BatchNormalization)]
    for layer in base.layers:
        layer.trainable = False
    for layer in usable[max(0, len(usable) - n):]:
        layer.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy")
    return model
