"""Sequential built with .add(), pooling layers of the other spelling, a BatchNorm digits model.

expect: * PASS
"""
import keras


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    model = keras.Sequential(name="cifar_stack")
    model.add(keras.layers.Input(shape=input_shape))
    for filters, padding in ((32, "same"), (64, "same")):
        model.add(keras.layers.Conv2D(filters, kernel_size=3, padding=padding, activation="relu"))
        model.add(keras.layers.MaxPooling2D(pool_size=2))
    model.add(keras.layers.Conv2D(64, kernel_size=3, activation="relu"))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(64, activation="relu"))
    model.add(keras.layers.Dense(num_classes, activation="softmax"))
    return model


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    model = keras.Sequential()
    model.add(keras.layers.Input(shape=input_shape))
    model.add(keras.layers.Conv2D(32, 3, padding="same", use_bias=False))
    model.add(keras.layers.BatchNormalization())
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.MaxPooling2D())
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dropout(0.2))
    model.add(keras.layers.Dense(num_classes, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
