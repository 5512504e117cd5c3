"""Draw docs/ex11_reference.png: the reference solution's training curves and
filters, the picture the ex11 README section shows.

    python docs/make_ex11_reference.py

Synthetic, offline inputs: a plausible training history, and eight 5x5x3
filters shaped like the oriented edges and colour blobs a CNN's first layer
learns.
"""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

OUT = Path(__file__).resolve().parent / "ex11_reference.png"


def history(n: int = 15) -> dict:
    rng = np.random.default_rng(3)
    e = np.arange(n)
    loss = 1.6 * np.exp(-e / 3.5) + 0.22 + rng.uniform(0, 0.03, n)
    val_loss = 1.5 * np.exp(-e / 3.0) + 0.38 + 0.012 * np.maximum(e - 7, 0) ** 1.5 + rng.uniform(0, 0.03, n)
    acc = 0.97 - 0.6 * np.exp(-e / 3.5) + rng.uniform(-0.01, 0.01, n)
    val_acc = 0.91 - 0.55 * np.exp(-e / 3.0) - 0.002 * np.maximum(e - 7, 0) + rng.uniform(-0.01, 0.01, n)
    return {"loss": loss.tolist(), "val_loss": val_loss.tolist(), "accuracy": acc.tolist(),
            "val_accuracy": val_acc.tolist()}


def edge_filters(k: int = 5) -> np.ndarray:
    """Gabor-like oriented edges in grey and colour, plus two colour blobs: shape (k, k, 3, 8)."""
    y, x = np.mgrid[-(k // 2):k // 2 + 1, -(k // 2):k // 2 + 1].astype(float)
    out = []
    for angle, tint in ((0, (1, 1, 1)), (45, (1, 1, 1)), (90, (1, 1, 1)), (135, (1, 1, 1)),
                        (0, (1, -0.6, -0.6)), (90, (-0.5, 1, -0.5))):
        t = np.deg2rad(angle)
        g = np.exp(-(x ** 2 + y ** 2) / 6) * np.sin(1.3 * (x * np.cos(t) + y * np.sin(t)))
        out.append(g[:, :, None] * np.array(tint)[None, None, :])
    blob = np.exp(-(x ** 2 + y ** 2) / 3)
    out.append(blob[:, :, None] * np.array([-0.4, -0.4, 1.0]))
    out.append(blob[:, :, None] * np.array([1.0, 0.8, -0.8]))
    return np.stack(out, axis=-1).astype("float32")


def render(fig) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    buf.seek(0)
    return plt.imread(buf)


def main() -> None:
    import sys
    sys.path.insert(0, str(OUT.parent.parent))
    from solutions.ex11_visualization import plot_filters, plot_training_curves
    top, bottom = render(plot_training_curves(history())), render(plot_filters(edge_filters()))
    width = max(top.shape[1], bottom.shape[1])

    def pad(a):
        return np.pad(a, ((0, 0), (0, width - a.shape[1]), (0, 0)), constant_values=1.0)
    plt.imsave(OUT, np.concatenate([pad(top), pad(bottom)], axis=0))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
