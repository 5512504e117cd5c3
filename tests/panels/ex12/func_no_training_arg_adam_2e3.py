"""The base frozen but called without training=False (a frozen BatchNormalization runs in
inference mode anyway in Keras 3); Adam(2e-3).

panel: PASS
"""
import keras
from keras import layers


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    inputs = keras.Input(shape=base.input_shape[1:])
    x = layers.GlobalAveragePooling2D()(base(inputs))
    x = layers.Dropout(rate=dropout)(x)
    outputs = layers.Dense(units=num_classes, activation="softmax")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3), loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model
