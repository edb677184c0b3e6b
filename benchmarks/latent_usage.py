r"""How trained echo and Gaussian VAEs spend their rate, dimension by dimension.

    python benchmarks/latent_usage.py --points=runs/study/ablation_base/points/fashion_mnist-echo-mlp-beta1-seed0,...

For each saved point (`model.keras` and `fingerprint.json` in the point's directory), on
the point's own test images:

* echo: R_j = −E_x log S_j(x), whose sum over j is the exact I(X; Z); each R_j is at least
  −log(clip) (S_j ≤ clip), the floor that a dimension pays even when the decoder ignores it;
* Gaussian VAE: R_j = E_x KL(q(z_j|x) ‖ N(0, 1)), whose sum is the KL rate.

Printed per point: the total rate, the sorted per-dimension rates, how many dimensions
carry more than `--active` nats above their floor, and the rate paid at the floor by the
others (`floor × inactive dimensions`). `--output` writes the same numbers as JSON lines;
`--plot` draws the sorted rates (from the models, or from such a file with `--results`).
"""

import json
import math
import pathlib
import sys

import ml_collections
import tensorflow as tf
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
import keras  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import echo_ib  # noqa: E402,F401  (registers the layers for load_model)
from echo_ib.channels import EchoNoise  # noqa: E402
from echo_ib.data import splits as splits_lib  # noqa: E402

_POINTS = flags.DEFINE_list("points", None, "Point directories holding model.keras.")
_ACTIVE = flags.DEFINE_float("active", 0.05, "Nats above the floor that make a dimension "
                             "active.")
_OUTPUT = flags.DEFINE_string("output", "", "JSON lines of the numbers ('' skips).")
_RESULTS = flags.DEFINE_string("results", "", "Read the rows from this JSON lines file "
                               "instead of the models (to redraw the plot).")
_PLOT = flags.DEFINE_string("plot", "", "Figure of the sorted per-dimension rates ('' skips).")
_LABELS = flags.DEFINE_list("labels", None, "A label per point for the figure.")


def per_dimension_rate(model, images, batch_size=500):
    """Mean per-dimension rate [latent] over `images`, and the channel's floor (nats)."""
    totals = 0.0
    for start in range(0, len(images), batch_size):
        rate = model.rate_per_dimension(images[start:start + batch_size])
        totals += tf.reduce_sum(tf.cast(rate, tf.float64), axis=0).numpy()
    channel = model.channel
    floor = -math.log(channel.clip) if isinstance(channel, EchoNoise) else 0.0
    return totals / len(images), floor


def plot(rows, labels, path):
    """Sorted R_j of each point, one panel per latent size; echo's floor dashed."""
    sizes = sorted({row["latent_dim"] for row in rows}, reverse=True)
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.2 * len(sizes), 3.4), squeeze=False,
                             sharey=True)
    for ax, size in zip(axes[0], sizes):
        for row, label in zip(rows, labels):
            if row["latent_dim"] != size:
                continue
            rates = row["per_dimension"]
            ax.step(range(1, len(rates) + 1), rates, where="mid",
                    label=f"{label}: R {row['rate']:.1f}, {row['active']} active")
            if row["floor"] > 0:
                ax.axhline(row["floor"], color="grey", lw=0.8, ls="--")
        ax.set_title(f"latent {size}")
        ax.set_xlabel("dimension (sorted by rate)")
        ax.legend(fontsize=7)
    axes[0][0].set_ylabel("R_j (nats/image)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv):
    del argv
    if _RESULTS.value:
        rows = [json.loads(line) for line in open(_RESULTS.value) if line.strip()]
    else:
        rows = measure()
    if _OUTPUT.value:
        with open(_OUTPUT.value, "w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    if _PLOT.value:
        labels = _LABELS.value or [row["point"] for row in rows]
        if len(labels) != len(rows):
            raise app.UsageError(f"--labels: {len(labels)} labels for {len(rows)} points.")
        plot(rows, labels, _PLOT.value)


def measure():
    if not _POINTS.value:
        raise app.UsageError("--points: name at least one point directory (or --results).")
    rows = []
    for point in _POINTS.value:
        point = pathlib.Path(point)
        settings = json.loads((point / "fingerprint.json").read_text())["settings"]
        config = ml_collections.ConfigDict(settings)
        test = splits_lib.data_splits(config).test
        model = keras.saving.load_model(point / "model.keras")
        rates, floor = per_dimension_rate(model, test)
        active = rates > floor + _ACTIVE.value
        row = {"point": point.name, "method": settings["method"], "beta": settings["beta"],
               "latent_dim": settings["latent_dim"], "rate": float(rates.sum()),
               "floor": floor, "active": int(active.sum()),
               "rate_at_floor": float(rates[~active].sum()),
               "per_dimension": sorted((round(float(r), 4) for r in rates), reverse=True)}
        rows.append(row)
        print(f"{point.name}: R = {row['rate']:.2f} nats over {len(rates)} dimensions, "
              f"{row['active']} active (> floor {floor:.3f} + {_ACTIVE.value}), "
              f"{row['rate_at_floor']:.2f} nats in the {len(rates) - row['active']} others")
        print("  sorted R_j:", " ".join(f"{r:.2f}" for r in row["per_dimension"]))
    return rows


if __name__ == "__main__":
    app.run(main)
