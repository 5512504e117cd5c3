"""Upsampling by UpSampling2D + a 3x3 convolution instead of a transposed convolution:
the shape is right, the layers are not.

expect: upsample FAIL "UpSampling2D"
expect: conv_transpose_lengths ERROR "does not define conv_transpose_output_length"
expect: convolutionalize_larger ERROR "does not define convolutionalize"
expect: convolutionalize_same_size ERROR "does not define convolutionalize"
expect: hidden_convolutionalize ERROR "does not define convolutionalize"
expect: hidden_heads FAIL "upsample_block("
expect: hidden_iou_nms ERROR "does not define iou"
expect: hidden_lengths_and_shapes ERROR "does not define conv_transpose_output_length"
expect: iou_cases ERROR "does not define iou"
expect: nms_basic ERROR "does not define non_max_suppression"
expect: nms_ties_and_touching ERROR "does not define non_max_suppression"
expect: rpn ERROR "does not define rpn_head"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: yolo_shapes ERROR "does not define yolo_output_shape"
expect: hidden_heads FAIL "upsample_block(keras.Input(("
"""
from keras import layers


def upsample_block(x, filters):
    x = layers.UpSampling2D(2)(x)
    return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
