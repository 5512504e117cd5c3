"""DenseNet-121 with the Keras default use_bias=True on every convolution.

expect: densenet121_params FAIL "have biases"
expect: densenet121_layers FAIL "layer with weights number 1"
expect: bottleneck_residual_behaviour ERROR "does not define bottleneck_residual_block"
expect: bottleneck_residual_structure ERROR "does not define bottleneck_residual_block"
expect: dense_block_behaviour ERROR "does not define dense_block"
expect: dense_block_structure ERROR "does not define dense_block"
expect: hidden_dense ERROR "does not define dense_block"
expect: hidden_densenet121 FAIL "densenet121("
expect: hidden_inception ERROR "does not define inception_block"
expect: hidden_residual ERROR "does not define residual_block"
expect: hidden_resnet50 ERROR "does not define resnet50"
expect: inception_behaviour ERROR "does not define inception_block"
expect: inception_structure ERROR "does not define inception_block"
expect: residual_behaviour ERROR "does not define residual_block"
expect: residual_structure ERROR "does not define residual_block"
expect: resnet50_layers ERROR "does not define resnet50"
expect: resnet50_params ERROR "does not define resnet50"
expect: transition ERROR "does not define transition_block"
"""
import keras
from keras import layers


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(64, 7, strides=2, padding="same")(inputs)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    for i, n in enumerate([6, 12, 24, 16]):
        for _ in range(n):
            y = layers.Conv2D(128, 1)(layers.ReLU()(layers.BatchNormalization()(x)))
            y = layers.Conv2D(32, 3, padding="same")(layers.ReLU()(layers.BatchNormalization()(y)))
            x = layers.Concatenate()([x, y])
        if i < 3:
            x = layers.Conv2D(x.shape[-1] // 2, 1)(layers.ReLU()(layers.BatchNormalization()(x)))
            x = layers.AveragePooling2D(2)(x)
    x = layers.GlobalAveragePooling2D()(layers.ReLU()(layers.BatchNormalization()(x)))
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
