"""Functional, Adam(1e-2), the rate the docstring suggests; a SparseCategoricalCrossentropy object.

panel: PASS
"""
import keras


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    image = keras.Input(shape=base.input_shape[1:], name="image")
    features = base(image, training=False)
    pooled = keras.layers.GlobalAveragePooling2D(name="pool")(features)
    dropped = keras.layers.Dropout(dropout, name="drop")(pooled)
    probs = keras.layers.Dense(num_classes, activation="softmax", name="classes")(dropped)
    model = keras.Model(image, probs, name="transfer")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy())
    return model
