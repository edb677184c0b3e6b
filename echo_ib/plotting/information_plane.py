"""Information planes and the information-flow figures of noisy networks, from per-layer,
per-epoch measurement records (`epoch`, `layer`, the measured quantities and their
`<quantity>_stderr`, `units`)."""

import matplotlib.colors
import numpy as np

from echo_ib.plotting import _figure

__all__ = [
    "plot_binned_vs_plugin",
    "plot_clustering",
    "plot_compression_vs_plugin",
    "plot_information_over_training",
    "plot_information_plane",
    "plot_orthonormal_comparison",
]


def _layer_series(records, key):
    """{layer: (epochs, values, stderrs or None)} sorted by epoch."""
    series = {}
    for layer in sorted({r["layer"] for r in records}):
        rs = sorted((r for r in records if r["layer"] == layer and r.get(key) is not None),
                    key=lambda r: r["epoch"])
        errors = [r.get(f"{key}_stderr") for r in rs]
        series[layer] = (np.array([r["epoch"] for r in rs], float),
                         np.array([r[key] for r in rs], float),
                         None if None in errors else np.array(errors, float))
    return series


def _units(records):
    return records[0].get("units", "nats")


_FAILED_LABEL = "compressor below the quality bar"


def _failed_compressor(records, layer, epochs):
    """Boolean mask over `epochs` of the layer's records whose compressor failed its bar."""
    failed = {r["epoch"] for r in records
              if r["layer"] == layer and r.get("compressor_ok") is False}
    return np.array([e in failed for e in epochs], bool)


def plot_information_plane(records, path, x_key="I(X;T)", y_key="I(Y;T)", title=None,
                           layer_labels=None):
    """Information plane: one line per layer, points coloured by epoch, ±1 s.e. error bars.

    Args:
      records: dicts with `epoch`, `layer`, the two keys and, when measured, their
        `<key>_stderr`, and `units` (bits or nats); a dashed line marks H(Y) when present;
        records with `compressor_ok` False (CompressedInformationPlane) are circled red.
      path: the PNG to write.
      title: the title; the largest standard error is appended (bars smaller than the
        markers are otherwise invisible).
      layer_labels: optional names per layer index (e.g. 'T1 (10 units)'); default 'T1', ….
    """
    if not records:
        raise ValueError("no measurements to plot.")
    fig, ax = _figure.subplots(figsize=(6.8, 5), dpi=120)
    epochs = np.array([r["epoch"] for r in records], float)
    # Epoch 0 (before training) is measured: a symmetric-log scale shows it with the rest.
    norm = matplotlib.colors.SymLogNorm(linthresh=1.0, vmin=0.0, vmax=max(epochs.max(), 1.0))
    xs, ys = _layer_series(records, x_key), _layer_series(records, y_key)
    largest, any_failed = 0.0, False
    ends = []
    for layer in xs:
        _, x, x_err = xs[layer]
        _, y, y_err = ys[layer]
        for err in (x_err, y_err):
            if err is not None and len(err):
                largest = max(largest, float(np.max(err)))
        ax.errorbar(x, y, xerr=x_err, yerr=y_err, color="0.6", lw=0.7, elinewidth=0.6,
                    capsize=1.5, zorder=1)
        sc = ax.scatter(x, y, c=xs[layer][0], cmap="viridis", norm=norm, s=14, zorder=2)
        failed = _failed_compressor(records, layer, xs[layer][0])
        if failed.any():
            ax.scatter(x[failed], y[failed], s=60, facecolors="none", edgecolors="red",
                       lw=0.9, zorder=3, label=None if any_failed else _FAILED_LABEL)
            any_failed = True
        ends.append((layer_labels[layer] if layer_labels else f"T{layer + 1}", (x[-1], y[-1])))
    # Room on the right for the last layer's name, then names that do not overlap.
    lo, hi = ax.get_xlim()
    ax.set_xlim(lo, hi + 0.12 * (hi - lo))
    fig.canvas.draw()
    placed = []
    for text, xy in ends:
        _figure.label_without_overlap(ax, text, xy, "black", placed, fontsize=8)
    label_entropy = records[0].get("H(Y)")
    if label_entropy is not None and y_key == "I(Y;T)":
        ax.axhline(label_entropy, color="0.3", ls="--", lw=0.8, label="H(Y)")
    if any_failed or (label_entropy is not None and y_key == "I(Y;T)"):
        ax.legend(fontsize=8, loc="lower right")
    fig.colorbar(sc, ax=ax, label="epoch (0: before training; symmetric-log scale)")
    units = _units(records)
    ax.set_xlabel(f"{x_key} ({units})")
    ax.set_ylabel(f"{y_key} ({units})")
    note = (f"error bars ±1 s.e., at most {largest:.2g} {units}: mostly hidden by the markers"
            if largest else "no standard errors measured")
    ax.set_title((title or "Information plane") + f"\n{note}", fontsize=9)
    ax.grid(alpha=0.3)
    return _figure.save(fig, path)


