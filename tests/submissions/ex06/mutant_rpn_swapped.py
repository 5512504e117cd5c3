"""RPN head that returns (deltas, scores) instead of (scores, deltas).

expect: rpn FAIL "returned (deltas, scores)"
"""
from keras import layers


def rpn_head(feature_map, num_anchors=9):
    x = layers.Conv2D(512, 3, padding="same", activation="relu")(feature_map)
    return layers.Conv2D(4 * num_anchors, 1)(x), layers.Conv2D(2 * num_anchors, 1)(x)
