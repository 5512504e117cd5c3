"""Transposed-convolution length as (n - 1) * s + k for "valid" even without
output_padding -- Keras uses n * s + max(k - s, 0), which differs when k < s.

expect: conv_transpose_lengths FAIL "n * s + max(k - s, 0)"
expect: convolutionalize_larger ERROR "does not define convolutionalize"
expect: convolutionalize_same_size ERROR "does not define convolutionalize"
expect: hidden_convolutionalize ERROR "does not define convolutionalize"
expect: hidden_heads ERROR "does not define upsample_block"
expect: hidden_iou_nms ERROR "does not define iou"
expect: iou_cases ERROR "does not define iou"
expect: nms_basic ERROR "does not define non_max_suppression"
expect: nms_ties_and_touching ERROR "does not define non_max_suppression"
expect: rpn ERROR "does not define rpn_head"
expect: upsample ERROR "does not define upsample_block"
expect: yolo_head_layers ERROR "does not define yolo_head"
expect: hidden_lengths_and_shapes FAIL|PASS "used (n - 1) * s + k: Keras's 'valid' without"
"""


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    pad = kernel_size // 2 if padding == "same" else 0
    if output_padding is None:
        if padding == "same":
            return n * stride
        return (n - 1) * stride + kernel_size
    return (n - 1) * stride + kernel_size - 2 * pad + output_padding


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    return (grid, grid, boxes_per_cell * 5 + num_classes)
