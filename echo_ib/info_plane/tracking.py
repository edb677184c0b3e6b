"""Training a noisy classifier while tracking its information plane.

`train_with_information_plane(config, workdir)` trains `NoisyMLP` on the 12-bit task
(or MNIST / FashionMNIST) with an `InformationPlane` callback and writes to `workdir`:

* `information.jsonl`: one record per (epoch, layer) (see `callbacks.InformationPlane`),
* `information_plane.png`: I(X;T) against I(Y;T) per layer, coloured by epoch, with ±1
  standard-error bars and H(Y) marked,
* `information_over_training.png`: I(X;T_ℓ) against epoch per layer, with error bars,
* `binned_vs_plugin.png` (plug-in estimator): the plug-in I(X;T_ℓ) beside binned
  H(Bin(T_ℓ)) at 30 bins and at bin widths proportional to σ,
* `compression_vs_plugin.png` (compression estimator): I(X;T_ℓ) through compression
  beside the plug-in where the layer is small enough for it,
* `activations/epoch_*.npz` and `clustering.png`: each layer's activations at the measured
  epochs (a 2-D principal-axes view of the first 2,000 inputs, noiseless for the plug-in,
  one noisy draw for compression), coloured by class, beside I(X;T_ℓ),
* `summary.json`: final training and test accuracy and the last measurement per layer.

`config.estimator` picks the estimator: 'plugin' (Goldfeld et al.; `InformationPlane`) or
'compression' (autoencoders + a k-NN estimator, Butakov et al. 2024;
`CompressedInformationPlane`). `config.architecture` picks the network for MNIST /
FashionMNIST: 'mlp' (`NoisyMLP` of `config.widths`, tanh) or 'conv' (`NoisyConvNet`).

The 12-bit task trains on its training split (80 %, or the split of the user's .npz) and
measures the information of all 4,096 inputs (X uniform over the whole input space); test
accuracy is on its test split. MNIST / FashionMNIST train on the first `num_examples`
images of `split`, measure the first `num_measured` of them (0: all) and test on the next
`num_test_examples`.
"""

import json
import pathlib

import keras
import ml_collections
import tensorflow as tf

from echo_ib import data as data_lib
from echo_ib import errors
from echo_ib import plotting, seeding
from echo_ib.models import classifier
from echo_ib.info_plane import callbacks
from echo_ib.training import runtime
from echo_ib.info_plane.schema import ESTIMATORS, complete_config

__all__ = ["ESTIMATORS", "prepare_workdir", "train_with_information_plane"]

# What a run writes; a new run of the same settings removes them first.
_OUTPUTS = ("information.jsonl", "summary.json", "information_plane.png",
            "information_over_training.png", "binned_vs_plugin.png",
            "compression_vs_plugin.png", "clustering.png")


def prepare_workdir(config, workdir):
    """Makes `workdir` ready for a run of `config`, which starts from epoch 0.

    A workdir that holds a run of other settings (its `config.json` differs) is refused
    (`WorkdirError` naming the first differing field), so that no two runs' measurements
    or activation snapshots mix; one of the same settings (a finished or interrupted run)
    is cleared of its outputs. Writes `config.json` first."""
    workdir.mkdir(parents=True, exist_ok=True)
    settings = json.loads(config.to_json_best_effort())
    saved_path = workdir / "config.json"
    outputs = [workdir / name for name in _OUTPUTS] + sorted(
        (workdir / "activations").glob("epoch_*.npz"))
    if saved_path.exists():
        saved = json.loads(saved_path.read_text())
        saved = json.loads(complete_config(
            ml_collections.ConfigDict(saved)).to_json_best_effort())
        if saved != settings:
            field = next(k for k in sorted(set(saved) | set(settings))
                         if saved.get(k) != settings.get(k))
            raise errors.WorkdirError(
                f"{workdir} holds an information plane of other settings (config.{field}: "
                f"{saved.get(field)!r} there, {settings.get(field)!r} now); choose another "
                "--workdir or delete that one.")
    elif any(path.exists() for path in outputs):
        raise errors.WorkdirError(
            f"{workdir} holds information-plane outputs without their config.json; choose "
            "another --workdir or delete that one.")
    for path in outputs:
        path.unlink(missing_ok=True)
    saved_path.write_text(json.dumps(settings, indent=2, sort_keys=True))


