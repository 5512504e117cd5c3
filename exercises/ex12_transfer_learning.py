"""ex12 -- Transfer learning: reuse what a trained network learned.

The early layers of a CNN learn edges, strokes and blobs that other images
share, so a network trained on one task can start another.  Here the grader
brings its own *base*: a small CNN with BatchNormalization, trained by the
grader on the digits 0-4 of scikit-learn's 8x8 digits (nothing is
downloaded).  You reuse it for a new task, the digits 5-9, with only 20
images per class:

    layer (the grader's base)                   output shape   parameters
    Conv2D 16, 3x3, same, no bias               (8, 8, 16)            144
    BatchNormalization                          (8, 8, 16)             64
    ReLU                                        (8, 8, 16)              0
    Conv2D 32, 3x3, same, no bias               (8, 8, 32)          4,608
    BatchNormalization                          (8, 8, 32)            128
    ReLU                                        (8, 8, 32)              0
    Conv2D 64, 3x3, same, no bias               (8, 8, 64)         18,432
    BatchNormalization                          (8, 8, 64)            256
    ReLU                                        (8, 8, 64)              0
                                                             total 23,632

Each BatchNormalization layer holds 4 numbers per channel: gamma and beta
(trainable) and the moving mean and variance (never trained by gradients,
updated by ``fit`` while the layer is in training mode).

Part 1: ``build_transfer_model(base, num_classes, dropout=0.2)`` -- the base
is any ``keras.Model`` mapping images to a 4D feature map.  Freeze it
(``base.trainable = False``), start from ``keras.Input`` of the base's input
shape, call the base with ``training=False``, then add a new head:
GlobalAveragePooling2D, Dropout(dropout), Dense(num_classes, softmax).
Compile it with Adam and ``loss="sparse_categorical_crossentropy"`` (integer
labels) and return it.  Only the head's Dense layer may be trainable: for the
base above and 5 classes, 325 trainable parameters (64 * 5 + 5) and 23,632
non-trainable ones.

*Why freeze BatchNormalization too.*  In Keras 3, ``training=False`` given when
the base is called does not keep a *trainable* BatchNormalization layer in
inference mode once ``fit`` runs: it still updates its moving mean and
variance from your 100 images (keras-team/keras#20285).  Only a frozen
BatchNormalization layer (``trainable = False``) stays in inference mode.
So the grader judges behaviour, not the call argument: it runs ``fit`` and
checks that no weight of the base changed, moving statistics included.

*Why GlobalAveragePooling2D.*  Flatten would hand the Dense layer all
8 * 8 * 64 = 4,096 numbers of the feature map (20,485 parameters for 5
classes, to be learnt from 100 images); global average pooling keeps one
number per channel (325 parameters), whatever the image size.

The grader trains your model as returned (your compile settings) for 10
epochs with batch size 10 on 20 images per class of the digits 5-9 (100
images, drawn from the training split by the seed), then scores it on the
180 test images of the digits 5-9.  It requires a test accuracy of at least
0.63.  The reference, compiled with Adam(1e-2), reached on the ten
calibration seeds 0-9 (seed = the base's pretraining, the 100 images, the
training):

    0.739  0.733  0.756  0.717  0.706  0.678  0.744  0.806  0.750  0.789   (mean 0.742, worst 0.678)

so the threshold 0.63 keeps a margin 0.04 or more below the worst seed (0.048
measured).  Compile with a learning rate of about 1e-2: a new head starts
from scratch, and with Adam's default 1e-3 these 100 steps reach only about
0.45.

What transfer buys: the same head, trained the same way on the same 20
images per class, on a *randomly initialised* base of the same architecture
(no pretraining) reached

    0.283  0.228  0.344  0.194  0.228  0.311  0.194  0.200  0.289  0.194   (mean 0.247)

The features learnt on the digits 0-4 carry over to 5-9; random features do
not, and 100 images are far too few to learn good ones.

Part 2: ``trainable_counts(model) -> (trainable, non_trainable)`` -- the
parameter counts Keras reports in ``model.summary()``: the sizes of
``model.trainable_weights`` and of ``model.non_trainable_weights``.  Frozen
layers count as non-trainable, and so do moving means and variances.  Careful:
``model.non_trainable_variables`` is not the same list -- it also holds
variables that are not parameters, such as a Dropout layer's random-seed
state (2 numbers).  The grader compares with Keras on its own models,
public and hidden (random bases and heads).

Part 3: ``unfreeze_top(model, n)`` -- fine-tuning.  ``model`` is one that
your ``build_transfer_model`` made (find the base: the ``keras.Model`` among
``model.layers``, or however your model keeps it).  Take the base's layers
that have weights and are not BatchNormalization, in order; make the last
``n`` of them trainable and every other layer of the base frozen --
BatchNormalization layers always stay frozen (trainable, they would update
their moving statistics again).  Layers without weights (ReLU, MaxPooling2D)
do not count towards ``n``.  The head stays trainable.  For the base above,
``unfreeze_top(model, 2)`` unfreezes the 2nd and 3rd Conv2D and nothing else.
Then compile again with Adam(1e-5) -- a change of ``trainable`` takes effect
at the next ``compile``, and a small learning rate keeps the pretrained
features from being wrecked -- and return the model.  The grader checks the
flags layer by layer (public and hidden bases), the optimizer and learning
rate, and runs one more epoch of ``fit`` after ``unfreeze_top(model, 2)``:
the BatchNormalization moving statistics must not change, and the unfrozen
layers must.

Time limit 30 s per check (90 s for the checks that train); memory limit 2 GB.
"""
import keras


def build_transfer_model(base, num_classes, dropout=0.2):
    """The frozen base, then GlobalAveragePooling2D, Dropout, Dense softmax; compiled."""
    raise NotImplementedError


def trainable_counts(model):
    """(trainable, non_trainable) parameter counts, as model.summary() reports them."""
    raise NotImplementedError


def unfreeze_top(model, n):
    """Unfreeze the last n layers of the base that have weights (BatchNormalization excepted); recompile."""
    raise NotImplementedError
