"""ex06 -- Vision applications: fully convolutional networks and object detection.

**FCN: convolutionalization.**  A classifier that ends in Flatten + Dense only
accepts the image size it was built for.  But a Dense layer that reads a
flattened h x w x c map *is* a convolution with an h x w kernel and no
padding: reshape its kernel (h*w*c, units) to (h, w, c, units) -- Keras's
Flatten orders the features h, then w, then c, so a plain reshape is right --
and the later Dense layers become 1x1 convolutions (kernel (1, 1, in, units)).
Same weights, same predictions at the original size; on a larger image the
network slides over it and returns a *map* of predictions, one per window,
for the price of one forward pass (the windows share their convolutions).

**Transposed convolutions** go the other way: they upsample.  In Keras, with
``output_padding=None`` the output length is n * s for "same" and
n * s + max(k - s, 0) for "valid"; with an explicit output_padding it is
(n - 1) * s + k - 2 * pad + output_padding, where pad is k // 2 for "same"
and 0 for "valid".

**YOLO (v1)** splits the image into an S x S grid; each cell predicts B boxes
(x, y, w, h, confidence: 5 numbers each) and C class probabilities, so the
output is S x S x (B * 5 + C) -- 7 x 7 x 30 for B = 2, C = 20.
**Faster R-CNN's region proposal network** slides a 3x3 convolution over the
feature map; at each position, for each of k anchor boxes, a 1x1 convolution
predicts 2 scores (object / not object) and another 4 box deltas: 2k and 4k
channels.

**IoU and non-max suppression.**  IoU = area(A n B) / area(A u B).  The
overlap along each axis is min(ends) - max(starts) -- negative when the boxes
are apart, so clamp it at 0 *before* multiplying (two negative overlaps would
make a positive "area").  Boxes that only touch overlap by 0.  Greedy NMS:
take the highest-scoring box, drop every remaining box whose IoU with a kept
box is *greater than* the threshold, repeat; equal scores keep their input
order (lower index first); stop after max_outputs boxes.

Boxes are [y1, x1, y2, x2] with y1 < y2 and x1 < x2 (TensorFlow's order).

Grading: ``convolutionalize`` gets small classifiers built by the grader
(Conv2D and pooling layers with "valid" padding, then Flatten and one or more
Dense layers, maybe Dropout; Sequential or functional) and must return a new
``keras.Model`` whose input is ``keras.Input(shape=(None, None, channels))``
(or a ``keras.Model`` subclass, which takes images of any size anyway):
at the original size its output -- shape (N, 1, 1, classes) -- must equal the
classifier's predictions, and on a larger image each position of the map must
equal the classifier applied to the matching window (to 1e-4).
The output lengths are compared with Keras's Conv2DTranspose; the blocks and
heads are built on ``keras.Input``s of the grader's choice and compared with
the reference layer by layer (class, output shape, parameters, and the
activation where this page fixes it), ``upsample_block`` and ``rpn_head`` also
under identical weights on random inputs (to 1e-4); ``iou``
with ``keras.utils.bounding_boxes.compute_iou`` (to 1e-5); and
``non_max_suppression`` must return exactly the indices of
``tf.image.non_max_suppression`` -- with equal scores, boxes that touch and
IoUs exactly at the threshold among the cases.  Hidden checks use other
sizes, boxes and classifiers.  Time limit 20 s per check; memory limit 2 GB.
"""
import numpy as np

import keras
from keras import layers


def convolutionalize(model):
    """Turn a classifier ending in Flatten + Dense layers into a fully
    convolutional ``keras.Model`` with the same weights.

    Keep the layers before Flatten (call them on the new input); drop the
    Flatten; the first Dense after it becomes Conv2D(units, (h, w)) with its
    kernel reshaped to (h, w, c, units) and its activation; each later Dense
    becomes Conv2D(units, 1) with kernel reshaped to (1, 1, in, units).
    Layers such as Dropout can be kept as they are.
    """
    raise NotImplementedError


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    """Output length of a Keras Conv2DTranspose along one axis (ints; padding "same" or "valid")."""
    raise NotImplementedError


def upsample_block(x, filters):
    """Conv2DTranspose(filters, 3x3, strides=2, padding="same", ReLU): (H, W, C) -> (2H, 2W, filters)."""
    raise NotImplementedError


def yolo_output_shape(grid, boxes_per_cell, num_classes):
    """YOLOv1's output shape (S, S, B * 5 + C) as a tuple of ints."""
    raise NotImplementedError


def yolo_head(feature_map, grid, boxes_per_cell, num_classes):
    """A YOLOv1 head on a feature map tensor, returning a tensor of shape
    (grid, grid, B * 5 + C) (batch axis aside):

    * the map is already grid x grid: one Conv2D(B * 5 + C, 1x1);
    * otherwise (YOLOv1): Flatten, Dense(grid * grid * (B * 5 + C)), Reshape.

    The activation of that last layer is your choice (YOLOv1's is linear).
    """
    raise NotImplementedError


def rpn_head(feature_map, num_anchors=9):
    """Faster R-CNN's RPN head: Conv2D(512, 3x3, "same", ReLU), then two 1x1
    convolutions without activation on its output: 2 * num_anchors channels of
    objectness scores and 4 * num_anchors channels of box deltas.
    Returns the tuple (scores, deltas).
    """
    raise NotImplementedError


def iou(box_a, box_b):
    """Intersection over union of two [y1, x1, y2, x2] boxes, as a float
    (0.0 for boxes that are apart or only touch)."""
    raise NotImplementedError


def non_max_suppression(boxes, scores, max_outputs, iou_threshold):
    """Greedy NMS, exactly like ``tf.image.non_max_suppression``.

    boxes: (N, 4) array of [y1, x1, y2, x2]; scores: (N,); returns a 1-D numpy
    integer array with the indices of the kept boxes, highest score first
    (equal scores: lower index first), at most max_outputs of them.  A box is
    dropped when its IoU with a kept box is greater than iou_threshold.
    """
    raise NotImplementedError
