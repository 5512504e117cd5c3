"""A keras.layers.Layer subclass RPN head (three convolutions as attributes, tf.nn.relu applied
in call) with the same mistake as mutant_rpn_relu_heads: ReLU on the scores and the deltas too.
It must get that file's verdicts.

expect: rpn FAIL "activation 'relu' instead of None"
expect: conv_transpose_lengths ERROR "does not define conv_transpose_output_length"
expect: convolutionalize_larger ERROR "does not define convolutionalize"
expect: convolutionalize_same_size ERROR "does not define convolutionalize"
expect: hidden_convolutionalize ERROR "does not define convolutionalize"
expect: hidden_heads ERROR "does not define upsample_block"
expect: hidden_iou_nms ERROR "does not define iou"
expect: hidden_lengths_and_shapes ERROR "does not define conv_transpose_output_length"
expect: iou_cases ERROR "does not define iou"
expect: nms_basic ERROR "does not define non_max_suppression"
expect: nms_ties_and_touching ERROR "does not define non_max_suppression"
expect: upsample ERROR "does not define upsample_block"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: yolo_shapes ERROR "does not define yolo_output_shape"
"""
import keras
import tensorflow as tf
from keras import layers


class RPNHead(keras.layers.Layer):
    def __init__(self, num_anchors, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(512, 3, padding="same")
        self.objectness = layers.Conv2D(2 * num_anchors, 1)
        self.box_deltas = layers.Conv2D(4 * num_anchors, 1)

    def call(self, x):
        h = tf.nn.relu(self.conv(x))
        return tf.nn.relu(self.objectness(h)), tf.nn.relu(self.box_deltas(h))  # the heads must stay linear


def rpn_head(feature_map, num_anchors=9):
    return RPNHead(num_anchors)(feature_map)
