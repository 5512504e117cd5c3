"""ex11 -- Looking at what a CNN learned: training curves, filters, feature maps.

Three plotting functions, each returning a ``matplotlib.figure.Figure``.
Build the figure, put everything on it, and ``return fig`` -- do not only call
``plt.show()``.  The grader runs your code headless (matplotlib's Agg
backend, where ``plt.show()`` does nothing) and reads the Figure you return:
its axes, the data of its lines, its labels and legends, and the arrays of
its images.  It never looks at pixels, so colours, sizes, fonts and titles
are yours to choose, except where this page says otherwise.

What the grader reads
---------------------
``plot_training_curves(history)``
    ``history`` is the dict ``model.fit(...).history``: keys ``"loss"``,
    ``"val_loss"``, ``"accuracy"``, ``"val_accuracy"``, each a list with one
    float per epoch (in your own notebook you may also pass the ``History``
    object: ``getattr(history, "history", history)`` accepts both).
    Expected: exactly two axes with lines (``plt.subplots(1, 2)``):

    * one axes with the training and the validation loss, one axes with the
      training and the validation accuracy -- four lines, drawn with
      ``ax.plot(epochs, values)``; the y data must equal the history values,
      the x data must be the epochs ``1..n`` (or ``0..n-1``, what
      ``ax.plot(values)`` gives);
    * both axes have an x-axis label and a y-axis label; the loss axes'
      y label or title contains "loss", the accuracy axes' contains "acc";
    * both axes have a legend (``ax.legend()``, or one ``fig.legend()``) with
      an entry for each line; the validation line's label contains "val"
      ("validation", "val_loss"), the training line's label does not
      ("train", "training").

``plot_filters(kernel)``
    ``kernel`` is a Conv2D kernel, a numpy array of shape
    (kh, kw, C_in, F) with C_in = 1 or 3.  Expected: one image per filter
    (``ax.imshow`` or ``ax.matshow``, one axes per filter), in filter order
    (image i shows ``kernel[..., i]``; the grader counts the images in the
    order of ``fig.axes``; extra empty axes, e.g. to fill a grid, are fine).
    Each filter is rescaled to [0, 1] by its *own* minimum and maximum:
    ``w = kernel[..., i]; (w - w.min()) / (w.max() - w.min())``, the min and
    max taken over all of that filter's kh x kw x C_in values.

    * C_in = 3: show the filter as one RGB image of shape (kh, kw, 3).  The
      rescaling is required: ``imshow`` clips RGB values to [0, 1], so raw
      weights (often negative) would turn black.
    * C_in = 1: show ``kernel[:, :, 0, i]`` as a 2-D image, any colour map.
      Passing the raw weights is fine here: imshow's default colour scale
      runs from that image's own min to its max, which is the same rescaling.

    Precisely: the grader computes what each image *displays* -- for a 2-D
    image (value - vmin) / (vmax - vmin) with the image's colour limits
    (linear scale only), for an RGB image the values clipped to [0, 1] (or
    divided by 255 for integers); ``origin="lower"`` flips it -- and that
    must equal the rescaled filter to 1e-3 (plus 1/255 for an integer RGB
    image, whose values are steps of 1/255).

``plot_feature_maps(model, image, layer_name)``
    ``model`` is a built ``keras.Model``, ``image`` one input image of shape
    (H, W, C) without the batch axis (add it: ``image[None]``), and
    ``layer_name`` the name of one of the model's layers.  Expected: one 2-D
    image per channel of that layer's output for this image (for example
    ``keras.Model(model.input, model.get_layer(layer_name).output)``), in
    channel order; image c displays channel c rescaled by its own min and
    max (imshow's default colour scale does exactly that; a channel that is
    constant, e.g. all zeros after a ReLU, may show any constant).

Grading: 11 checks, 14 points (3 of them hidden: other histories, kernels,
models and layer names drawn from the instructor's seed, so hard-coded
figures fail).  Time limit 20 s per check, memory limit 2 GB.  A picture of
the reference result is in docs/ex11_reference.png.
"""


def plot_training_curves(history):
    """Two axes (loss, accuracy), each with a training and a validation line,
    axis labels and a legend.  Returns the Figure."""
    raise NotImplementedError


def plot_filters(kernel):
    """One image per filter of a (kh, kw, C_in, F) kernel, each rescaled to
    [0, 1] by its own min and max (RGB when C_in = 3).  Returns the Figure."""
    raise NotImplementedError


def plot_feature_maps(model, image, layer_name):
    """One image per channel of ``layer_name``'s output for ``image`` (H, W, C).
    Returns the Figure."""
    raise NotImplementedError
