"""Labels its lines but never calls ax.legend().

expect: curves_legend FAIL "no legend"
expect: curves_labels PASS
expect: curves_data PASS
expect: feature_maps_count ERROR "does not define plot_feature_maps"
expect: feature_maps_values ERROR "does not define plot_feature_maps"
expect: filters_count ERROR "does not define plot_filters"
expect: filters_values ERROR "does not define plot_filters"
expect: hidden_feature_maps ERROR "does not define plot_feature_maps"
expect: hidden_filters ERROR "does not define plot_filters"
expect: hidden_curves FAIL "the loss axes has no legend"
"""
import matplotlib.pyplot as plt


def plot_training_curves(history):
    fig, (a, b) = plt.subplots(1, 2)
    a.plot(history["loss"], label="train")
    a.plot(history["val_loss"], label="val")
    b.plot(history["accuracy"], label="train")
    b.plot(history["val_accuracy"], label="val")
    a.set(xlabel="epoch", ylabel="loss")
    b.set(xlabel="epoch", ylabel="accuracy")
    return fig
