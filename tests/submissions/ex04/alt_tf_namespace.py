"""TensorFlow-namespace callables throughout: tf.keras.layers, activation=tf.nn.relu and
tf.nn.softmax, kernel_initializer=tf.keras.initializers.HeNormal() / tf.random_normal_initializer(
0., 0.01) and AlexNet's bias_initializer=tf.constant_initializer(1.0) (as in the paper), a
Sequential VGG16 built with tf.keras.Sequential.add.  All correct: full marks.

expect: * PASS
"""
import tensorflow as tf

L = tf.keras.layers


def receptive_field(layers):  # noqa: F811 -- the syllabus names the argument `layers`
    rf = 1
    product = 1
    for kernel, stride in layers:
        rf = rf + (kernel - 1) * product
        product = product * stride
    return rf


def stacked_conv_params(channels, kernel_size, depth):
    per_filter = kernel_size * kernel_size * channels + 1
    return depth * per_filter * channels


def vgg_block(x, filters, num_convs):
    for _ in range(num_convs):
        x = L.Conv2D(filters, (3, 3), padding="same", activation=tf.nn.relu,
                     kernel_initializer=tf.keras.initializers.HeNormal())(x)
    return L.MaxPool2D((2, 2), strides=(2, 2))(x)


def bottleneck(x, reduce_filters, out_filters, kernel_size=3):
    x = L.Conv2D(reduce_filters, (1, 1), activation=tf.nn.relu,
                 kernel_initializer=tf.keras.initializers.GlorotUniform())(x)
    return L.Conv2D(out_filters, (kernel_size, kernel_size), padding="same", activation=tf.nn.relu,
                    kernel_initializer=tf.keras.initializers.GlorotUniform())(x)


def alexnet(input_shape=(227, 227, 3), num_classes=1000):
    gauss = tf.random_normal_initializer(0., 0.01)
    ones = tf.constant_initializer(1.0)
    inputs = tf.keras.Input(shape=input_shape)
    x = L.Conv2D(96, 11, strides=4, activation=tf.nn.relu, kernel_initializer=gauss)(inputs)
    x = L.MaxPool2D(3, 2)(x)
    x = L.Conv2D(256, 5, padding="same", activation=tf.nn.relu, kernel_initializer=gauss, bias_initializer=ones)(x)
    x = L.MaxPool2D(3, 2)(x)
    x = L.Conv2D(384, 3, padding="same", activation=tf.nn.relu, kernel_initializer=gauss)(x)
    x = L.Conv2D(384, 3, padding="same", activation=tf.nn.relu, kernel_initializer=gauss, bias_initializer=ones)(x)
    x = L.Conv2D(256, 3, padding="same", activation=tf.nn.relu, kernel_initializer=gauss, bias_initializer=ones)(x)
    x = L.MaxPool2D(3, 2)(x)
    x = L.Flatten()(x)
    x = L.Dense(4096, activation=tf.nn.relu, kernel_initializer=gauss, bias_initializer=ones)(x)
    x = L.Dropout(0.5)(x)
    x = L.Dense(4096, activation=tf.nn.relu, kernel_initializer=gauss, bias_initializer=ones)(x)
    x = L.Dropout(0.5)(x)
    outputs = L.Dense(num_classes, activation=tf.nn.softmax, kernel_initializer=gauss)(x)
    return tf.keras.Model(inputs, outputs, name="alexnet")


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    model = tf.keras.Sequential(name="vgg16")
    model.add(tf.keras.Input(shape=input_shape))
    for filters, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for _ in range(convs):
            model.add(L.Conv2D(filters, 3, padding="same", activation=tf.nn.relu))
        model.add(L.MaxPool2D(2))
    model.add(L.Flatten())
    model.add(L.Dense(4096, activation=tf.nn.relu))
    model.add(L.Dense(4096, activation=tf.nn.relu))
    model.add(L.Dense(num_classes, activation=tf.nn.softmax))
    return model
