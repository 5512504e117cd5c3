"""Adds up (k - 1) for every layer but forgets that earlier strides stretch the steps.

expect: receptive_fields FAIL "ignored the strides"
expect: hidden_arithmetic FAIL "ignored the strides"
expect: alexnet_layers ERROR "does not define alexnet"
expect: alexnet_params ERROR "does not define alexnet"
expect: bottleneck_behaviour ERROR "does not define bottleneck"
expect: bottleneck_layers ERROR "does not define bottleneck"
expect: hidden_alexnet ERROR "does not define alexnet"
expect: hidden_blocks ERROR "does not define vgg_block"
expect: hidden_vgg16 ERROR "does not define vgg16"
expect: stacked_params ERROR "does not define stacked_conv_params"
expect: vgg16_layers ERROR "does not define vgg16"
expect: vgg16_params ERROR "does not define vgg16"
expect: vgg_block_behaviour ERROR "does not define vgg_block"
expect: vgg_block_layers ERROR "does not define vgg_block"
"""


def receptive_field(layers):
    return 1 + sum(k - 1 for k, _ in layers)
