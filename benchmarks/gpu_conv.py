r"""The echo paper's conv protocol on whatever accelerator is present, in one command:
echo and the β-VAE at β = 1 (configs/paper/fashion_mnist_conv.py), each for as many
epochs as fit in its share of a time budget, with the time per epoch.

    python benchmarks/gpu_conv.py --minutes=8 [--output=results/gpu_conv.jsonl]

Each model gets `minutes / 2` of training: a Keras callback ends training once the next
epoch would not fit (judged by the slowest epoch so far), then the point is evaluated as
the trainer evaluates any point (test rate, distortion, −ELBO; the β-VAE's IWAE bound with
100 draws), under the paper's schedule as configured for 200 epochs, so a short run stops
during the constant 3e-4 phase. One line per model is appended to `--output`: the
record, the device TensorFlow used, the seconds of every epoch, and the budget. The
points train in a fresh temporary workdir (nothing resumes). On 2 CPU cores an epoch takes
about 2.5 minutes (BENCHMARKS.md), so this is a GPU job; it runs anywhere.
"""

import json
import pathlib
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "experiments"))

import _cli  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from absl import flags  # noqa: E402

from configs.paper import fashion_mnist_conv  # noqa: E402
from echo_ib.training import results, trainer  # noqa: E402

_MINUTES = flags.DEFINE_float("minutes", 8.0, "Training budget for both models together.")
_OUTPUT = flags.DEFINE_string("output", "results/gpu_conv.jsonl", "JSON lines appended.")
_TRAIN_SIZE = flags.DEFINE_integer("train_size", 0, "Training images (0: the protocol's "
                                   "50,000); fewer only to try the command out.")
_TEST_SIZE = flags.DEFINE_integer("test_size", 0, "Test images (0: all 10,000); fewer only "
                                  "to try the command out.")


class _Budget(keras.callbacks.Callback):
    """Stops training when the next epoch would end after `deadline` (time.monotonic)."""

    def __init__(self, deadline):
        super().__init__()
        self.deadline, self.seconds, self._start = deadline, [], None

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(round(time.monotonic() - self._start, 2))
        if time.monotonic() + max(self.seconds) > self.deadline:
            self.model.stop_training = True


def main():
    if not _MINUTES.value > 0:
        _cli.fail(f"--minutes={_MINUTES.value}: expected a positive budget.")
    gpus = tf.config.list_physical_devices("GPU")
    device = (tf.config.experimental.get_device_details(gpus[0]).get("device_name", "GPU")
              if gpus else "CPU only")
    print(f"device: {device}")
    share = _MINUTES.value * 60 / 2
    output = REPO / _OUTPUT.value
    output.parent.mkdir(parents=True, exist_ok=True)
    for method in ("echo", "vae"):
        config = fashion_mnist_conv.get_config()
        config.method, config.beta, config.seed = method, 1.0, 0
        config.train_size, config.test_size = _TRAIN_SIZE.value, _TEST_SIZE.value
        config.tensorboard = False
        budget = _Budget(time.monotonic() + share)
        with tempfile.TemporaryDirectory() as workdir:
            record = trainer.train_and_evaluate(config, workdir, callbacks=[budget])
        line = {**record, "device": device, "epoch_seconds": budget.seconds,
                "budget_seconds": round(share, 1), "command": " ".join(sys.argv)}
        results.append_result(output, line)
        print(f"{method}: {len(budget.seconds)} epochs, "
              f"{sum(budget.seconds) / max(len(budget.seconds), 1):.1f} s an epoch; test "
              f"−ELBO {record['test_neg_elbo']:.2f} (R {record['test_rate']:.2f}, "
              f"D {record['test_distortion']:.2f}) -> {output}")


if __name__ == "__main__":
    _cli.run(main)
