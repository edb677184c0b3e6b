"""Information-plane tracking during training (Shwartz-Ziv & Tishby 2017; Goldfeld et al.
2019): a Keras callback that measures, for every noisy layer T_ℓ of a `NoisyMLP`,

* I(X; T_ℓ) and I(Y; T_ℓ) with the plug-in estimator (`echo_ib.estimators.plugin`), with
  their standard errors; I(Y; T_ℓ) ∈ [0, H(Y)] by construction,
* H(Bin(T_ℓ)) and I(Y; Bin(T_ℓ)) of the noiseless activations, binned as
  Shwartz-Ziv & Tishby did (30 bins over the tanh range), and H(Bin(T_ℓ)) with bins of
  width k·σ for each k in `bin_widths` (Goldfeld et al. §5: binning at the noise scale
  tracks the clustering that the noisy network's I(X; T_ℓ) measures), recorded as
  `"H(Bin(T))_per_width": [{"width_sigma": k, "H(Bin(T))": value}, …]`,
* the training accuracy of the epoch and, with `test_data`, the test accuracy,

on a schedule, appending one JSON line per (epoch, layer). With `snapshot_dir` set, each
measurement also saves a 2-D view of every layer's activations with the labels
(`_snapshot`), from which `plotting.plot_clustering` draws the layers' class-coloured
distributions without retraining.
"""

import math
import pathlib
import time

import keras
import numpy as np

from echo_ib import estimators, seeding
from echo_ib.training import results as results_lib

__all__ = [
    "CompressedInformationPlane",
    "InformationPlane",
    "MEASUREMENT_SCHEDULES",
    "log_spaced_epochs",
]

MEASUREMENT_SCHEDULES = ("every", "log", "adaptive")


def log_spaced_epochs(num_epochs, num_measurements):
    """About `num_measurements` distinct epochs in 1..num_epochs, log-spaced, last included."""
    grid = np.unique(np.round(np.logspace(0, math.log10(max(num_epochs, 1)), num_measurements)))
    return sorted(set(int(e) for e in grid) | {int(num_epochs)})


