r"""Trains one VAE (echo or a baseline) and appends its result to <workdir>/results.jsonl.

    python experiments/train.py --config=configs/fashion_mnist_echo.py \
        --workdir=runs/echo_fmnist --config.beta=0.5 --config.epochs=20

A killed run resumes from its last epoch when the command is repeated.
"""

import _paths  # noqa: F401
from absl import app, flags
from ml_collections import config_flags

from echo_ib.training import results, sweep

_CONFIG = config_flags.DEFINE_config_file("config", None, "Training config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Checkpoints, TensorBoard and results.")
flags.mark_flags_as_required(["config", "workdir"])


def main(argv):
    if len(argv) > 1:
        raise app.UsageError(f"Unexpected arguments: {argv[1:]}")
    config = _CONFIG.value
    try:
        record = sweep.train_and_evaluate(config, _WORKDIR.value)
    except ValueError as e:
        raise app.UsageError(str(e))
    results.append_result(f"{_WORKDIR.value}/results.jsonl", record)
    print({k: record[k] for k in ("test_rate", "test_distortion", "test_neg_elbo")})


if __name__ == "__main__":
    app.run(main)
