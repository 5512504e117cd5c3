"""ResNet-50 whose identity blocks lost their skip connection (only the
projection blocks add): the parameter count is still exactly right.

expect: resnet50_params PASS
expect: resnet50_layers FAIL "4 Add layers, ResNet50 has 16"
expect: hidden_resnet50 FAIL "Add layers"
expect: bottleneck_residual_behaviour ERROR "does not define bottleneck_residual_block"
expect: bottleneck_residual_structure ERROR "does not define bottleneck_residual_block"
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
expect: resnet50_params FAIL "resnet50("
expect: transition ERROR "does not define transition_block"
"""
import keras
from keras import layers


def _block(x, filters, stride, skip):
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride)(x)))
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y)))
    y = layers.BatchNormalization()(layers.Conv2D(4 * filters, 1)(y))
    if skip:
        s = layers.BatchNormalization()(layers.Conv2D(4 * filters, 1, strides=stride)(x))
        y = layers.Add()([y, s])
    return layers.ReLU()(y)


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(64, 7, strides=2, padding="same")(inputs)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for i in range(blocks):
            x = _block(x, filters, stride if i == 0 else 1, skip=(i == 0))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))
