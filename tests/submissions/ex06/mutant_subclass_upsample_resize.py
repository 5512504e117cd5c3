"""A keras.layers.Layer subclass upsampling block with the same mistake as mutant_upsample_resize:
UpSampling2D then a 3x3 "same" convolution with ReLU instead of a transposed convolution (the
shape is right, the layers are not).  It must get that file's verdicts.

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
import keras
from keras import layers


class Upsample(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.resize = layers.UpSampling2D(2)
        self.conv = layers.Conv2D(filters, 3, padding="same", activation="relu")

    def call(self, x):
        return self.conv(self.resize(x))


def upsample_block(x, filters):
    return Upsample(filters)(x)
