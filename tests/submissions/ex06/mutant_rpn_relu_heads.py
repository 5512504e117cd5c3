"""RPN head whose score and delta convolutions have a ReLU (deltas must be able to be negative).

expect: rpn FAIL "activation 'relu' instead of None"
"""
from keras import layers


def rpn_head(feature_map, num_anchors=9):
    x = layers.Conv2D(512, 3, padding="same", activation="relu")(feature_map)
    scores = layers.Conv2D(2 * num_anchors, 1, activation="relu")(x)
    deltas = layers.Conv2D(4 * num_anchors, 1, activation="relu")(x)
    return scores, deltas