class _ScheduledMeasurements(keras.callbacks.Callback):
    """Calls `measure(epoch)` at epoch 0 (before training) and on a schedule; shared by
    the information-plane callbacks. Records go to `records` and, with `path`, to a
    JSON-lines file. `test_data` (x, y) adds the test accuracy to each measurement."""

    def __init__(self, x, y, path, schedule, num_measurements, tolerance, max_gap, test_data,
                 base, seed, verbose):
        super().__init__()
        if schedule not in MEASUREMENT_SCHEDULES:
            raise ValueError(
                f"schedule must be one of {MEASUREMENT_SCHEDULES}, got {schedule!r}.")
        self.x, self.y = np.asarray(x), np.asarray(y)
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} rows but y has {len(self.y)}.")
        self.path = None if path is None else pathlib.Path(path)
        self.schedule = schedule
        self.num_measurements = num_measurements
        self.tolerance, self.max_gap = tolerance, max_gap
        self.test_data = test_data
        self.base, self.seed, self.verbose = base, seed, verbose
        self._accuracy = None
        self.records = []
        self.snapshot_dir, self.snapshot_size = None, 2000
        self._planned = set()
        self._last_weights = None
        self._last_epoch = 0

    def _flat_weights(self):
        return np.concatenate([np.ravel(w.numpy()) for w in self.model.trainable_weights])

    def _due(self, epoch):
        if self.schedule == "every":
            return True
        if self.schedule == "log":
            return epoch in self._planned
        change = np.linalg.norm(self._flat_weights() - self._last_weights) / max(
            np.linalg.norm(self._last_weights), 1e-12)
        last_epoch = epoch == self.params.get("epochs")
        return change > self.tolerance or epoch - self._last_epoch >= self.max_gap or last_epoch

    def test_accuracy(self):
        """Accuracy of the model (noise on, as trained) on `test_data`, or None."""
        if self.test_data is None:
            return None
        x, y = self.test_data
        logits = self.model(np.asarray(x, np.float32)).numpy()
        return float(np.mean(np.argmax(logits, axis=-1) == np.asarray(y).reshape(-1)))

    @property
    def units(self):
        return "bits" if self.base == 2 else "nats"

    def _snapshot(self, epoch, layers):
        """Saves a 2-D view of each layer's activations (the first `snapshot_size` inputs)
        to `<snapshot_dir>/epoch_<epoch>.npz`, with the labels, for the clustering figure:
        a layer of one or two units as it is, a wider one projected on its two leading
        principal axes (signs fixed so that each axis's largest loading is positive)."""
        if self.snapshot_dir is None:
            return
        self.snapshot_dir.mkdir(parents=True, exist_ok=True)
        arrays = {"labels": self.y.reshape(-1)[:self.snapshot_size]}
        for k, t in enumerate(layers):
            t = np.asarray(t, np.float64).reshape(len(t), -1)[:self.snapshot_size]
            if t.shape[1] > 2:
                centred = t - t.mean(axis=0)
                _, _, vt = np.linalg.svd(centred, full_matrices=False)
                axes = vt[:2] * np.sign(vt[:2][np.arange(2), np.argmax(np.abs(vt[:2]), axis=1)])[:, None]
                view = centred @ axes.T
            else:
                view = t
            arrays[f"layer_{k}"] = view.astype(np.float32)
            arrays[f"width_{k}"] = np.int64(np.prod(np.shape(layers[k])[1:]))
        np.savez_compressed(self.snapshot_dir / f"epoch_{int(epoch):05d}.npz", **arrays)

    def _record(self, record):
        self.records.append(record)
        if self.path is not None:
            results_lib.append_result(self.path, record)

    def _report(self, epoch, start, keys=("I(X;T)", "I(Y;T)")):
        self._last_weights, self._last_epoch = self._flat_weights(), epoch
        if self.verbose:
            last = self.records[-len(self.model.hidden):]
            summary = ", ".join(
                f"T{r['layer'] + 1}: ({r[keys[0]]:.2f}, {r[keys[1]]:.2f})"
                + (" [compressor below the quality bar]" if r.get("compressor_ok") is False
                   else "") for r in last)
            print(f"[info-plane] epoch {epoch}: ({keys[0]}, {keys[1]}) {self.units} = {summary} "
                  f"({time.time() - start:.1f} s)")

    def measure(self, epoch):
        raise NotImplementedError

    def on_train_begin(self, logs=None):
        self.model(self.x[:2])  # build every layer (the head too) before the first snapshot
        if self.schedule == "log":
            self._planned = set(log_spaced_epochs(self.params["epochs"], self.num_measurements))
        self.measure(0)

    def on_epoch_end(self, epoch, logs=None):
        if logs and "accuracy" in logs:
            self._accuracy = float(logs["accuracy"])
        if self._due(epoch + 1):
            self.measure(epoch + 1)


class InformationPlane(_ScheduledMeasurements):
    """Measures every layer's information on a schedule; `records` and a JSON-lines file.

    Epoch 0 is the initialisation (measured before training); epoch e ≥ 1 is after e epochs.

    Args:
      x, y: the inputs (X uniform over them) and their labels.
      path: JSON-lines file to append to, or None.
      schedule: 'every' epoch, 'log' (`num_measurements` log-spaced epochs), or 'adaptive':
        measure when the weights moved by more than `tolerance` (relative L2 change since
        the last measurement), and at least every `max_gap` epochs — dense where the
        network changes fast, sparse where it has settled.
      num_noise_draws, num_mc: the plug-in estimator's settings.
      num_bins, value_range: binning (default: 30 bins over (−1, 1), for tanh units).
      bin_widths: multiples k of σ for the bins of width k·σ. Default value: (0.5, 1, 2, 4).
      test_data: optional (x_test, y_test) whose accuracy is recorded.
      base: 2 for bits (the information-plane convention) or None for nats.
      seed: estimator seed.
    """

    def __init__(self, x, y, path=None, schedule="log", num_measurements=30, tolerance=0.05,
                 max_gap=50, num_noise_draws=4, num_mc=4000, num_bins=30,
                 value_range=(-1.0, 1.0), bin_widths=(0.5, 1.0, 2.0, 4.0), test_data=None,
                 base=2, seed=0, verbose=True):
        super().__init__(x, y, path, schedule, num_measurements, tolerance, max_gap, test_data,
                         base, seed, verbose)
        self.num_noise_draws, self.num_mc = num_noise_draws, num_mc
        self.num_bins, self.value_range = num_bins, value_range
        self.bin_widths = tuple(bin_widths)

    def measure(self, epoch):
        """Measures every hidden layer now and records it as `epoch`."""
        start = time.time()
        model = self.model
        noiseless = model.activations(self.x, noise=False)
        self._snapshot(epoch, [t.numpy() for t in noiseless])
        unit = "bits" if self.base == 2 else "nats"
        label_entropy = estimators.discrete_entropy(self.y.reshape(-1, 1), base=self.base).value
        test_accuracy = self.test_accuracy()
        for layer in range(len(model.hidden)):
            info = estimators.layer_information(
                model, self.x, self.y, layer, model.sigma, self.num_noise_draws, self.num_mc,
                seed=seeding.derive(self.seed, "plug-in", epoch), base=self.base)
            activations = noiseless[layer].numpy()
            binned = estimators.binned_mutual_information(
                activations, self.y, self.num_bins, self.value_range, self.base)
            record = {
                "epoch": int(epoch), "layer": layer, "units": unit, "sigma": model.sigma,
                "I(X;T)": float(info["input"].value), "I(X;T)_stderr": float(info["input"].stderr),
                "I(Y;T)": float(info["label"].value), "I(Y;T)_stderr": float(info["label"].stderr),
                "H(Y)": float(label_entropy),
                "H(Bin(T))": float(binned["entropy"].value),
                "I(Y;Bin(T))": float(binned["mutual_information_label"].value),
                "H(Bin(T))_per_width": [
                    {"width_sigma": float(k), "H(Bin(T))": float(
                        estimators.binned_mutual_information(
                            activations, bin_width=k * model.sigma,
                            base=self.base)["entropy"].value)}
                    for k in self.bin_widths if model.sigma > 0],
                "accuracy": self._accuracy, "test_accuracy": test_accuracy,
            }
            self._record(record)
        self._report(epoch, start)


