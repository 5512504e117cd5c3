"""convolutionalize that is right at the original size but keeps the
classifier's fixed input shape, so it cannot slide over a larger image.

expect: convolutionalize_same_size PASS
expect: convolutionalize_larger FAIL "cannot slide over"
expect: conv_transpose_lengths ERROR "does not define conv_transpose_output_length"
expect: hidden_convolutionalize FAIL "convolutionalize("
expect: hidden_heads ERROR "does not define upsample_block"
expect: hidden_iou_nms ERROR "does not define iou"
expect: hidden_lengths_and_shapes ERROR "does not define conv_transpose_output_length"
expect: iou_cases ERROR "does not define iou"
expect: nms_basic ERROR "does not define non_max_suppression"
expect: nms_ties_and_touching ERROR "does not define non_max_suppression"
expect: rpn ERROR "does not define rpn_head"
expect: upsample ERROR "does not define upsample_block"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: yolo_shapes ERROR "does not define yolo_output_shape"
expect: hidden_convolutionalize FAIL "convolutionalize(model) takes inputs of shape (1"
"""
import keras
from keras import layers


def convolutionalize(model):
    inputs = keras.Input(shape=model.input_shape[1:])
    x, flat = inputs, None
    for layer in model.layers:
        if isinstance(layer, layers.Flatten):
            flat = layer.input.shape[1:]
        elif isinstance(layer, layers.Dense):
            kernel, bias = layer.get_weights()
            kernel = kernel.reshape(*flat, layer.units) if flat is not None else kernel[None, None]
            flat = None
            conv = layers.Conv2D(layer.units, kernel.shape[:2], activation=layer.activation)
            x = conv(x)
            conv.set_weights([kernel, bias])
        elif not isinstance(layer, layers.InputLayer):
            x = layer(x)
    return keras.Model(inputs, x)
