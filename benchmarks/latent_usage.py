r"""How trained echo and Gaussian VAEs spend their rate, dimension by dimension.

    python benchmarks/latent_usage.py --points=runs/study/ablation_base/points/fashion_mnist-echo-mlp-beta1-seed0,...

For each saved point (`model.keras` and `fingerprint.json` in the point's directory), on
the point's own test images:

* echo: R_j = −E_x log S_j(x), whose sum over j is the exact I(X; Z); each R_j is at least
  −log(clip) (S_j ≤ clip), the floor that a dimension pays even when the decoder ignores it;
* Gaussian VAE: R_j = E_x KL(q(z_j|x) ‖ N(0, 1)), whose sum is the KL rate.

Printed per point: the total rate, the sorted per-dimension rates, how many dimensions
carry more than `--active` nats above their floor, and the rate paid at the floor by the
others (`floor × inactive dimensions`). `--output` writes the same numbers as JSON lines.
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

import echo_ib  # noqa: E402,F401  (registers the layers for load_model)
from echo_ib.channels import EchoNoise  # noqa: E402
from echo_ib.training import trainer  # noqa: E402

_POINTS = flags.DEFINE_list("points", None, "Point directories holding model.keras.")
_ACTIVE = flags.DEFINE_float("active", 0.05, "Nats above the floor that make a dimension "
                             "active.")
_OUTPUT = flags.DEFINE_string("output", "", "JSON lines of the numbers ('' skips).")
flags.mark_flags_as_required(["points"])


def per_dimension_rate(model, images, batch_size=500):
    """Mean per-dimension rate [latent] over `images`, and the channel's floor (nats)."""
    totals = 0.0
    for start in range(0, len(images), batch_size):
        rate = model.rate_per_dimension(images[start:start + batch_size])
        totals += tf.reduce_sum(tf.cast(rate, tf.float64), axis=0).numpy()
    channel = model.channel
    floor = -math.log(channel.clip) if isinstance(channel, EchoNoise) else 0.0
    return totals / len(images), floor


def main(argv):
    del argv
    rows = []
    for point in _POINTS.value:
        point = pathlib.Path(point)
        settings = json.loads((point / "fingerprint.json").read_text())["settings"]
        config = ml_collections.ConfigDict(settings)
        test = trainer.data_splits(config).test
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
    if _OUTPUT.value:
        with open(_OUTPUT.value, "w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    app.run(main)
