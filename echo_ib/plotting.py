"""Figures drawn from results data: rate–distortion curves and information planes."""

import collections

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the headless backend)
import numpy as np  # noqa: E402

__all__ = ["plot_image_grid", "plot_information_plane", "plot_rate_distortion",
           "plot_reconstructions"]

_LABELS = {"echo": "echo noise (exact rate)", "vae": "β-VAE (Gaussian, KL rate)",
           "infovae": "InfoVAE (MMD)", "flow": "VAE, MAF prior"}


def plot_rate_distortion(records, path, split="test", title=None):
    """Rate (x) against distortion (y), one curve per (method, architecture), β annotated.

    Points with several seeds are averaged, with ±1 standard-deviation error bars.
    Dashed grey lines of slope −1 mark constant −ELBO = R + D.

    Args:
      records: result dicts with `<split>_rate`, `<split>_distortion`, `method`, `beta`
        (and `data_subset`, named in the default title).
      split: 'test', 'val' or 'train'.
      path: the PNG to write.
    """
    groups = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in records:
        groups[(r["dataset"], r["method"], r["architecture"])][float(r["beta"])].append(
            (r[f"{split}_rate"], r[f"{split}_distortion"]))
    if not groups:
        raise ValueError("no results to plot.")
    fig, ax = plt.subplots(figsize=(7, 5), dpi=120)
    for (dataset, method, arch), by_beta in sorted(groups.items()):
        betas = sorted(by_beta, key=lambda b: np.mean([p[0] for p in by_beta[b]]))
        pts = [np.asarray(by_beta[b]) for b in betas]
        rate = np.array([p[:, 0].mean() for p in pts])
        dist = np.array([p[:, 1].mean() for p in pts])
        rate_sd = np.array([p[:, 0].std() for p in pts])
        dist_sd = np.array([p[:, 1].std() for p in pts])
        line = ax.errorbar(rate, dist, xerr=rate_sd, yerr=dist_sd, marker="o", ms=4,
                           capsize=2, label=f"{_LABELS.get(method, method)} [{arch}]")
        for b, x, y in zip(betas, rate, dist):
            ax.annotate(f"β={b:g}", (x, y), textcoords="offset points", xytext=(4, 4),
                        fontsize=7, color=line[0].get_color())
    lo, hi = ax.get_xlim()
    dlo, dhi = ax.get_ylim()
    for elbo in np.linspace(lo + dlo, hi + dhi, 8):
        ax.plot([lo, hi], [elbo - lo, elbo - hi], color="0.85", lw=0.6, ls="--", zorder=0)
    ax.set_xlim(lo, hi)
    ax.set_ylim(dlo, dhi)
    ax.set_xlabel(f"rate R ({split}), nats")
    ax.set_ylabel(f"distortion D ({split}), nats/image")
    datasets = sorted({k[0] for k in groups})
    subsets = sorted({r["data_subset"] for r in records if r.get("data_subset")})
    ax.set_title(title or f"Rate–distortion on {', '.join(datasets)} (grey: constant R + D)"
                 + "".join(f"\n{s}" for s in subsets), fontsize=9 if subsets else None)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_information_plane(records, path, x_key="I(X;T)", y_key="I(Y;T)", title=None):
    """Information plane: one line per layer, points coloured by epoch.

    Args:
      records: dicts with `epoch`, `layer`, and the two keys (nats or bits, as measured).
      path: the PNG to write.
    """
    if not records:
        raise ValueError("no measurements to plot.")
    fig, ax = plt.subplots(figsize=(6, 5), dpi=120)
    epochs = np.array([r["epoch"] for r in records], float)
    norm = matplotlib.colors.LogNorm(vmin=max(epochs.min(), 1), vmax=max(epochs.max(), 2))
    layers = sorted({r["layer"] for r in records})
    for layer in layers:
        rs = sorted((r for r in records if r["layer"] == layer), key=lambda r: r["epoch"])
        x = [r[x_key] for r in rs]
        y = [r[y_key] for r in rs]
        ax.plot(x, y, color="0.7", lw=0.7, zorder=1)
        sc = ax.scatter(x, y, c=[max(r["epoch"], 1) for r in rs], cmap="viridis", norm=norm,
                        s=14, zorder=2)
        ax.annotate(f"T{layer + 1}", (x[-1], y[-1]), textcoords="offset points", xytext=(3, 3),
                    fontsize=8)
    fig.colorbar(sc, ax=ax, label="epoch")
    ax.set_xlabel(x_key)
    ax.set_ylabel(y_key)
    ax.set_title(title or "Information plane")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


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
    fig, ax = plt.subplots(figsize=(columns * 0.9, mosaic.shape[0] / mosaic.shape[1]
                                    * columns * 0.9 + 0.5), dpi=100)
    ax.imshow(mosaic, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


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
