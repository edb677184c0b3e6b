"""Training one supervised bottleneck point: `train_classifier(config, method, beta)`.

A `BottleneckClassifier` (echo noise, or the Gaussian channel of the variational
information bottleneck, Alemi et al., ICLR 2017) trained on cross-entropy + β·rate:

```none
loss = E[−log q(y|z)] + β·R,   R = I(X;Z) exactly for echo, KL(q(z|x) ‖ N(0, I)) for VIB
```

on a data set's images and labels (the split rule of `echo_ib.data.splits`: validation
carved from the end of the training split; when training and test share a split, the
test part is its last `test_size` examples). The returned record holds the test rate
(nats), cross-entropy (nats), accuracy and error, the same on the training data at the
last epoch, and the settings. The config (`configs/classifier_mnist.py`) names the data,
the encoder widths, the latent size, the optimiser and the grid (methods × betas × seeds)
that `experiments/classifier_curve.py` trains.
"""

import math
import time

import keras

from echo_ib import data as data_lib
from echo_ib import errors
from echo_ib.data import splits as splits_lib
from echo_ib.models import classifier as classifier_lib
from echo_ib.training import config_schema, runtime

__all__ = ["point_key", "split_data", "train_classifier", "validate_config"]


def point_key(record):
    """(method, β, seed) of a record or a (method, beta, seed) triple."""
    return (record["method"], float(record["beta"]), int(record["seed"]))


def split_data(config):
    """(train, validation, test) as (images in [0, 1], labels) pairs, and a description:
    the training configs' split rule (`echo_ib.data.splits.split_spans`)."""
    arrays = {config.train_split: data_lib.load(config.dataset, config.train_split,
                                                config.data_dir or None)}
    if config.test_split not in arrays:
        arrays[config.test_split] = data_lib.load(config.dataset, config.test_split,
                                                  config.data_dir or None)
    spans = splits_lib.split_spans(config, len(arrays[config.train_split][0]),
                                   len(arrays[config.test_split][0]))
    train, validation, test = (tuple(a[start:stop] for a in arrays[split])
                               for split, start, stop in spans)
    return train, validation, test, splits_lib.describe_spans(config.dataset, spans)


def _check(config, method, beta):
    if method not in classifier_lib.CLASSIFIER_CHANNELS:
        raise errors.ConfigError(f"method {method!r}: expected one of "
                                 f"{tuple(classifier_lib.CLASSIFIER_CHANNELS)}.")
    if not (config_schema.is_real(beta) and beta >= 0):
        raise errors.ConfigError(f"beta = {beta!r}: expected a finite number >= 0.")
    for field in ("epochs", "batch_size", "latent_dim"):
        value = config[field]
        if not (config_schema.is_int(value) and value >= 1):
            raise errors.ConfigError(f"config.{field} = {value!r}: expected an integer >= 1.")


def validate_config(config):
    """Checks a classifier config's fields and every (method, β) of its grid
    (`ConfigError` naming the field)."""
    for field in ("methods", "betas", "seeds"):
        if not list(config[field]):
            raise errors.ConfigError(f"config.{field} is empty: the grid has no points.")
    for seed in config.seeds:
        if not (config_schema.is_int(seed) and seed >= 0):
            raise errors.ConfigError(f"config.seeds holds {seed!r}: expected integers >= 0.")
    for method in config.methods:
        for beta in config.betas:
            _check(config, method, beta)


def train_classifier(config, method, beta, seed=0, log=print):
    """Trains and evaluates one bottleneck classifier; returns its record.

    Args:
      config: a classifier ConfigDict (`configs/classifier_mnist.py`).
      method: 'echo' or 'vib'.
      beta: β ≥ 0, the rate's weight.
      seed: initial weights, data order and noise.
      log: a print-like function for the per-epoch line, or None.

    Raises:
      ConfigError: a bad method, β or field (named).
      DivergenceError: a non-finite loss (the point named; nothing returned).
    """
    _check(config, method, beta)
    train, validation, test, description = split_data(config)
    name = f"{config.dataset}-{method}-beta{beta:g}-seed{seed}"
    with runtime.global_state_scope(seed, "float32"):
        model = classifier_lib.build_bottleneck_classifier(
            method, train[0].shape[1:], int(config.num_classes), latent_dim=config.latent_dim,
            beta=float(beta), hidden=tuple(config.hidden), seed=seed)
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate))
        history = []
        start = time.perf_counter()
        for epoch in range(config.epochs):
            tick = time.perf_counter()
            fit = model.fit(train[0], train[1], batch_size=config.batch_size, epochs=1,
                            shuffle=True, verbose=0,
                            validation_data=validation if len(validation[0]) else None)
            logs = {k: float(v[-1]) for k, v in fit.history.items()}
            if not all(math.isfinite(v) for v in logs.values()):
                raise errors.DivergenceError(f"{name} diverged at epoch {epoch + 1}: {logs}.")
            history.append(logs)
            if log is not None:
                log(f"  {name} epoch {epoch + 1}/{config.epochs}: train CE "
                    f"{logs['cross_entropy']:.3f}, R {logs['rate']:.2f} nats, accuracy "
                    f"{logs['accuracy']:.4f}; validation accuracy "
                    f"{logs.get('val_accuracy', float('nan')):.4f}, "
                    f"{time.perf_counter() - tick:.1f} s")
        wall = time.perf_counter() - start
        evaluated = model.evaluate(test[0], test[1], batch_size=config.batch_size, verbose=0,
                                   return_dict=True)
    record = {
        "dataset": config.dataset, "data_subset": description, "method": method,
        "beta": float(beta), "seed": int(seed), "latent_dim": int(config.latent_dim),
        "hidden": list(config.hidden), "epochs": int(config.epochs),
        "batch_size": int(config.batch_size), "learning_rate": float(config.learning_rate),
        "test_rate": float(evaluated["rate"]),
        "test_cross_entropy": float(evaluated["cross_entropy"]),
        "test_accuracy": float(evaluated["accuracy"]),
        "test_error": 1.0 - float(evaluated["accuracy"]),
        "train_rate": history[-1]["rate"], "train_accuracy": history[-1]["accuracy"],
        "train_cross_entropy": history[-1]["cross_entropy"],
        "test_examples": int(len(test[0])), "train_examples": int(len(train[0])),
        "wall_seconds": round(wall, 2), "units": "nats",
    }
    bad = {k: v for k, v in record.items() if isinstance(v, float) and not math.isfinite(v)}
    if bad:
        raise errors.DivergenceError(f"{name} evaluated to non-finite values {bad}.")
    return record

