"""Every field of an information-plane config (`experiments/info_plane.py`), declared once
with its default, check and meaning, as `config_schema.FIELDS` declares training's.

`complete_config(config)` fills the fields a config file leaves out with their defaults
and checks every value (`ConfigError` names the first bad field, or a field that does not
exist)."""

import ml_collections

from echo_ib import errors
from echo_ib.estimators import compressed
from echo_ib.info_plane import callbacks
from echo_ib.training.config_schema import (Field, boolean, describe_fields, integer,
                                            is_int, one_of, real, validate_config)

__all__ = ["ESTIMATORS", "FIELDS", "TASKS", "complete_config", "describe"]

TASKS = ("twelve_bit", "mnist", "fashion_mnist")
ESTIMATORS = ("plugin", "compression")
ARCHITECTURES = ("mlp", "conv")


def _int_list(low, length=None):
    def check(v):
        values = list(v) if isinstance(v, (list, tuple)) else None
        return (values is not None and len(values) > 0
                and (length is None or len(values) == length)
                and all(is_int(x) and x >= low for x in values))
    return check


FIELDS = (
    Field("task", "twelve_bit", one_of(*TASKS), f"one of {TASKS}", "the data"),
    Field("data_dir", "", lambda v: isinstance(v, str), "a directory ('' searches the "
          "standard places)", "where the data files are"),
    Field("split", "test", lambda v: isinstance(v, str), "a split name",
          "mnist / fashion_mnist: the split whose first images are used"),
    Field("num_examples", 4096, integer(1), "an integer >= 1",
          "mnist / fashion_mnist: images trained on and measured"),
    Field("num_test_examples", 1000, integer(1), "an integer >= 1",
          "mnist / fashion_mnist: the next images, for test accuracy"),
    Field("num_measured", 0, integer(0), "an integer >= 0",
          "mnist / fashion_mnist: images measured (0: all trained on)"),
    Field("architecture", "mlp", one_of(*ARCHITECTURES), f"one of {ARCHITECTURES}",
          "mnist / fashion_mnist: NoisyMLP of `widths` or NoisyConvNet"),
    Field("widths", [10, 7, 5, 4, 3], _int_list(1), "a non-empty list of integers >= 1",
          "hidden layer widths of the tanh network"),
    Field("sigma", 0.1, real(0.0, open_low=True), "a finite number > 0",
          "the noise standard deviation at every hidden layer"),
    Field("orthonormal", False, boolean, "True or False",
          "orthonormal hidden kernels (no saturation, no clustering)"),
    Field("epochs", 300, integer(1), "an integer >= 1", "epochs trained"),
    Field("batch_size", 256, integer(1), "an integer >= 1", "examples per step"),
    Field("learning_rate", 3e-3, real(0.0, open_low=True), "a finite number > 0", "Adam's lr"),
    Field("seed", 0, integer(0), "an integer >= 0", "initial weights, batch order, noise"),
    Field("schedule", "log", one_of(*callbacks.MEASUREMENT_SCHEDULES),
          f"one of {callbacks.MEASUREMENT_SCHEDULES}",
          "the epochs measured: every | log (log-spaced) | adaptive"),
    Field("num_measurements", 20, integer(1), "an integer >= 1", "measured epochs (log)"),
    Field("num_noise_draws", 4, integer(1), "an integer >= 1",
          "noise draws per input for the I(Y;T) estimate"),
    Field("num_mc", 4000, integer(1), "an integer >= 1", "Monte Carlo samples of the plug-in"),
    Field("estimator", "plugin", one_of(*ESTIMATORS), f"one of {ESTIMATORS}",
          "plugin (Goldfeld et al.) | compression (Butakov et al.)"),
    Field("knn_estimator", "wkl", one_of(*compressed.ESTIMATORS),
          f"one of {compressed.ESTIMATORS}", "compression: the estimator on the codes"),
    Field("latent_dims", [4, 4], _int_list(1, 2), "two integers >= 1 [X's, each layer's]",
          "compression: code sizes of X and of each layer"),
    Field("compressor_epochs", 300, integer(1), "an integer >= 1",
          "compression: autoencoder epochs at the first fit"),
    Field("compressor_refit_epochs", 60, integer(0), "an integer >= 0",
          "compression: epochs of each later refit"),
    Field("max_signal_error", 0.2, real(0.0, 1.0), "a number in [0, 1]",
          "compression: a compressor missing more of the layer's signal is circled"),
)


def complete_config(config):
    """A new ConfigDict: every field of `FIELDS`, the config's value where it sets one.

    Raises ConfigError for a field that does not exist or holds a bad value."""
    known = {f.path for f in FIELDS}
    unknown = sorted(set(config.keys()) - known)
    if unknown:
        raise errors.ConfigError(
            f"unknown information-plane config field {unknown[0]!r}; the fields are: "
            f"{', '.join(sorted(known))} (experiments/info_plane.py --help).")
    complete = ml_collections.ConfigDict({f.path: f.default for f in FIELDS})
    for key in config.keys():
        value = config[key]
        complete[key] = list(value) if isinstance(value, tuple) else value
    validate_config(complete, fields=FIELDS)
    return complete


def describe():
    return describe_fields(FIELDS)
