r"""Sweep: trains one model per point of a grid, resumable, then draws the curves.

    python experiments/sweep.py --config=configs/fashion_mnist_sweep.py \
        --workdir=runs/fashion_mnist_sweep [--betas=0.5,1,2] [--seeds=0,1] \
        [--methods=echo,vae] [--parallel=2] [--shard=0/4] [--config.epochs=10]
        [--executor=ray --ray_address=auto]

The grid is methods × β × seeds times any other config fields that `config.sweep.grid`
and `config.sweep.zipped` name (`echo_ib.training.grid`; the study configs in
configs/studies/ are examples). A field both the grid and a --config.<field> flag set is
refused with a message naming both.

Re-running the same command skips finished points and resumes a killed one. Several
sweeps, workers or shards (one per task of a cluster job array, `--shard=$TASK/$COUNT`)
may share a workdir: each point is trained and recorded exactly once. `--executor=ray`
submits every unfinished point as a task to a Ray cluster (`echo_ib.sweeps.ray_executor`;
README, "Running on a cluster").
"""

import _cli
from absl import flags
from ml_collections import config_flags

from echo_ib.sweeps import sweep
from echo_ib.training import config_schema

_CONFIG = config_flags.DEFINE_config_file("config", None, "Sweep config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Where results.jsonl and the plot go.")
_BETAS = flags.DEFINE_list("betas", None, "β values (overrides config.sweep.betas).")
_SEEDS = flags.DEFINE_list("seeds", None, "Seeds (overrides config.sweep.seeds).")
_METHODS = flags.DEFINE_list("methods", None, "Methods (overrides config.sweep.methods).")
_PARALLEL = flags.DEFINE_integer("parallel", 1, "Points trained at once, one process each.")
_SHARD = flags.DEFINE_string("shard", "0/1", "i/n: train only every n-th point from the i-th.")
_EXECUTOR = flags.DEFINE_enum(
    "executor", "local", ["local", "ray"],
    "local: this machine (--parallel at a time); ray: every point a Ray task on a cluster "
    "(--ray_address), the workdir on a file system every node sees.")
_RAY_ADDRESS = flags.DEFINE_string(
    "ray_address", None, "The Ray cluster to join: auto (the one `ray start` made here, or "
    "$RAY_ADDRESS) or host:port; unset: a Ray instance on this machine for the sweep.")
flags.mark_flags_as_required(["config", "workdir"])


def _numbers(values, kind, flag):
    if not values:
        _cli.fail(f"--{flag} is empty: give at least one value, or leave the flag out to use "
                  f"config.sweep.{flag}.")
    try:
        return [kind(v) for v in values]
    except ValueError:
        _cli.fail(f"--{flag}={','.join(values)}: expected a comma-separated list of "
                  f"{ {float: 'numbers', int: 'integers', str: 'names'}[kind]}.")


def main():
    config = _CONFIG.value
    with config.unlocked():
        if _BETAS.value is not None:
            config.sweep.betas = _numbers(_BETAS.value, float, "betas")
        if _SEEDS.value is not None:
            config.sweep.seeds = _numbers(_SEEDS.value, int, "seeds")
        if _METHODS.value is not None:
            config.sweep.methods = _numbers(_METHODS.value, str, "methods")
    overridden = [field for field in _cli.config_overrides("config")
                  if not field.startswith("sweep.")]
    executor = None
    if _EXECUTOR.value == "ray":
        from echo_ib.sweeps import ray_executor
        executor = ray_executor.RayExecutor(address=_RAY_ADDRESS.value)
    elif _RAY_ADDRESS.value is not None:
        _cli.fail("--ray_address applies to --executor=ray only.")
    sweep.run_sweep(config, _WORKDIR.value, parallel=_PARALLEL.value,
                    shard=sweep.parse_shard(_SHARD.value), overridden=overridden,
                    executor=executor)


if __name__ == "__main__":
    _cli.run(main, config_help=("Training config fields",
                                 config_schema.describe_fields()))
