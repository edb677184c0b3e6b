"""Image mosaics: samples and reconstructions."""

import numpy as np

from echo_ib.plotting import _figure

__all__ = ["plot_image_grid", "plot_reconstructions"]


def _tile(images, columns):
    """[N, H, W, 1] in [0, 1] -> one [rows·(H+1), columns·(W+1)] mosaic, 1-pixel gaps."""
    images = np.asarray(images, np.float32)[..., 0]
    count, height, width = images.shape
    rows = -(-count // columns)
    mosaic = np.full((rows * (height + 1) - 1, columns * (width + 1) - 1), 0.15, np.float32)
    for k, image in enumerate(images):
        r, c = divmod(k, columns)
        mosaic[r * (height + 1):r * (height + 1) + height,
               c * (width + 1):c * (width + 1) + width] = image
    return mosaic


def plot_image_grid(images, path, columns=8, title=None):
    """Draws images [N, H, W, 1] with values in [0, 1] as a grid (ink dark on white)."""
    mosaic = _tile(images, columns)
    fig, ax = _figure.subplots(figsize=(columns * 0.9, mosaic.shape[0] / mosaic.shape[1]
                                           * columns * 0.9 + 0.5), dpi=100)
    ax.imshow(mosaic, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=9)
    return _figure.save(fig, path)


def plot_reconstructions(originals, reconstructions, path, title=None):
    """Pairs of rows: test images above their reconstructions (Bernoulli means)."""
    originals = np.asarray(originals)
    reconstructions = np.asarray(reconstructions)
    columns = min(8, len(originals))
    rows = []
    for start in range(0, len(originals), columns):
        rows += [originals[start:start + columns], reconstructions[start:start + columns]]
    return plot_image_grid(np.concatenate(rows), path, columns=columns,
                           title=title or "test images (odd rows) and reconstructions (even rows)")