def _task(config):
    """(x_train, y_train, x_measured, y_measured, (x_test, y_test), model)."""
    if config.task == "twelve_bit":
        train = data_lib.load("twelve_bit", "train", data_dir=config.data_dir or None)
        test = data_lib.load("twelve_bit", "test", data_dir=config.data_dir or None)
        everything = data_lib.load("twelve_bit", "all", data_dir=config.data_dir or None)
        model = classifier.twelve_bit_network(sigma=config.sigma, seed=config.seed,
                                              orthonormal=config.orthonormal)
        return (*train, *everything, test, model)
    if config.task in ("mnist", "fashion_mnist"):
        x, y = data_lib.load(config.task, config.split, data_dir=config.data_dir or None)
        n, m = config.num_examples, config.num_test_examples
        if n + m > len(x):
            raise errors.ConfigError(
                f"config.num_examples + config.num_test_examples = {n + m}: the {config.task} "
                f"{config.split} split has {len(x)} images.")
        architecture = config.architecture
        if architecture == "conv":
            model = classifier.NoisyConvNet(sigma=config.sigma, seed=config.seed)
        elif architecture == "mlp":
            x = x.reshape(len(x), -1)
            model = classifier.NoisyMLP(list(config.widths), activation="tanh",
                                        sigma=config.sigma, num_classes=10, seed=config.seed,
                                        orthonormal=config.orthonormal)
        else:
            raise errors.ConfigError(f"config.architecture = {architecture!r}: expected 'mlp' "
                                     "or 'conv'.")
        measured = config.num_measured or n
        return (x[:n], y[:n], x[:measured], y[:measured], (x[n:n + m], y[n:n + m]), model)
    raise errors.ConfigError(f"config.task must be 'twelve_bit', 'mnist' or 'fashion_mnist', "
                             f"got {config.task!r}.")


def _layer_labels(config, model):
    """'T1 (10 units)', … for the mlp's noisy layers; 'T1', … otherwise."""
    widths = (list(config.widths) if config.task == "twelve_bit" or config.architecture == "mlp"
              else [])
    return [f"T{k + 1} ({w} units)" for k, w in enumerate(widths)] or None


def train_with_information_plane(config, workdir, verbose=1):
    """Trains and measures; returns the list of measurement records.

    verbose: 0 silent; 1 the measurement lines and a summary (Keras's per-epoch lines are
    never printed: a 300-epoch run would print 600 of them).

    A run always starts from epoch 0 (it keeps no checkpoint): `prepare_workdir` refuses a
    workdir of other settings and clears one of the same settings.

    Raises:
      ConfigError: a bad or unknown config field (`info_plane_schema`).
      WorkdirError: `workdir` holds a run of other settings."""
    config = complete_config(config)
    workdir = pathlib.Path(workdir)
    prepare_workdir(config, workdir)
    # The initial weights (Keras reads their seeds from Python's `random`); every other
    # stream has its own seed: the batch order here, the network's noise, the estimators.
    with runtime.global_state_scope(config.seed):
        x_train, y_train, x_measured, y_measured, test, model = _task(config)
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        path = workdir / "information.jsonl"
        estimator = config.estimator
        common = dict(path=path, schedule=config.schedule,
                      num_measurements=config.num_measurements,
                      num_noise_draws=config.num_noise_draws, num_mc=config.num_mc,
                      test_data=test, seed=config.seed)
        if estimator == "plugin":
            tracker = callbacks.InformationPlane(x_measured, y_measured, **common)
        elif estimator == "compression":
            tracker = callbacks.CompressedInformationPlane(
                x_measured, y_measured, latent_dims=tuple(config.latent_dims),
                estimator=config.knn_estimator, epochs=config.compressor_epochs,
                refit_epochs=config.compressor_refit_epochs,
                max_signal_error=config.max_signal_error, **common)
        else:
            raise errors.ConfigError(f"config.estimator = {estimator!r}: expected one of "
                                     f"{ESTIMATORS}.")
        tracker.snapshot_dir = workdir / "activations"
        batches = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
                   .shuffle(len(x_train), seed=seeding.derive(config.seed, "batch order"),
                            reshuffle_each_iteration=True)
                   .batch(config.batch_size))
        history = model.fit(batches, epochs=config.epochs, verbose=0, shuffle=False,
                            callbacks=[tracker]).history  # shuffled by `batches`
    records = tracker.records
    how = "plug-in" if estimator == "plugin" else f"compression + {config.knn_estimator}"
    name = f"Noisy {config.task} network, σ = {config.sigma:g} ({how})"
    plotting.plot_information_plane(records, workdir / "information_plane.png", title=name,
                                    layer_labels=_layer_labels(config, model))
    plotting.plot_information_over_training(records, workdir / "information_over_training.png",
                                            title=f"I(X;T) per layer: {name}")
    if estimator == "plugin":
        plotting.plot_binned_vs_plugin(records, workdir / "binned_vs_plugin.png",
                                       title=f"Binned vs plug-in: {name}")
    else:
        plotting.plot_compression_vs_plugin(records, workdir / "compression_vs_plugin.png",
                                            title=f"Compression vs plug-in: {name}")
    plotting.plot_clustering(workdir / "activations", records, workdir / "clustering.png",
                             title=f"Clustering: {name}",
                             layer_labels=_layer_labels(config, model))
    last_epoch = max(r["epoch"] for r in records)
    final = [r for r in records if r["epoch"] == last_epoch]
    summary = {
        "train_accuracy": float(history["accuracy"][-1]),
        # The test accuracy of the last measurement (one noisy pass over the test inputs),
        # the same number as in each layer's final entry.
        "test_accuracy": final[0].get("test_accuracy") if final else tracker.test_accuracy(),
        "test_examples": len(test[1]),
        "epochs": int(config.epochs),
        "final": final,
    }
    (workdir / "summary.json").write_text(json.dumps(summary, indent=2))
    if verbose:
        print(f"train accuracy {summary['train_accuracy']:.3f}, test accuracy "
              f"{summary['test_accuracy']:.3f} ({summary['test_examples']} test inputs)")
    return records
