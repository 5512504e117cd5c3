"""ex03 -- Build a Conv2D stack, then design and train a small CNN.

Part 1: ``build_conv_stack`` -- build exactly this model (the classic Keras
CIFAR-10 tutorial stack).  For the default 32x32x3 input:

    layer                              output shape    parameters
    Conv2D 32, 3x3, "same", relu       (32, 32, 32)           896
    MaxPooling2D 2x2                   (16, 16, 32)             0
    Conv2D 64, 3x3, "same", relu       (16, 16, 64)        18,496
    MaxPooling2D 2x2                   (8, 8, 64)               0
    Conv2D 64, 3x3, "valid", relu      (6, 6, 64)          36,928
    Flatten                            (2304,)                  0
    Dense 64, relu                     (64,)              147,520
    Dense num_classes, softmax         (10,)                  650
                                                   total  204,490

Notice where the weights are: the three convolutions together hold 56,320
parameters, the one Dense layer after Flatten holds 147,520.  A convolution's
count does not depend on the image size; a Dense layer after Flatten grows
with H * W * C.

You may write it with keras.Sequential, the functional API or as a
keras.Model subclass, put the activations inside the layers or as separate
Activation/ReLU layers, and spell them "relu", keras.activations.relu or
tf.nn.relu: the grader judges what the model computes, not how it is written.
It compares layer by layer (class, output shape, parameters, activation,
padding) and names the first layer that differs.  Layer names and
initializers are up to you.  Every layer must be there: a model that matches
only the first few layers fails.

Part 2: ``build_digits_model`` -- your own design for scikit-learn's 8x8
digits (1,437 training / 360 test images, shape (8, 8, 1), values in [0, 1],
integer labels 0-9; ``datasets.digits.load_digits_split()`` loads exactly the
split the grader uses).  Rules the grader applies:

* at least one Conv2D layer, at most 20,000 parameters;
* return the model COMPILED, for integer labels (e.g. loss
  "sparse_categorical_crossentropy"); the optimizer is your choice;
* the grader rebuilds your model (Sequential, functional or subclassed: the
  sandbox writes it out with built-in Keras layers), trains it from fresh
  weights for 20 epochs with batch size 32 on the training split (seeded),
  and requires test accuracy >= 0.93; a model it cannot rebuild (a layer of
  your own that makes its own weights with add_weight) is trained the same
  way in the sandbox and scored on copies of the test images with a little
  noise (standard deviation 0.05, brightness +-5%);
* training has a budget of 120 s of CPU time on the grading machine (its own work, however busy the machine is).

Time limit 60 s per check for building; memory limit 2 GB.  The grader
refuses, before building it, any model you return with more than 5,000,000
parameters or a tensor (a weight, or one example's layer output) of more
than 16,000,000 values.
"""
import keras


def build_conv_stack(input_shape=(32, 32, 3), num_classes=10):
    """The Conv2D stack of the table above, as a keras.Model."""
    raise NotImplementedError


def build_digits_model(input_shape=(8, 8, 1), num_classes=10):
    """A compiled CNN for the 8x8 digits: >= 1 Conv2D, <= 20,000 parameters."""
    raise NotImplementedError
