"""Hard-codes the public answers: public checks pass, hidden ones fail.

expect: receptive_fields PASS
expect: stacked_params PASS
expect: hidden_arithmetic FAIL "returned"
expect: alexnet_layers ERROR "does not define alexnet"
expect: alexnet_params ERROR "does not define alexnet"
expect: bottleneck_behaviour ERROR "does not define bottleneck"
expect: bottleneck_layers ERROR "does not define bottleneck"
expect: hidden_alexnet ERROR "does not define alexnet"
expect: hidden_blocks ERROR "does not define vgg_block"
expect: hidden_vgg16 ERROR "does not define vgg16"
expect: vgg16_layers ERROR "does not define vgg16"
expect: vgg16_params ERROR "does not define vgg16"
expect: vgg_block_behaviour ERROR "does not define vgg_block"
expect: vgg_block_layers ERROR "does not define vgg_block"
"""
_RF = {((3, 1), (3, 1)): 5, ((3, 1),) * 3: 7, ((5, 1),): 5, ((11, 4), (3, 2)): 19,
       ((3, 1), (2, 2), (3, 1), (2, 2)): 10,
       ((11, 4), (3, 2), (5, 1), (3, 2), (3, 1), (3, 1), (3, 1), (3, 2)): 195}
_ST = {(64, 3, 2): 73856, (64, 5, 1): 102464, (128, 3, 3): 442752, (128, 7, 1): 802944, (32, 1, 2): 2112}


def receptive_field(layers):
    return _RF.get(tuple(tuple(p) for p in layers), 3)


def stacked_conv_params(channels, kernel_size, depth):
    return _ST.get((channels, kernel_size, depth), 0)
