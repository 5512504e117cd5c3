"""TensorFlow-namespace spelling (tf.keras.layers, activation=tf.nn.relu,
tf.random_normal_initializer(0., 0.01)) with the same mistake as mutant_rpn_relu_heads: the score
and delta convolutions have a ReLU too.  It must get that file's verdicts.

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
import tensorflow as tf


def rpn_head(feature_map, num_anchors=9):
    init = tf.random_normal_initializer(0., 0.01)
    x = tf.keras.layers.Conv2D(512, 3, padding="same", activation=tf.nn.relu, kernel_initializer=init)(feature_map)
    scores = tf.keras.layers.Conv2D(2 * num_anchors, 1, activation=tf.nn.relu, kernel_initializer=init)(x)
    deltas = tf.keras.layers.Conv2D(4 * num_anchors, 1, activation=tf.nn.relu, kernel_initializer=init)(x)
    return scores, deltas