def plot_information_over_training(records, path, key="I(X;T)", title=None):
    """`key` against epoch, one line per layer, ±1 standard error (epoch axis symlog)."""
    if not records:
        raise ValueError("no measurements to plot.")
    fig, ax = _figure.subplots(figsize=(6.5, 4.5), dpi=120)
    for layer, (epochs, values, errors) in _layer_series(records, key).items():
        ax.errorbar(epochs, values, yerr=errors, marker="o", ms=3, lw=1, capsize=2,
                    label=f"T{layer + 1}")
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{key} ({_units(records)})")
    ax.set_title(title or f"{key} per layer over training (±1 standard error)", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _figure.save(fig, path)


def plot_compression_vs_plugin(records, path, title=None):
    """Per layer, over training: I(X;T) through compression and the plug-in (±1 s.e.), with
    the plug-in's ceiling log n (X uniform over the n measured inputs)."""
    if not records:
        raise ValueError("no measurements to plot.")
    layers = sorted({r["layer"] for r in records})
    fig, axes = _figure.subplots(1, len(layers), figsize=(3.2 * len(layers), 3.4), dpi=110,
                                    sharey=True, squeeze=False)
    for ax, layer in zip(axes[0], layers):
        for key, label, colour in (("I(X;T)", "compression", "C0"),
                                   ("I(X;T)_plugin", "plug-in", "C1")):
            epochs, values, errors = _layer_series(records, key)[layer]
            if len(values):
                ax.errorbar(epochs, values, yerr=errors, color=colour, lw=1.3, capsize=2,
                            marker="o", ms=3, label=label)
                failed = _failed_compressor(records, layer, epochs)
                if key == "I(X;T)" and failed.any():
                    ax.scatter(epochs[failed], values[failed], s=55, facecolors="none",
                               edgecolors="red", lw=0.9, zorder=3, label=_FAILED_LABEL)
        ceiling = [r.get("plugin_ceiling") for r in records if r.get("plugin_ceiling")]
        if ceiling:
            ax.axhline(ceiling[0], color="0.5", ls=":", lw=0.8, label="log n")
        dims = [r.get("dimension") for r in records if r["layer"] == layer]
        ax.set_title(f"T{layer + 1}" + (f" ({dims[0]} units)" if dims and dims[0] else ""),
                     fontsize=9)
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(f"I(X;T) ({_units(records)})")
    axes[0][0].legend(fontsize=7)
    fig.suptitle(title or "I(X;T): compression against the plug-in", fontsize=10)
    return _figure.save(fig, path)


def plot_binned_vs_plugin(records, path, title=None):
    """Per layer, over training: the plug-in I(X;T) of the noisy network (±1 s.e.) and the
    binned H(Bin(T)) of its noiseless activations, with 30 bins and at each bin width of
    the records' `H(Bin(T))_per_width`."""
    if not records:
        raise ValueError("no measurements to plot.")
    layers = sorted({r["layer"] for r in records})
    widths = [w["width_sigma"] for w in records[0].get("H(Bin(T))_per_width", [])]
    fig, axes = _figure.subplots(1, len(layers), figsize=(3.2 * len(layers), 3.4), dpi=110,
                                 sharey=True, squeeze=False)
    plugin, binned = _layer_series(records, "I(X;T)"), _layer_series(records, "H(Bin(T))")
    for ax, layer in zip(axes[0], layers):
        epochs, values, errors = plugin[layer]
        ax.errorbar(epochs, values, yerr=errors, color="k", lw=1.5, capsize=2,
                    label="plug-in I(X;T)")
        e, v, _ = binned[layer]
        ax.plot(e, v, lw=1, ls="--", label="binned, 30 bins")
        rs = sorted((r for r in records if r["layer"] == layer), key=lambda r: r["epoch"])
        for i, width in enumerate(widths):
            ax.plot([r["epoch"] for r in rs],
                    [r["H(Bin(T))_per_width"][i]["H(Bin(T))"] for r in rs], lw=1,
                    label=f"binned, width {width:g}σ")
        ax.set_xscale("symlog", linthresh=1)
        ax.set_title(f"T{layer + 1}", fontsize=9)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(f"information ({_units(records)})")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=7)
    fig.suptitle(title or "Binned H(Bin(T)) against the plug-in I(X;T)", fontsize=10)
    return _figure.save(fig, path, rect=(0, 0.08, 1, 1))


