"""TensorFlow-namespace spelling throughout: tf.keras.layers, activation=tf.nn.relu in the
inception branches, tf.keras.layers.Activation(tf.nn.relu) after BatchNormalization,
kernel_initializer=tf.keras.initializers.HeNormal() / tf.random_normal_initializer(0., 0.02),
BatchNormalization(gamma_initializer=tf.ones_initializer()), tf.keras.layers.Add/Concatenate and
tf.keras.Model for the full networks.  All correct: full marks.

expect: * PASS
"""
import tensorflow as tf

L = tf.keras.layers
HE = tf.keras.initializers.HeNormal()
EPS = 1.001e-5


def _bn(x):
    return L.BatchNormalization(epsilon=EPS, gamma_initializer=tf.ones_initializer())(x)


def _relu(x):
    return L.Activation(tf.nn.relu)(x)


def inception_block(x, f1, f3_reduce, f3, f5_reduce, f5, pool_proj):
    def conv(filters, size):
        return L.Conv2D(filters, size, padding="same", activation=tf.nn.relu,
                        kernel_initializer=tf.random_normal_initializer(0., 0.02))

    branch1 = conv(f1, 1)(x)
    branch2 = conv(f3, 3)(conv(f3_reduce, 1)(x))
    branch3 = conv(f5, 5)(conv(f5_reduce, 1)(x))
    branch4 = conv(pool_proj, 1)(L.MaxPool2D(pool_size=3, strides=1, padding="same")(x))
    return L.Concatenate(axis=-1)([branch1, branch2, branch3, branch4])


def residual_block(x, filters, stride=1):
    y = _relu(_bn(L.Conv2D(filters, 3, strides=stride, padding="same", kernel_initializer=HE)(x)))
    y = _bn(L.Conv2D(filters, 3, padding="same", kernel_initializer=HE)(y))
    if stride != 1 or x.shape[-1] != filters:
        x = _bn(L.Conv2D(filters, 1, strides=stride, kernel_initializer=HE)(x))
    return _relu(L.Add()([y, x]))


def bottleneck_residual_block(x, filters, stride=1):
    y = _relu(_bn(L.Conv2D(filters, 1, strides=stride, kernel_initializer=HE)(x)))
    y = _relu(_bn(L.Conv2D(filters, 3, padding="same", kernel_initializer=HE)(y)))
    y = _bn(L.Conv2D(4 * filters, 1, kernel_initializer=HE)(y))
    if stride != 1 or x.shape[-1] != 4 * filters:
        x = _bn(L.Conv2D(4 * filters, 1, strides=stride, kernel_initializer=HE)(x))
    return _relu(L.Add()([x, y]))


def dense_block(x, num_layers, growth_rate):
    for _ in range(num_layers):
        y = L.Conv2D(4 * growth_rate, 1, use_bias=False, kernel_initializer=HE)(_relu(_bn(x)))
        y = L.Conv2D(growth_rate, 3, padding="same", use_bias=False, kernel_initializer=HE)(_relu(_bn(y)))
        x = L.Concatenate(axis=-1)([x, y])
    return x


def transition_block(x, compression=0.5):
    channels = int(x.shape[-1] * compression)
    y = L.Conv2D(channels, 1, use_bias=False, kernel_initializer=HE)(_relu(_bn(x)))
    return L.AveragePooling2D(pool_size=2, strides=2)(y)


def _stem(x, use_bias):
    x = L.ZeroPadding2D(padding=3)(x)
    x = _relu(_bn(L.Conv2D(64, 7, strides=2, use_bias=use_bias, kernel_initializer=HE)(x)))
    return L.MaxPool2D(3, strides=2)(L.ZeroPadding2D(padding=1)(x))


def resnet50(input_shape=(224, 224, 3), num_classes=1000):
    inputs = tf.keras.Input(shape=input_shape)
    x = _stem(inputs, True)
    for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for i in range(blocks):
            x = bottleneck_residual_block(x, filters, stride if i == 0 else 1)
    x = L.GlobalAveragePooling2D()(x)
    return tf.keras.Model(inputs, L.Dense(num_classes, activation=tf.nn.softmax)(x), name="resnet50")


def densenet121(input_shape=(224, 224, 3), num_classes=1000):
    inputs = tf.keras.Input(shape=input_shape)
    x = _stem(inputs, False)
    for i, n in enumerate([6, 12, 24, 16]):
        x = dense_block(x, n, 32)
        if i < 3:
            x = transition_block(x, 0.5)
    x = L.GlobalAveragePooling2D()(_relu(_bn(x)))
    return tf.keras.Model(inputs, L.Dense(num_classes, activation=tf.nn.softmax)(x), name="densenet121")
