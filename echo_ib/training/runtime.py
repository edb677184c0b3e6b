"""Where a point runs: the tf.distribute strategy and whether the step is XLA-compiled."""

import tensorflow as tf

from echo_ib.training.config_schema import STRATEGIES

__all__ = ["make_strategy", "resolve_jit_compile"]


def make_strategy(name):
    """The `tf.distribute.Strategy` for config.strategy."""
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"strategy must be one of {STRATEGIES}, got {name!r}.")


def resolve_jit_compile(config):
    """config.jit_compile, or by architecture when None: XLA for the whole train step halves
    the mlp step on CPU (and brings echo's overhead to ≤ 1.1×) but doubles the conv step
    (oneDNN convolutions beat XLA's); see BENCHMARKS.md."""
    if config.get("jit_compile") is not None:
        return bool(config.jit_compile)
    return config.architecture == "mlp"
