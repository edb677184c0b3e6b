"""Training a noisy classifier while tracking its information plane.

`train_with_information_plane(config, workdir)` trains `NoisyMLP` on the 12-bit task
(or MNIST / FashionMNIST) with an `InformationPlane` callback, writes
`<workdir>/information.jsonl`, and draws `<workdir>/information_plane.png` (I(X;T) against
I(Y;T), colour by epoch) and `<workdir>/binned_vs_plugin.png` (I(X;T) against the binned
H(Bin(T)) per layer, over training).
"""

import pathlib

import keras

from echo_ib import data as data_lib
from echo_ib import errors
from echo_ib import plotting
from echo_ib.models import classifier
from echo_ib.training import callbacks

__all__ = ["train_with_information_plane"]


def _task(config):
    if config.task == "twelve_bit":
        x, y = data_lib.load("twelve_bit", "all", data_dir=config.data_dir or None)
        return x, y, classifier.twelve_bit_network(sigma=config.sigma, seed=config.seed)
    if config.task in ("mnist", "fashion_mnist"):
        x, y = data_lib.load(config.task, config.split, data_dir=config.data_dir or None)
        x, y = x[: config.num_examples].reshape(-1, 784), y[: config.num_examples]
        return x, y, classifier.NoisyMLP(list(config.widths), activation="tanh",
                                         sigma=config.sigma, num_classes=10, seed=config.seed)
    raise errors.ConfigError(f"config.task must be 'twelve_bit', 'mnist' or 'fashion_mnist', got "
                     f"{config.task!r}.")


def train_with_information_plane(config, workdir, verbose=2):
    """Trains and measures; returns the list of measurement records."""
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(config.seed)
    x, y, model = _task(config)
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    path = workdir / "information.jsonl"
    if path.exists():
        path.unlink()  # a fresh run of the information plane
    tracker = callbacks.InformationPlane(
        x, y, path=path, schedule=config.schedule, num_measurements=config.num_measurements,
        num_noise_draws=config.num_noise_draws, num_mc=config.num_mc, seed=config.seed)
    model.fit(x, y, batch_size=config.batch_size, epochs=config.epochs, verbose=verbose,
              callbacks=[tracker], shuffle=True)
    (workdir / "config.json").write_text(config.to_json_best_effort(indent=2))
    plotting.plot_information_plane(
        tracker.records, workdir / "information_plane.png",
        title=f"Noisy {config.task} network, σ = {config.sigma:g} (plug-in estimator)")
    plotting.plot_information_plane(
        tracker.records, workdir / "binned_vs_plugin.png", x_key="H(Bin(T))",
        y_key="I(X;T)", title="Plug-in I(X;T) against binned H(Bin(T)) (bits)")
    return tracker.records
