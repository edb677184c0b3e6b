"""Information-plane tracking during training (Shwartz-Ziv & Tishby 2017; Goldfeld et al.
2019): a Keras callback that measures, for every noisy layer T_ℓ of a `NoisyMLP`,

* I(X; T_ℓ) and I(Y; T_ℓ) with the plug-in estimator (`echo_ib.estimators.plugin`), with
  their standard errors; I(Y; T_ℓ) ∈ [0, H(Y)] by construction,
* H(Bin(T_ℓ)) and I(Y; Bin(T_ℓ)) of the noiseless activations, binned as
  Shwartz-Ziv & Tishby did (30 bins over the tanh range), and H(Bin(T_ℓ)) with bins of
  width k·σ for each k in `bin_widths` (Goldfeld et al. §5: binning at the noise scale
  tracks the clustering that the noisy network's I(X; T_ℓ) measures),
* the training accuracy of the epoch and, with `test_data`, the test accuracy,

on a schedule, appending one JSON line per (epoch, layer).
"""

import math
import pathlib
import time

import keras
import numpy as np

from echo_ib import estimators
from echo_ib.training import results as results_lib

__all__ = ["InformationPlane", "SCHEDULES", "log_spaced_epochs"]

SCHEDULES = ("every", "log", "adaptive")


def log_spaced_epochs(num_epochs, num_measurements):
    """About `num_measurements` distinct epochs in 1..num_epochs, log-spaced, last included."""
    grid = np.unique(np.round(np.logspace(0, math.log10(max(num_epochs, 1)), num_measurements)))
    return sorted(set(int(e) for e in grid) | {int(num_epochs)})


class InformationPlane(keras.callbacks.Callback):
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
        super().__init__()
        if schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {SCHEDULES}, got {schedule!r}.")
        self.x, self.y = np.asarray(x), np.asarray(y)
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} rows but y has {len(self.y)}.")
        self.path = None if path is None else pathlib.Path(path)
        self.schedule = schedule
        self.num_measurements = num_measurements
        self.tolerance, self.max_gap = tolerance, max_gap
        self.num_noise_draws, self.num_mc = num_noise_draws, num_mc
        self.num_bins, self.value_range = num_bins, value_range
        self.bin_widths, self.test_data = tuple(bin_widths), test_data
        self.base, self.seed, self.verbose = base, seed, verbose
        self._accuracy = None
        self.records = []
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

    def measure(self, epoch):
        """Measures every hidden layer now and records it as `epoch`."""
        start = time.time()
        model = self.model
        noiseless = model.activations(self.x, noise=False)
        unit = "bits" if self.base == 2 else "nats"
        label_entropy = estimators.discrete_entropy(self.y.reshape(-1, 1), base=self.base)
        test_accuracy = self.test_accuracy()
        for layer in range(len(model.widths)):
            info = estimators.layer_information(
                model, self.x, self.y, layer, model.sigma, self.num_noise_draws, self.num_mc,
                seed=self.seed + epoch, base=self.base)
            activations = noiseless[layer].numpy()
            binned = estimators.binned_mutual_information(
                activations, self.y, self.num_bins, self.value_range, self.base)
            record = {
                "epoch": int(epoch), "layer": layer, "units": unit, "sigma": model.sigma,
                "I(X;T)": float(info["input"].value), "I(X;T)_stderr": float(info["input"].stderr),
                "I(Y;T)": float(info["label"].value), "I(Y;T)_stderr": float(info["label"].stderr),
                "H(Y)": float(label_entropy),
                "H(Bin(T))": float(binned["entropy"]),
                "I(Y;Bin(T))": float(binned["mutual_information_label"]),
                **{f"H(Bin(T);w={k:g}σ)": float(estimators.binned_mutual_information(
                    activations, bin_width=k * model.sigma, base=self.base)["entropy"])
                   for k in self.bin_widths if model.sigma > 0},
                "accuracy": self._accuracy, "test_accuracy": test_accuracy,
            }
            self.records.append(record)
            if self.path is not None:
                results_lib.append_result(self.path, record)
        self._last_weights, self._last_epoch = self._flat_weights(), epoch
        if self.verbose:
            summary = ", ".join(f"T{r['layer'] + 1}: ({r['I(X;T)']:.2f}, {r['I(Y;T)']:.2f})"
                                for r in self.records[-len(model.widths):])
            print(f"[info-plane] epoch {epoch}: (I(X;T), I(Y;T)) {unit} = {summary} "
                  f"({time.time() - start:.1f} s)")

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
