"""ResNet-50 that ignores its input_shape argument: the network is always built
for 224x224x3.  It is right at the public size; the hidden check asks for
another and must say that the input is not the one requested (every count
the check compares is the same at any image size).

expect: resnet50_params PASS
expect: resnet50_layers PASS
expect: hidden_resnet50 FAIL "input shape"
expect: bottleneck_residual_structure PASS
expect: bottleneck_residual_behaviour PASS
expect: dense_block_behaviour ERROR "does not define dense_block"
expect: dense_block_structure ERROR "does not define dense_block"
expect: densenet121_layers ERROR "does not define densenet121"
expect: densenet121_params ERROR "does not define densenet121"
expect: hidden_dense ERROR "does not define dense_block"
expect: hidden_densenet121 ERROR "does not define densenet121"
expect: hidden_inception ERROR "does not define inception_block"
expect: hidden_residual ERROR "does not define residual_block"
expect: inception_behaviour ERROR "does not define inception_block"
expect: inception_structure ERROR "does not define inception_block"
expect: residual_behaviour ERROR "does not define residual_block"
expect: residual_structure ERROR "does not define residual_block"
expect: transition ERROR "does not define transition_block"
"""
import keras
from keras import layers


def bottleneck_residual_block(x, filters, stride=1):
    shortcut = x
    if stride != 1 or x.shape[-1] != 4 * filters:
        shortcut = layers.BatchNormalization(epsilon=1.001e-5)(layers.Conv2D(4 * filters, 1, strides=stride)(x))
    y = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(layers.Conv2D(filters, 1, strides=stride)(x)))
    y = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(layers.Conv2D(filters, 3, padding="same")(y)))
    y = layers.BatchNormalization(epsilon=1.001e-5)(layers.Conv2D(4 * filters, 1)(y))
    return layers.ReLU()(layers.Add()([shortcut, y]))


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=(224, 224, 3))  # the mistake: input_shape is not used
    x = layers.ZeroPadding2D(3)(inputs)
    x = layers.ReLU()(layers.BatchNormalization(epsilon=1.001e-5)(layers.Conv2D(64, 7, strides=2)(x)))
    x = layers.MaxPooling2D(3, strides=2)(layers.ZeroPadding2D(1)(x))
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        x = bottleneck_residual_block(x, filters, stride)
        for _ in range(blocks - 1):
            x = bottleneck_residual_block(x, filters)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
