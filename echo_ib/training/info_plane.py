"""Training a noisy classifier while tracking its information plane.

`train_with_information_plane(config, workdir)` trains `NoisyMLP` on the 12-bit task
(or MNIST / FashionMNIST) with an `InformationPlane` callback and writes to `workdir`:

* `information.jsonl`: one record per (epoch, layer) (see `callbacks.InformationPlane`),
* `information_plane.png`: I(X;T) against I(Y;T) per layer, coloured by epoch, with ±1
  standard-error bars and H(Y) marked,
* `information_over_training.png`: I(X;T_ℓ) against epoch per layer, with error bars,
* `binned_vs_plugin.png`: the plug-in I(X;T_ℓ) beside binned H(Bin(T_ℓ)) at 30 bins and at
  bin widths proportional to σ,
* `summary.json`: final training and test accuracy and the last measurement per layer.

The 12-bit task trains on its training split (80 %, or the split of the user's .npz) and
measures the information of all 4,096 inputs (X uniform over the whole input space); test
accuracy is on its test split. MNIST / FashionMNIST train and measure on the first
`num_examples` images of `split` and test on the next `num_test_examples`.
"""

import json
import pathlib

import keras
import numpy as np

from echo_ib import data as data_lib
from echo_ib import errors
from echo_ib import plotting
from echo_ib.models import classifier
from echo_ib.training import callbacks

__all__ = ["train_with_information_plane"]


def _task(config):
    """(x_train, y_train, x_measured, y_measured, (x_test, y_test), model)."""
    if config.task == "twelve_bit":
        train = data_lib.load("twelve_bit", "train", data_dir=config.data_dir or None)
        test = data_lib.load("twelve_bit", "test", data_dir=config.data_dir or None)
        everything = data_lib.load("twelve_bit", "all", data_dir=config.data_dir or None)
        model = classifier.twelve_bit_network(sigma=config.sigma, seed=config.seed)
        return (*train, *everything, test, model)
    if config.task in ("mnist", "fashion_mnist"):
        x, y = data_lib.load(config.task, config.split, data_dir=config.data_dir or None)
        x = x.reshape(len(x), -1)
        n, m = config.num_examples, config.num_test_examples
        if n + m > len(x):
            raise errors.ConfigError(
                f"config.num_examples + config.num_test_examples = {n + m}: the {config.task} "
                f"{config.split} split has {len(x)} images.")
        model = classifier.NoisyMLP(list(config.widths), activation="tanh", sigma=config.sigma,
                                    num_classes=10, seed=config.seed)
        return x[:n], y[:n], x[:n], y[:n], (x[n:n + m], y[n:n + m]), model
    raise errors.ConfigError(f"config.task must be 'twelve_bit', 'mnist' or 'fashion_mnist', "
                             f"got {config.task!r}.")


def train_with_information_plane(config, workdir, verbose=2):
    """Trains and measures; returns the list of measurement records."""
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(config.seed)
    x_train, y_train, x_measured, y_measured, test, model = _task(config)
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    path = workdir / "information.jsonl"
    if path.exists():
        path.unlink()  # a fresh run of the information plane
    tracker = callbacks.InformationPlane(
        x_measured, y_measured, path=path, schedule=config.schedule,
        num_measurements=config.num_measurements, num_noise_draws=config.num_noise_draws,
        num_mc=config.num_mc, test_data=test, seed=config.seed)
    history = model.fit(x_train, y_train, batch_size=config.batch_size, epochs=config.epochs,
                        verbose=verbose, callbacks=[tracker], shuffle=True).history
    (workdir / "config.json").write_text(config.to_json_best_effort(indent=2))
    records = tracker.records
    name = f"Noisy {config.task} network, σ = {config.sigma:g} (plug-in estimator)"
    plotting.plot_information_plane(records, workdir / "information_plane.png",
                                    title=f"{name}, ±1 s.e.")
    plotting.plot_information_over_training(records, workdir / "information_over_training.png",
                                            title=f"I(X;T) per layer: {name}")
    plotting.plot_binned_vs_plugin(records, workdir / "binned_vs_plugin.png",
                                   title=f"Binned vs plug-in: {name}")
    last_epoch = max(r["epoch"] for r in records)
    summary = {
        "train_accuracy": float(history["accuracy"][-1]),
        "test_accuracy": tracker.test_accuracy(),
        "test_examples": len(test[1]),
        "epochs": int(config.epochs),
        "final": [r for r in records if r["epoch"] == last_epoch],
    }
    (workdir / "summary.json").write_text(json.dumps(summary, indent=2))
    if verbose:
        print(f"train accuracy {summary['train_accuracy']:.3f}, test accuracy "
              f"{summary['test_accuracy']:.3f} ({summary['test_examples']} test inputs)")
    return records
