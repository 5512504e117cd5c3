"""Labels its lines but never calls ax.legend().

expect: curves_legend FAIL "no legend"
expect: curves_labels PASS
expect: curves_data PASS
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
