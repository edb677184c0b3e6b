r"""MI through compression on images of rectangles with a known I(X; Y) (Butakov et al. 2024).

    python benchmarks/compressed_mi.py --output=results/compressed_mi_rectangles.jsonl \
        [--sizes=16,32] [--informations=0,1,2,4,6,8,10] [--num=5000] [--repeats=1] \
        [--methods=ae+wkl,...]

For each image size S and true information I (nats), 5,000 pairs of S × S rectangle
images with I(X; Y) = I (`echo_ib.data.rectangles`) are drawn, and I is estimated by

* autoencoder (latent 4, up to 600 epochs) + weighted Kozachenko–Leonenko, `ae+wkl` (the
  method under test),
* autoencoder + leave-one-out KDE, `ae+kde`,
* autoencoder + KSG, `ae+ksg`,
* autoencoder + the shuffle-corrected weighted KL, `ae+wkl-shuffled`
  (`echo_ib.estimators.compressed`: exact at I = 0, weights chosen by a stated rule),
* PCA (4 components) + WKL, `pca+wkl`, the linear baseline,
* KSG on the raw pixels (no compression, no whitening: raw pixels have a singular
  covariance), `ksg-raw`.

The marginal laws of X and of Y do not depend on I, so each size's two autoencoders and two
PCAs are fitted once, on the first data set, and reused (`compressors=`) for every I: the
reuse a caller makes along a training run. `--repeats` draws that many independent data
sets per (size, I) (seed `seeding.derive(size, 10 I, repeat)`), so that an estimator's
spread over data sets is measured, not only its per-sample standard error. One JSON line
per (size, I, method, repeat) with the estimate, its standard error, the truth and the
error; `--plot` draws the mean estimate against the truth (bars: the spread over repeats,
or the standard error for one), one line per method, from the file alone. Resumable:
finished lines are kept.
"""

import itertools
import pathlib
import sys
import time

import numpy as np
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from echo_ib import estimators, seeding  # noqa: E402
from echo_ib.data import rectangles  # noqa: E402
from echo_ib.training import results as results_lib  # noqa: E402

_OUTPUT = flags.DEFINE_string("output", "results/compressed_mi_rectangles.jsonl", "JSON lines.")
_SIZES = flags.DEFINE_list("sizes", ["16", "32"], "Image sizes S.")
_INFOS = flags.DEFINE_list("informations", ["0", "1", "2", "4", "6", "8", "10"],
                           "True I(X; Y) values, nats.")
_NUM = flags.DEFINE_integer("num", 5000, "Pairs per data set.")
_EPOCHS = flags.DEFINE_integer("epochs", 600, "Autoencoder epochs (early stopping, patience "
                               "20, on a 10 % held-out part).")
_PLOT = flags.DEFINE_string("plot", "results/compressed_mi_rectangles.png", "Figure ('' skips).")
METHODS = ("ae+wkl", "ae+kde", "ae+ksg", "ae+wkl-shuffled", "pca+wkl", "ksg-raw")
_METHODS = flags.DEFINE_list("methods", list(METHODS), f"Any of {METHODS}.")
_REPEATS = flags.DEFINE_integer("repeats", 1, "Independent data sets per (size, I).")


def plot(records, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({r["size"] for r in records})
    fig, axes = plt.subplots(1, len(sizes), figsize=(5.2 * len(sizes), 4.6), dpi=110,
                             squeeze=False)
    for ax, size in zip(axes[0], sizes):
        top = max(r["truth"] for r in records)
        ax.plot([0, top], [0, top], color="0.6", lw=0.8, ls="--", label="truth")
        grid = np.linspace(0, top, 201)
        band = np.maximum(0.1 * grid, 0.1)
        ax.fill_between(grid, grid - band, grid + band, color="0.9",
                        label="±max(10 %, 0.1 nats)")
        for method in METHODS:
            rs = [r for r in records if r["size"] == size and r["method"] == method]
            truths = sorted({r["truth"] for r in rs})
            if truths:
                values = [[r["estimate"] for r in rs if r["truth"] == t] for t in truths]
                bars = [np.std(v, ddof=1) if len(v) > 1 else
                        next(r["stderr"] for r in rs if r["truth"] == t)
                        for t, v in zip(truths, values)]
                ax.errorbar(truths, [np.mean(v) for v in values], yerr=bars, marker="o", ms=3,
                            capsize=2, label=method)
        ax.set_title(f"rectangles {size}×{size}, n = {records[0]['num']}", fontsize=10)
        ax.set_xlabel("true I(X;Y) (nats)")
        ax.set_ylabel("estimate (nats)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv):
    del argv
    output = pathlib.Path(_OUTPUT.value)
    unknown = sorted(set(_METHODS.value) - set(METHODS))
    if unknown:
        raise app.UsageError(f"--methods: {unknown} are not among {METHODS}.")
    done = {(r["size"], r["truth"], r["method"], r.get("repeat", 0))
            for r in results_lib.read_results(output)}
    for size in (int(s) for s in _SIZES.value):
        fitted = {}
        for repeat, info in itertools.product(range(_REPEATS.value),
                                              (float(i) for i in _INFOS.value)):
            todo = [m for m in _METHODS.value if (size, info, m, repeat) not in done]
            if not todo:
                continue
            x, y, _, _ = rectangles.rectangle_pairs(
                _NUM.value, info, size, seed=seeding.derive(size, int(info * 10), repeat))
            flat_x, flat_y = x.reshape(len(x), -1), y.reshape(len(y), -1)
            for method in todo:
                start = time.time()
                if method == "ksg-raw":
                    estimate = estimators.ksg_mutual_information(flat_x, flat_y, whiten=False)
                    extra = {}
                else:
                    kind, estimator = method.split("+")
                    kind = "autoencoder" if kind == "ae" else "pca"
                    result = estimators.mutual_information_compressed(
                        flat_x, flat_y, latent_dims=4, estimator=estimator, compressor=kind,
                        compressors=fitted.get(kind), epochs=_EPOCHS.value, seed=size)
                    fitted[kind] = result.compressors
                    estimate = result.estimate
                    extra = {}
                    if kind == "autoencoder":
                        extra["reconstruction_mse"] = result.compressors[0].reconstruction_error(
                            flat_x)
                record = {"size": size, "truth": info, "method": method, "num": _NUM.value,
                          "repeat": repeat,
                          "estimate": estimate.value, "stderr": estimate.stderr,
                          "error": estimate.value - info, "units": "nats",
                          "seconds": round(time.time() - start, 2), **extra}
                results_lib.append_result(output, record)
                target = max(0.1 * info, 0.1)
                print(f"{size}x{size} I={info:g} #{repeat}: {method:15s} {estimate.value:7.3f} ± "
                      f"{estimate.stderr:.3f} (error {estimate.value - info:+.3f}, target "
                      f"±{target:.2f}) {record['seconds']:.0f} s", flush=True)
    records = results_lib.read_results(output)
    if _PLOT.value and records:
        plot(records, _PLOT.value)
        print(f"plot: {_PLOT.value}")


if __name__ == "__main__":
    app.run(main)
