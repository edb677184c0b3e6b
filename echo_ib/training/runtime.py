"""Where a point runs: the tf.distribute strategy, whether the step is XLA-compiled, and
the global state Keras reads while a model is built (`global_state_scope`)."""

import contextlib
import random

import keras
import numpy as np
import tensorflow as tf

from echo_ib.training.config_schema import STRATEGIES

__all__ = ["global_state_scope", "make_strategy", "resolve_jit_compile"]


@contextlib.contextmanager
def global_state_scope(seed, precision=None):
    """Runs the body with the global RNGs seeded with `seed` and, unless None, the global
    dtype policy set to `precision`; puts back what it found on leaving, however it leaves.

    Keras draws each layer's initial-weight seed from Python's global `random` and takes
    its dtype from the global policy, so these are the only handles on a point's initial
    weights and precision; a sweep trains many points in one process, so each point sets
    them for itself rather than an entry point once. Scoped like this, a library call
    changes no global state that its caller can see (tests/training/test_trainer.py). Every
    other random stream of a point has its own seed (the data order and binarisation, the
    channels' noise, the evaluation: `echo_ib.seeding`), so TensorFlow's global seed is
    neither needed nor touched.
    """
    python_state, numpy_state = random.getstate(), np.random.get_state()
    policy = keras.mixed_precision.global_policy()
    try:
        random.seed(int(seed))
        np.random.seed(int(seed))
        if precision is not None:
            keras.mixed_precision.set_global_policy(precision)
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        keras.mixed_precision.set_global_policy(policy)


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
    (oneDNN convolutions beat XLA's); see BENCHMARKS.md. Off when config.run_eagerly."""
    if config.get("run_eagerly"):
        return False
    if config.get("jit_compile") is not None:
        return bool(config.jit_compile)
    return config.architecture == "mlp"
