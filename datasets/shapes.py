"""Synthetic RGB shapes (circle, square, triangle) at random positions, sizes
and colours, generated from a seed: a small offline image-classification set."""
from __future__ import annotations

import numpy as np

CLASSES = ("circle", "square", "triangle")


def _draw(kind: int, size: int, rng: np.random.Generator) -> np.ndarray:
    yy, xx = np.mgrid[0:size, 0:size].astype("float32") + 0.5
    r = rng.uniform(0.18, 0.38) * size
    cy, cx = rng.uniform(r, size - r, 2)
    if kind == 0:
        mask = (yy - cy) ** 2 + (xx - cx) ** 2 <= r ** 2
    elif kind == 1:
        mask = (np.abs(yy - cy) <= r * 0.85) & (np.abs(xx - cx) <= r * 0.85)
    else:  # an upward triangle: apex at the top, base at the bottom
        top, bottom = cy - r, cy + r
        half = (yy - top) / (2 * r) * r
        mask = (yy >= top) & (yy <= bottom) & (np.abs(xx - cx) <= half)
    return mask


def make_shapes(n: int = 600, size: int = 32, seed: int = 0, noise: float = 0.05):
    """(images (n, size, size, 3) float32 in [0, 1], labels (n,) int64 in 0..2).

    Background and shape colours are random but kept apart, so colour alone
    does not give the class away; classes are balanced.
    """
    if size < 8:
        raise ValueError("size must be at least 8 pixels")
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % len(CLASSES)
    rng.shuffle(labels)
    images = np.empty((n, size, size, 3), dtype="float32")
    for i, kind in enumerate(labels):
        background = rng.uniform(0, 1, 3)
        colour = (background + rng.uniform(0.35, 0.65, 3)) % 1.0
        mask = _draw(int(kind), size, rng)
        img = np.where(mask[..., None], colour, background)
        img += rng.normal(0, noise, img.shape)
        images[i] = np.clip(img, 0, 1)
    return images, labels.astype("int64")
