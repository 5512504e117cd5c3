"""Always shows the first layer's maps, whatever layer_name says.

expect: feature_maps_count PASS
expect: feature_maps_values FAIL "of layer 'conv1', not of 'conv2'"
expect: curves_data ERROR "does not define plot_training_curves"
expect: curves_labels ERROR "does not define plot_training_curves"
expect: curves_layout ERROR "does not define plot_training_curves"
expect: curves_legend ERROR "does not define plot_training_curves"
expect: filters_count ERROR "does not define plot_filters"
expect: filters_values ERROR "does not define plot_filters"
expect: hidden_curves ERROR "does not define plot_training_curves"
expect: hidden_feature_maps FAIL "as many as layer 'block3"
expect: hidden_filters ERROR "does not define plot_filters"
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