def signal_reconstruction_error(reconstruction, signal):
    """Σ‖reconstruction − signal‖² / Σ‖signal − mean signal‖² over [n, d] arrays: the share
    of a noisy layer's signal variance that its compressor's reconstruction of the noisy
    layer misses (CompressedInformationPlane); inf for a constant signal."""
    reconstruction, signal = np.asarray(reconstruction), np.asarray(signal)
    spread = float(np.sum((signal - signal.mean(axis=0)) ** 2))
    if spread == 0.0:
        return math.inf
    return float(np.sum((reconstruction - signal) ** 2)) / spread


class CompressedInformationPlane(_ScheduledMeasurements):
    """I(X;T_ℓ) and I(Y;T_ℓ) through lossy compression (Butakov et al., ICLR 2024).

    For each hidden layer, the noisy activations T_ℓ (one noise draw per input) and the
    inputs X are compressed by autoencoders (`echo_ib.estimators.compressors`) and the MI is
    estimated on the codes (`echo_ib.estimators.mutual_information_compressed`): X's
    compressor is fitted once; each layer's is fitted at the first measurement and then
    keeps training from where it was (`refit_epochs`), following the layer along the run.
    With `plugin=True` the plug-in estimate of I(X;T_ℓ) and I(Y;T_ℓ) for X uniform over
    the measured inputs is recorded beside it: the two answer the same question where σ
    makes the layer's I(X;T) small against log n (the plug-in's ceiling).

    A compressor that loses part of a layer's signal loses information, so each record
    says how well the layer's autoencoder reconstructs it. The autoencoder sees the noisy
    T = f + σZ, f = f_ℓ(T_{ℓ−1}) the layer's noiseless output for the same draw of the
    earlier layers, and can at best return f; its signal error is the share of f's
    variance that its reconstruction misses, Σ‖ĝ(T) − f‖² / Σ‖f − f̄‖²
    (`signal_reconstruction_error`; its MSE against T and the noise's share
    ν = dσ² / Σ_j Var(T_j) are recorded beside it). A record is `compressor_ok` when the
    signal error is at most `max_signal_error`; the plots circle the others.

    Args:
      x, y: the measured inputs [n, ...] and their integer labels [n].
      latent_dims: (X's code size, each layer's code size). Default value: (4, 4).
      estimator: 'wkl-shuffled', 'wkl', 'kde' or 'ksg'. Default value: 'wkl-shuffled'.
      epochs, refit_epochs: autoencoder epochs at the first fit and at each later one.
      plugin: also record the plug-in estimates, for layers of at most `plugin_max_dim`
        units (its cost grows with n·R·d). Default value: True.
      num_noise_draws, num_mc: the plug-in's settings.
      max_signal_error: the quality bar on a layer's compressor (above). Default value: 0.2
        (the code keeps at least 80 % of the layer's signal variance).
      Other arguments as in `InformationPlane`.
    """

    def __init__(self, x, y, path=None, schedule="log", num_measurements=8, tolerance=0.05,
                 max_gap=50, latent_dims=(4, 4), estimator="wkl-shuffled", epochs=300,
                 refit_epochs=60, plugin=True, plugin_max_dim=600, num_noise_draws=4,
                 num_mc=4000, test_data=None, base=2, seed=0, verbose=True,
                 max_signal_error=0.2):
        super().__init__(x, y, path, schedule, num_measurements, tolerance, max_gap, test_data,
                         base, seed, verbose)
        self.latent_dims, self.estimator = tuple(latent_dims), estimator
        self.epochs, self.refit_epochs = epochs, refit_epochs
        self.plugin, self.plugin_max_dim = plugin, plugin_max_dim
        self.num_noise_draws, self.num_mc = num_noise_draws, num_mc
        self._x_compressor, self._layer_compressors = None, {}
        self.max_signal_error = float(max_signal_error)

    def _compressor_quality(self, compressor, t, signal, sigma):
        total = float(np.sum(np.var(t, axis=0)))
        error = signal_reconstruction_error(compressor.reconstruct(t), signal)
        return {"reconstruction_mse": compressor.reconstruction_error(t),
                "noise_share": t.shape[1] * sigma**2 / total if total > 0 else None,
                "signal_reconstruction_error": error if math.isfinite(error) else None,
                "compressor_ok": bool(error <= self.max_signal_error)}

    def measure(self, epoch):
        """Measures every hidden layer now and records it as `epoch`."""
        start = time.time()
        model = self.model
        flat_x = self.x.reshape(len(self.x), -1)
        noise_seed = seeding.derive(self.seed, "layer noise", epoch)
        layers = model.activations(self.x, noise=True, seed=noise_seed)
        self._snapshot(epoch, [t.numpy() for t in layers])
        test_accuracy = self.test_accuracy()
        label_entropy = estimators.discrete_entropy(self.y.reshape(-1, 1), base=self.base).value
        for layer, t in enumerate(layers):
            t = t.numpy().reshape(len(flat_x), -1)
            given = self._layer_compressors.get(layer)
            about_x = estimators.mutual_information_compressed(
                flat_x, t, latent_dims=self.latent_dims, estimator=self.estimator,
                compressors=(self._x_compressor, given), epochs=self.epochs,
                refit_epochs=self.refit_epochs if given is not None else 0,
                seed=seeding.derive(self.seed, "compressor", layer), base=self.base)
            self._x_compressor, self._layer_compressors[layer] = about_x.compressors
            about_y = estimators.mutual_information_compressed(
                t, self.y, latent_dims=self.latent_dims[1], estimator=self.estimator,
                compressors=(self._layer_compressors[layer], None), base=self.base)
            record = {
                "epoch": int(epoch), "layer": layer, "units": self.units, "sigma": model.sigma,
                "estimator": f"autoencoder+{self.estimator}", "latent_dims": list(self.latent_dims),
                "I(X;T)": float(about_x.estimate.value),
                "I(X;T)_stderr": float(about_x.estimate.stderr),
                "I(Y;T)": float(about_y.estimate.value),
                "I(Y;T)_stderr": float(about_y.estimate.stderr),
                "H(Y)": float(label_entropy), "dimension": int(t.shape[1]),
                **self._compressor_quality(
                    self._layer_compressors[layer], t,
                    model.layer_means(self.x, layer, seed=noise_seed), model.sigma),
                "x_reconstruction_mse": self._x_compressor.reconstruction_error(flat_x)
                if hasattr(self._x_compressor, "reconstruction_error") else None,
                "accuracy": self._accuracy, "test_accuracy": test_accuracy,
            }
            if self.plugin and model.sigma > 0 and t.shape[1] <= self.plugin_max_dim:
                info = estimators.layer_information(
                    model, self.x, self.y, layer, model.sigma, self.num_noise_draws,
                    self.num_mc, seed=seeding.derive(self.seed, "plug-in", epoch),
                    base=self.base)
                record.update({
                    "I(X;T)_plugin": float(info["input"].value),
                    "I(X;T)_plugin_stderr": float(info["input"].stderr),
                    "I(Y;T)_plugin": float(info["label"].value),
                    "I(Y;T)_plugin_stderr": float(info["label"].stderr),
                    "plugin_ceiling": float(estimators.discrete_entropy(
                        np.arange(len(flat_x))[:, None], base=self.base).value),
                })
            self._record(record)
        self._report(epoch, start)