def plot_clustering(snapshot_dir, records, path, num_epochs=6, title=None, layer_labels=None):
    """Each layer's representation at a few measured epochs, coloured by class.

    Rows are layers, columns epochs (about `num_epochs`, log-spaced among those saved);
    a panel shows the saved 2-D view of T_ℓ (`callbacks._snapshot`: one unit as a
    class-stacked histogram, two as they are, more on their two leading principal axes),
    titled with that measurement's I(X;T_ℓ) ± s.e. Drawn from the files alone.
    """
    import pathlib

    files = sorted(pathlib.Path(snapshot_dir).glob("epoch_*.npz"))
    if not files:
        raise ValueError(f"no activation snapshots in {snapshot_dir}.")
    epochs = [int(f.stem.split("_")[1]) for f in files]
    picks = sorted({int(i) for i in np.round(np.geomspace(1, len(files), num_epochs)) - 1}
                   | {0, len(files) - 1})
    chosen = [files[i] for i in picks]
    with np.load(chosen[0]) as first:
        num_layers = sum(1 for k in first.files if k.startswith("layer_"))
    info = {(r["epoch"], r["layer"]): r for r in records}
    units = _units(records) if records else "nats"
    fig, axes = _figure.subplots(num_layers, len(chosen), figsize=(2.3 * len(chosen),
                                                                   2.0 * num_layers + 0.6),
                                 dpi=100, squeeze=False)
    for col, f in enumerate(chosen):
        epoch = epochs[files.index(f)]
        with np.load(f) as snap:
            labels = snap["labels"]
            classes = np.unique(labels)
            colours = [f"C{k % 10}" for k in range(len(classes))]
            for row in range(num_layers):
                ax = axes[row, col]
                view = snap[f"layer_{row}"]
                width = int(snap[f"width_{row}"])
                if view.shape[1] == 1:
                    ax.hist([view[labels == c, 0] for c in classes], bins=40, stacked=True,
                            color=colours)
                else:
                    for c, colour in zip(classes, colours):
                        pts = view[labels == c]
                        ax.scatter(pts[:, 0], pts[:, 1], s=2, color=colour, alpha=0.5,
                                   linewidths=0)
                r = info.get((epoch, row))
                measured = (f"I(X;T) {r['I(X;T)']:.2f}±{r.get('I(X;T)_stderr') or 0:.2f}"
                            if r else "")
                ax.set_title(f"epoch {epoch}\n{measured}", fontsize=7)
                ax.tick_params(labelsize=6)
                if col == 0:
                    name = layer_labels[row] if layer_labels else f"T{row + 1}"
                    how = "" if width <= 2 else " (PCA)"
                    ax.set_ylabel(f"{name}{how}", fontsize=7)
    import matplotlib.patches
    fig.suptitle((title or "Clustering of the layers' representations")
                 + f" — I(X;T) in {units}", fontsize=9)
    fig.legend([matplotlib.patches.Patch(color=c) for c in colours],
               [f"class {c}" for c in classes], loc="lower center", ncol=min(len(classes), 10),
               fontsize=7, frameon=False, title="colour = the input's class", title_fontsize=7)
    return _figure.save(fig, path, rect=(0, 0.06, 1, 0.97))


def plot_orthonormal_comparison(curves, path, title=None):
    """I(X;T_ℓ) against epoch for plain and orthonormal-weight runs (one panel per layer,
    one thin line per seed, ±1 s.e. bands), with each run's test accuracy in the legend.

    Args:
      curves: {(orthonormal, seed): information-plane records of that run}.
    """
    layers = sorted({r["layer"] for recs in curves.values() for r in recs})
    fig, axes = _figure.subplots(1, len(layers), figsize=(3.0 * len(layers), 3.4), dpi=110,
                                 squeeze=False, sharey=True)
    for (orthonormal, seed), records in sorted(curves.items()):
        colour = "C1" if orthonormal else "C0"
        accuracy = next((r.get("test_accuracy") for r in sorted(
            records, key=lambda r: -r["epoch"]) if r.get("test_accuracy") is not None), None)
        for col, layer in enumerate(layers):
            rs = sorted((r for r in records if r["layer"] == layer), key=lambda r: r["epoch"])
            e = np.array([r["epoch"] for r in rs], float)
            v = np.array([r["I(X;T)"] for r in rs])
            se = np.array([r.get("I(X;T)_stderr") or 0.0 for r in rs])
            label = (f"{'orthonormal' if orthonormal else 'plain'} seed {seed}, test acc "
                     f"{accuracy:.3f}" if col == 0 and accuracy is not None else None)
            axes[0, col].plot(e + 1, v, color=colour, lw=0.9, label=label)
            axes[0, col].fill_between(e + 1, v - se, v + se, color=colour, alpha=0.2, lw=0)
    for col, layer in enumerate(layers):
        axes[0, col].set_xscale("log")
        axes[0, col].set_xlabel("epoch + 1")
        axes[0, col].set_title(f"T{layer + 1}", fontsize=9)
        axes[0, col].grid(alpha=0.3)
    axes[0, 0].set_ylabel("I(X;T) (bits)")
    axes[0, 0].legend(fontsize=6)
    fig.suptitle(title or "12-bit noisy network: plain vs orthonormal weights", fontsize=10)
    return _figure.save(fig, path, rect=(0, 0, 1, 0.93))
