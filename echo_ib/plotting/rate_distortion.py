"""Rate–distortion curves: distortion against rate per method and data set, from sweep records."""

import collections

import numpy as np

from echo_ib.plotting import _figure

__all__ = ["method_label", "curve_setting", "plot_rate_distortion", "rate_distortion_figure"]


def method_label(method):
    """A method's name in figures (`echo_ib.models.methods`); 'vae (run a)' keeps its
    suffix; an unknown name is shown as given."""
    from echo_ib.models import methods
    name, _, suffix = method.partition(" ")
    spec = methods.METHODS.get(name)
    return (spec.label + (f" {suffix}" if suffix else "")) if spec else method


def curve_setting(record):
    """What besides β sets a record's curve apart: echo's gate, a rate warm-up and the sweep
    grid's other fields (`swept`), as text ('' for none): e.g.
    'gate hard_concrete, latent_dim=16'. A field the grid swept is named once."""
    swept = record.get("swept") or {}
    parts = []
    if record.get("gate") not in (None, "none") and "echo.gate" not in swept:
        parts.append(f"gate {record['gate']}")
    if record.get("rate_warmup_epochs") and "rate_warmup_epochs" not in swept:
        parts.append(f"warm-up {record['rate_warmup_epochs']}")
    parts += [f"{k}={v}" for k, v in sorted(swept.items())]
    return ", ".join(parts)


def plot_rate_distortion(records, path, split="test", title=None):
    """Draws `rate_distortion_figure(records, split, title)` to the PNG `path`."""
    fig, rect = rate_distortion_figure(records, split, title)
    return _figure.save(fig, path, rect=rect)


def rate_distortion_figure(records, split="test", title=None):
    """Rate (x) against distortion (y), one panel per data set, one curve per (method,
    architecture) and each combination of the other swept fields (`curve_setting`), β
    annotated next to each point.

    A point recorded with several seeds is drawn at the seeds' mean with error bars of ±1
    standard error of that mean (sample standard deviation / √n), and its β label says how
    many seeds; a point with one seed has no bars. Dashed grey lines of slope −1 mark
    constant −ELBO = R + D. The legend sits below the panels.

    Args:
      records: result dicts with `<split>_rate`, `<split>_distortion`, `dataset`, `method`,
        `architecture`, `beta` (and `data_subset`, named under each panel's title).
      split: 'test', 'val' or 'train'.
      title: the figure's title. Default: the split and what the bars are.

    Returns:
      (figure, the rectangle its panels are laid out in above the legend).
    """
    panels = collections.defaultdict(
        lambda: collections.defaultdict(lambda: collections.defaultdict(list)))
    subsets = collections.defaultdict(set)
    for r in records:
        curve = (r["method"], r["architecture"], curve_setting(r))
        panels[r["dataset"]][curve][float(r["beta"])].append(
            (r[f"{split}_rate"], r[f"{split}_distortion"]))
        if r.get("data_subset"):
            subsets[r["dataset"]].add(r["data_subset"])
    if not panels:
        raise ValueError("no results to plot.")
    datasets = sorted(panels)
    fig, axes = _figure.subplots(1, len(datasets), figsize=(6.5 * len(datasets), 5.8), dpi=120,
                                 squeeze=False)
    colors = {}
    handles = {}
    several_seeds = False
    for ax, dataset in zip(axes[0], datasets):
        placed = []
        labels = []
        for curve, by_beta in sorted(panels[dataset].items()):
            method, arch, setting = curve
            betas = sorted(by_beta, key=lambda b: np.mean([p[0] for p in by_beta[b]]))
            pts = [np.asarray(by_beta[b], float) for b in betas]
            rate = np.array([p[:, 0].mean() for p in pts])
            dist = np.array([p[:, 1].mean() for p in pts])
            counts = np.array([len(p) for p in pts])
            several_seeds |= bool((counts > 1).any())

            def stderr(column):
                return np.array([p[:, column].std(ddof=1) / np.sqrt(len(p)) if len(p) > 1
                                 else 0.0 for p in pts])

            name = f"{method_label(method)} [{arch}" + (f", {setting}" if setting else "") + "]"
            color = colors.setdefault(name, f"C{len(colors) % 10}")
            line = ax.errorbar(rate, dist, xerr=stderr(0), yerr=stderr(1), marker="o", ms=4,
                               capsize=2, color=color, label=name)
            handles.setdefault(name, line)
            labels.extend((f"β={b:g}" + (f" (n={n})" if n > 1 else ""), (x, y), color)
                          for b, x, y, n in zip(betas, rate, dist, counts))
        lo, hi = ax.get_xlim()
        hi += 0.07 * (hi - lo)  # room for the β labels of the right-most points
        dlo, dhi = ax.get_ylim()
        for elbo in np.linspace(lo + dlo, hi + dhi, 8):
            ax.plot([lo, hi], [elbo - lo, elbo - hi], color="0.85", lw=0.6, ls="--", zorder=0)
        ax.set_xlim(lo, hi)
        ax.set_ylim(dlo, dhi)
        ax.set_xlabel(f"rate R ({split}), nats/image")
        ax.set_ylabel(f"distortion D ({split}), nats/image")
        heading = dataset + "".join(f"\n{s}" for s in sorted(subsets[dataset]))
        ax.set_title(_figure.wrap(heading, 70), fontsize=8)
        ax.grid(alpha=0.3)
        fig.canvas.draw()  # the label boxes need a layout
        for text, xy, color in labels:
            _figure.label_without_overlap(ax, text, xy, color, placed)
    bars = ("error bars: ±1 standard error over seeds (n per point)" if several_seeds
            else "one seed per point")
    fig.suptitle(_figure.wrap(title or f"Rate–distortion ({split}); grey: constant R + D; {bars}",
                              60 * len(datasets)), fontsize=9)
    rows = (len(handles) + 1) // 2
    fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=2, fontsize=8,
               frameon=False)
    return fig, (0, 0.05 * rows, 1, 0.97)
