"""Always shows the first layer's maps, whatever layer_name says.

expect: feature_maps_count PASS
expect: feature_maps_values FAIL "of layer 'conv1', not of 'conv2'"
"""
import keras
import matplotlib.pyplot as plt
import numpy as np


def plot_feature_maps(model, image, layer_name):
    probe = keras.Model(model.input, model.layers[1].output)
    maps = np.asarray(probe(image[None]))[0]
    n = maps.shape[-1]
    fig, axes = plt.subplots(1, n, squeeze=False)
    for c in range(n):
        axes[0, c].imshow(maps[:, :, c])
    return fig
