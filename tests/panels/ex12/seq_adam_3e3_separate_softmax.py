"""Sequential with the softmax as a layer of its own after a linear Dense; Adam(3e-3).

panel: PASS
"""
import keras
from keras import layers


def build_transfer_model(base, num_classes, dropout=0.2):
    base.trainable = False
    model = keras.Sequential()
    model.add(keras.Input(shape=base.input_shape[1:]))
    model.add(base)
    model.add(layers.GlobalAveragePooling2D())
    model.add(layers.Dropout(dropout))
    model.add(layers.Dense(num_classes))
    model.add(layers.Softmax())
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy")
    return model
