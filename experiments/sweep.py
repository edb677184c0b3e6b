r"""β-sweep: trains one model per (method, β, seed), resumable, then draws the curves.

    python experiments/sweep.py --config=configs/fashion_mnist_sweep.py \
        --workdir=runs/fashion_mnist_sweep [--betas=0.5,1,2] [--seeds=0,1] \
        [--methods=echo,vae] [--parallel=2] [--config.epochs=10]

Re-running the same command skips finished points and resumes a killed one.
"""

import _paths  # noqa: F401  (repository root on sys.path for configs)
from absl import app, flags
from ml_collections import config_flags

from echo_ib.training import sweep

_CONFIG = config_flags.DEFINE_config_file("config", None, "Sweep config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Where results.jsonl and the plot go.")
_BETAS = flags.DEFINE_list("betas", None, "β values (overrides config.sweep.betas).")
_SEEDS = flags.DEFINE_list("seeds", None, "Seeds (overrides config.sweep.seeds).")
_METHODS = flags.DEFINE_list("methods", None, "Methods (overrides config.sweep.methods).")
_PARALLEL = flags.DEFINE_integer("parallel", 1, "Points trained at once, one process each.")
flags.mark_flags_as_required(["config", "workdir"])


def main(argv):
    if len(argv) > 1:
        raise app.UsageError(f"Unexpected arguments: {argv[1:]}")
    config = _CONFIG.value
    with config.unlocked():
        try:
            if _BETAS.value:
                config.sweep.betas = [float(b) for b in _BETAS.value]
            if _SEEDS.value:
                config.sweep.seeds = [int(s) for s in _SEEDS.value]
        except ValueError as e:
            raise app.UsageError(f"--betas takes numbers and --seeds integers: {e}")
        if _METHODS.value:
            config.sweep.methods = list(_METHODS.value)
    try:
        sweep.run_sweep(config, _WORKDIR.value, parallel=_PARALLEL.value)
    except ValueError as e:
        raise app.UsageError(str(e))


if __name__ == "__main__":
    app.run(main)
