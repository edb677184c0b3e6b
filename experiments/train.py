r"""Trains one VAE (echo or a baseline) and appends its result to <workdir>/results.jsonl.

    python experiments/train.py --config=configs/model.py:fashion_mnist,echo \
        --workdir=runs/echo_fmnist --config.beta=0.5 --config.epochs=20

A killed run resumes from its last epoch when the command is repeated; a finished one is
reported as done. The workdir also gets model.keras, history.json, reconstructions.png and
samples.png (see echo_ib.training.trainer).
"""

import _cli
from absl import flags
from ml_collections import config_flags

from echo_ib.training import checkpoint, config_schema, grid, results, trainer

_CONFIG = config_flags.DEFINE_config_file("config", None, "Training config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Checkpoints, TensorBoard and results.")
flags.mark_flags_as_required(["config", "workdir"])


def main():
    config, workdir = _CONFIG.value, _WORKDIR.value
    config_schema.validate_config(config)
    config_schema.check_fields_apply(config, [config.method])
    finished = checkpoint.finished_record(config, workdir)
    record = finished or trainer.train_and_evaluate(config, workdir)
    appended = results.append_once(f"{workdir}/results.jsonl", record)
    state = "already finished" if finished else "finished"
    print(f"{grid.point_name(config)} {state}"
          + ("" if appended else " (already in results.jsonl)") + ": "
          + ", ".join(f"{k} {record[k]:.2f}" for k in ("test_rate", "test_distortion",
                                                        "test_neg_elbo")) + " nats")


if __name__ == "__main__":
    _cli.run(main, config_help=("Training config fields",
                                 config_schema.describe_fields()))
