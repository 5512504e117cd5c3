"""ex12 -- Transfer learning: reuse what a trained network learned.

Stub (docstring written later).
"""
import keras


def build_transfer_model(base, num_classes, dropout=0.2):
    """base frozen, called with training=False; GlobalAveragePooling2D, Dropout, Dense softmax; compiled."""
    raise NotImplementedError


def trainable_counts(model):
    """(trainable, non_trainable) parameter counts as Keras reports them."""
    raise NotImplementedError


def unfreeze_top(model, n):
    """Make the last n weighted non-BatchNormalization layers of the base trainable; recompile with Adam(1e-5)."""
    raise NotImplementedError
