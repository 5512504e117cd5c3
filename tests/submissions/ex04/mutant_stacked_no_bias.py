"""Counts the kernels of the stacked convolutions but leaves the biases out.

expect: stacked_params FAIL "forgot the biases"
expect: receptive_fields PASS
expect: alexnet_layers ERROR "does not define alexnet"
expect: alexnet_params ERROR "does not define alexnet"
expect: bottleneck_behaviour ERROR "does not define bottleneck"
expect: bottleneck_layers ERROR "does not define bottleneck"
expect: hidden_alexnet ERROR "does not define alexnet"
expect: hidden_arithmetic FAIL "forgot the biases (one per filter in every layer)"
expect: hidden_blocks ERROR "does not define vgg_block"
expect: hidden_vgg16 ERROR "does not define vgg16"
expect: vgg16_layers ERROR "does not define vgg16"
expect: vgg16_params ERROR "does not define vgg16"
expect: vgg_block_behaviour ERROR "does not define vgg_block"
expect: vgg_block_layers ERROR "does not define vgg_block"
"""


def receptive_field(layers):
    rf, jump = 1, 1
    for k, s in layers:
        rf += (k - 1) * jump
        jump *= s
    return rf


def stacked_conv_params(channels, kernel_size, depth):
    return depth * kernel_size * kernel_size * channels * channels
