"""Figures drawn from results data: rate–distortion curves and information planes."""

import collections

import matplotlib.colors
import matplotlib.figure
import numpy as np

__all__ = ["plot_binned_vs_plugin", "plot_classifier_curve", "plot_compression_vs_plugin",
           "plot_image_grid", "plot_clustering", "plot_information_over_training", "plot_orthonormal_comparison",
           "plot_single_neuron",
           "plot_information_plane", "plot_rate_distortion", "plot_reconstructions",
           "rate_distortion_figure"]


def _subplots(*args, figsize=None, dpi=None, **kwargs):
    """A figure and its axes without pyplot: no global backend or figure state is touched
    (a `matplotlib.figure.Figure` draws with the Agg canvas when saved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = matplotlib.figure.Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)  # the figure's own canvas: text extents can be measured
    return fig, fig.subplots(*args, **kwargs)


def _save(fig, path, rect=None):
    """Lays out, writes and closes `fig`; returns `path`."""
    fig.tight_layout(rect=rect)
    fig.savefig(path)
    return path


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


def _wrap(text, width):
    import textwrap
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def _label_without_overlap(ax, text, xy, color, placed, fontsize=7):
    """Annotates `xy` with `text` at the first of a few offsets whose label box does not
    overlap one already `placed` (display coordinates); the last offset if none is free."""
    renderer = ax.figure.canvas.get_renderer()  # Agg (`_subplots`)
    for offset in ((4, 4), (4, -10), (-26, 4), (-26, -10), (4, 12), (4, -18)):
        label = ax.annotate(text, xy, textcoords="offset points", xytext=offset,
                            fontsize=fontsize, color=color)
        box = label.get_window_extent(renderer)
        if not any(box.overlaps(other) for other in placed):
            placed.append(box)
            return label
        label.remove()
    label = ax.annotate(text, xy, textcoords="offset points", xytext=(4, 4), fontsize=fontsize,
                        color=color)
    placed.append(label.get_window_extent(renderer))
    return label


def plot_rate_distortion(records, path, split="test", title=None):
    """Draws `rate_distortion_figure(records, split, title)` to the PNG `path`."""
    fig, rect = rate_distortion_figure(records, split, title)
    return _save(fig, path, rect=rect)


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
    fig, axes = _subplots(1, len(datasets), figsize=(6.5 * len(datasets), 5.8), dpi=120,
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
        ax.set_title(_wrap(dataset + "".join(f"\n{s}" for s in sorted(subsets[dataset])), 70),
                     fontsize=8)
        ax.grid(alpha=0.3)
        fig.canvas.draw()  # the label boxes need a layout
        for text, xy, color in labels:
            _label_without_overlap(ax, text, xy, color, placed)
    bars = ("error bars: ±1 standard error over seeds (n per point)" if several_seeds
            else "one seed per point")
    fig.suptitle(_wrap(title or f"Rate–distortion ({split}); grey: constant R + D; {bars}",
                       60 * len(datasets)), fontsize=9)
    rows = (len(handles) + 1) // 2
    fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=2, fontsize=8,
               frameon=False)
    return fig, (0, 0.05 * rows, 1, 0.97)


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
    fig, ax = _subplots(figsize=(6.8, 5), dpi=120)
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
        _label_without_overlap(ax, text, xy, "black", placed, fontsize=8)
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
    return _save(fig, path)


def plot_information_over_training(records, path, key="I(X;T)", title=None):
    """`key` against epoch, one line per layer, ±1 standard error (epoch axis symlog)."""
    if not records:
        raise ValueError("no measurements to plot.")
    fig, ax = _subplots(figsize=(6.5, 4.5), dpi=120)
    for layer, (epochs, values, errors) in _layer_series(records, key).items():
        ax.errorbar(epochs, values, yerr=errors, marker="o", ms=3, lw=1, capsize=2,
                    label=f"T{layer + 1}")
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{key} ({_units(records)})")
    ax.set_title(title or f"{key} per layer over training (±1 standard error)", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _save(fig, path)


def plot_compression_vs_plugin(records, path, title=None):
    """Per layer, over training: I(X;T) through compression and the plug-in (±1 s.e.), with
    the plug-in's ceiling log n (X uniform over the n measured inputs)."""
    if not records:
        raise ValueError("no measurements to plot.")
    layers = sorted({r["layer"] for r in records})
    fig, axes = _subplots(1, len(layers), figsize=(3.2 * len(layers), 3.4), dpi=110,
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
    return _save(fig, path)


def plot_binned_vs_plugin(records, path, title=None):
    """Per layer, over training: the plug-in I(X;T) of the noisy network (±1 s.e.) and the
    binned H(Bin(T)) of its noiseless activations at each bin width recorded."""
    if not records:
        raise ValueError("no measurements to plot.")
    layers = sorted({r["layer"] for r in records})
    binned = sorted((k for k in records[0] if k.startswith("H(Bin(T)")), key=len)
    fig, axes = _subplots(1, len(layers), figsize=(3.2 * len(layers), 3.4), dpi=110,
                             sharey=True, squeeze=False)
    for ax, layer in zip(axes[0], layers):
        epochs, values, errors = _layer_series(records, "I(X;T)")[layer]
        ax.errorbar(epochs, values, yerr=errors, color="k", lw=1.5, capsize=2,
                    label="plug-in I(X;T)")
        for key in binned:
            e, v, _ = _layer_series(records, key)[layer]
            label = ("binned, 30 bins" if key == "H(Bin(T))"
                     else "binned, width " + key.split("w=")[1].rstrip(")"))
            ax.plot(e, v, lw=1, ls="--" if key == "H(Bin(T))" else "-", label=label)
        ax.set_xscale("symlog", linthresh=1)
        ax.set_title(f"T{layer + 1}", fontsize=9)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(f"information ({_units(records)})")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=7)
    fig.suptitle(title or "Binned H(Bin(T)) against the plug-in I(X;T)", fontsize=10)
    return _save(fig, path, rect=(0, 0.08, 1, 1))


