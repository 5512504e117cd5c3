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

How the grader trains and scores it.  It runs ``fit`` on your model as
returned (your compile settings) for 2 epochs with batch size 10 on 20
images per class of the digits 5-9 (100 images, drawn from the training
split by the seed) and checks that no weight of the base changed.  Then it
trains the head: the base is frozen, so the head's input --
GlobalAveragePooling2D of the base's feature map -- is the same at every
step, and the grader computes it once and trains a copy of your head on it
(your Dropout rate, Dense(num_classes, softmax) from fresh weights, your
optimizer with its settings, your loss) for 100 epochs with batch size 10,
reshuffled every epoch -- 1,000 steps in about a second, where fit through
the base takes 40 times as long.  Your model's own outputs must equal
softmax(Dense(GlobalAveragePooling2D(base(x)))) of its weights (the grader
checks it on random images).  It scores the trained head on the 180 test
images of the digits 5-9 and requires a test accuracy of at least 0.63.
Adam at any rate from 1e-3 (its default) to 1e-2 gets there: a new head
starts from scratch, and 1,000 steps are enough at Adam's default rate.

Calibration (``make test-slow``, tests/panels/ex12): seven transfer models
written as students write them -- functional, Sequential, a keras.Model
subclass, a head that is a Layer subclass, the softmax as a layer of its
own, the base called without ``training=False`` -- compiled with Adam at
1e-3, 2e-3, 3e-3, 5e-3 and 1e-2, on the ten calibration seeds 0-9 (seed =
the base's pretraining, the 100 images, the training).  Worst seed of each:

    Adam() or "adam" (1e-3), three designs   0.683   (margin 0.053)
    Adam(2e-3)                               0.744   (margin 0.114)
    Adam(3e-3)                               0.750   (margin 0.120)
    Adam(5e-3), a keras.Model subclass       0.767   (margin 0.137)
    Adam(1e-2)                               0.789   (margin 0.159)

so every design clears the threshold 0.63 on every seed with a margin 0.04
or more (the test asks for it).  Before (10 epochs of fit through the base,
100 steps), the same designs at Adam's default rate reached 0.34 to 0.55
and failed on every seed, and at 2e-3 and 3e-3 passed on some seeds and
failed on others.

What transfer buys: the same head, trained the same way on the same 20
images per class (the reference, Adam(1e-2)), reached on the ten seeds

    pretrained base  0.794 0.811 0.800 0.828 0.867 0.794 0.778 0.856 0.839 0.861  (mean 0.823)
    random base      0.772 0.772 0.822 0.611 0.639 0.706 0.633 0.667 0.633 0.683  (mean 0.694)

where the random base is the same architecture, randomly initialised (no
pretraining).  The features learnt on the digits 0-4 carry over to 5-9 and
are better on nine seeds of ten; random convolutions followed by
BatchNormalization and ReLU are not useless on 8x8 digits either, once the
head has 1,000 steps to read them (with 100 steps the random base reached
0.19 to 0.34, the pretrained one 0.68 to 0.81).

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
