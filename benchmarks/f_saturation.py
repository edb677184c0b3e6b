r"""How much of echo's bounded mean f(x) = tanh(a) sits at its bound, per trained point.

    python benchmarks/f_saturation.py --points=runs/gate/fmnist_l32_hc0/points/<point>,... \
        [--threshold=0.99] [--images=2000]

For each saved echo point (model.keras, its own test split): over the active dimensions,
the fraction of |f_j(x)| above `threshold`, the mean −log S_j(x) (the dimension's rate)
and its spread. A hypothesis for echo's flattening at high rate (β ≤ 0.25) is that f,
bounded by 1, saturates: positions near ±1 cannot be told apart however small S gets,
so extra rate buys less distortion. Nothing is trained.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "experiments"))
import _cli  # noqa: E402
import ml_collections  # noqa: E402
import numpy as np  # noqa: E402
from absl import flags  # noqa: E402

_POINTS = flags.DEFINE_list("points", None, "Saved echo point directories.")
_THRESHOLD = flags.DEFINE_float("threshold", 0.99, "|f| above this counts as saturated.")
_IMAGES = flags.DEFINE_integer("images", 2000, "Test images used.")
flags.mark_flags_as_required(["points"])


def main():
    import keras
    import tensorflow as tf

    import echo_ib  # noqa: F401
    from echo_ib.data import splits as splits_lib

    for point in _POINTS.value:
        point = pathlib.Path(point)
        settings = json.loads((point / "fingerprint.json").read_text())["settings"]
        record = json.loads((point / "result.json").read_text())
        model = keras.saving.load_model(point / "model.keras")
        test = splits_lib.data_splits(ml_collections.ConfigDict(settings)).test[:_IMAGES.value]
        a, b = tf.split(model.encoder(test), 2, axis=-1)
        f = model.channel.bounded_mean(a).numpy()
        rate = model.rate_per_dimension(test).numpy()
        active = model.channel.active_dimensions()
        saturated = float(np.mean(np.abs(f[:, active]) > _THRESHOLD.value))
        print(f"{point.name}: β = {record['beta']:g}, {int(active.sum())} active, "
              f"|f| > {_THRESHOLD.value:g} for {saturated:.3f} of active (x, j), "
              f"rate per active dimension {rate[:, active].mean():.2f} nats "
              f"(max over dimensions {rate[:, active].mean(axis=0).max():.2f})")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