def plot_classifier_curve(records, path):
    """Test error (%) against the test rate (nats) of bottleneck classifiers, one line per
    method, each point labelled with its β (`experiments/classifier_curve.py`)."""
    fig, ax = _subplots(figsize=(6, 4.2), dpi=120)
    placed = []
    for method in sorted({r["method"] for r in records}):
        points = sorted((r["test_rate"], 100 * r["test_error"], r["beta"])
                        for r in records if r["method"] == method)
        (line,) = ax.plot([p[0] for p in points], [p[1] for p in points], "o-",
                          label={"echo": "echo noise", "vib": "VIB (Gaussian)"}.get(method,
                                                                                    method))
        for rate, error, beta in points:
            _label_without_overlap(ax, f"β={beta:g}", (rate, error), line.get_color(), placed)
    ax.set_xlabel("test rate I(X;Z) (nats; VIB: its KL bound)")
    ax.set_ylabel("test error (%)")
    ax.set_title(_wrap(records[0]["data_subset"], 80), fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend()
    return _save(fig, path)


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
    fig, ax = _subplots(figsize=(columns * 0.9, mosaic.shape[0] / mosaic.shape[1]
                                    * columns * 0.9 + 0.5), dpi=100)
    ax.imshow(mosaic, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=9)
    return _save(fig, path)


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


def plot_single_neuron(records, path, title=None):
    """The single noisy neuron (Goldfeld et al. 2019, §3.1): I(X;T) along w per σ (exact,
    plug-in ±1 s.e., binned) above the four symbol positions tanh(w x − 2w)."""
    sigmas = sorted({r["sigma"] for r in records})
    if not sigmas:
        raise ValueError("no measurements to plot.")
    fig, axes = _subplots(2, len(sigmas), figsize=(5.2 * len(sigmas), 6.4), dpi=110,
                          squeeze=False, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for col, sigma in enumerate(sigmas):
        rs = sorted((r for r in records if r["sigma"] == sigma), key=lambda r: r["w"])
        w = np.array([r["w"] for r in rs])
        ax = axes[0, col]
        ax.plot(w, [r["I_exact"] for r in rs], color="k", lw=1.2, label="exact (quadrature)")
        ax.errorbar(w, [r["I_plugin"] for r in rs], yerr=[r["I_plugin_stderr"] for r in rs],
                    fmt="o", ms=3, capsize=2, color="C0", label="plug-in ±1 s.e.")
        ax.plot(w, [r["H_binned_30"] for r in rs], ls="--", color="C1",
                label="H(Bin(S)), 30 bins")
        ax.plot(w, [r["H_binned_sigma"] for r in rs], ls=":", color="C2",
                label="H(Bin(S)), width σ")
        ax.axhline(np.log(4), color="0.6", lw=0.7)
        ax.set_xscale("log")
        ax.set_ylabel(f"I(X;T) ({rs[0].get('units', 'nats')})")
        ax.set_title(f"σ = {sigma:g}", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
        sym = np.array([r["symbols"] for r in rs])
        for k, x in enumerate((-3, -1, 1, 3)):
            axes[1, col].plot(w, sym[:, k], label=f"x = {x}")
        axes[1, col].set_xscale("log")
        axes[1, col].set_xlabel("w (b = −2w)")
        axes[1, col].set_ylabel("tanh(wx + b)")
        axes[1, col].grid(alpha=0.3)
        axes[1, col].legend(fontsize=7, ncol=2)
    fig.suptitle(title or "A single noisy neuron: I(X;T) falls as the symbols cluster",
                 fontsize=11)
    return _save(fig, path, rect=(0, 0, 1, 0.96))


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
    fig, axes = _subplots(num_layers, len(chosen), figsize=(2.3 * len(chosen),
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
    return _save(fig, path, rect=(0, 0.06, 1, 0.97))


def plot_orthonormal_comparison(curves, path, title=None):
    """I(X;T_ℓ) against epoch for plain and orthonormal-weight runs (one panel per layer,
    one thin line per seed, ±1 s.e. bands), with each run's test accuracy in the legend.

    Args:
      curves: {(orthonormal, seed): information-plane records of that run}.
    """
    layers = sorted({r["layer"] for recs in curves.values() for r in recs})
    fig, axes = _subplots(1, len(layers), figsize=(3.0 * len(layers), 3.4), dpi=110,
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
    return _save(fig, path, rect=(0, 0, 1, 0.93))
