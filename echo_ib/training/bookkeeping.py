"""The per-epoch bookkeeping of one training run (`Bookkeeping`)."""

import math
import time

import keras

from echo_ib import errors
from echo_ib.training import checkpoint as checkpoint_lib
from echo_ib.training import schedules

__all__ = ["Bookkeeping", "initial_state", "monitored_key"]


def monitored_key(config):
    """The history key that picks the best epoch: 'val_objective' (D + βR, β the final β)
    or 'val_neg_elbo' (D + R), by config.early_stopping.monitor."""
    monitor = config.early_stopping.get("monitor", "neg_elbo")
    return "val_objective" if monitor == "objective" else "val_neg_elbo"


def initial_state(fingerprint):
    """The state of a run that has not trained yet."""
    return {"next_epoch": 0, "history": [], "best_value": math.inf, "best_epoch": None,
            "wait": 0, "stopped_early": False, "fingerprint": fingerprint}


def _all_finite(values):
    return all(math.isfinite(v) for v in values)


class Bookkeeping(keras.callbacks.Callback):
    """Divergence checks, early stopping, history, progress lines and per-epoch checkpoints.

    Why not Keras's own callbacks: `TerminateOnNaN` stops training quietly where a diverged
    point must raise `DivergenceError` naming the point, the epoch and its settings, and
    record nothing; `EarlyStopping(min_delta, patience, start_from_epoch,
    restore_best_weights)` keeps its counters and best weights in memory only, and
    `BackupAndRestore` saves neither them nor the history, so a killed point would resume
    with its patience reset and its best epoch forgotten, and end elsewhere than an
    uninterrupted run. Here the counters, the history and the best weights are part of
    the per-epoch checkpoint (`checkpoint.save`), and a resumed point ends bit for bit
    where an uninterrupted one would. `state` is the checkpointed dict: next_epoch,
    history, best_value, best_epoch, wait, stopped_early, fingerprint.
    """

    def __init__(self, config, path, state, best_weights, name, log):
        super().__init__()
        self.config, self.path, self.name, self.log = config, path, name, log
        self.state, self.best_weights = state, best_weights
        self._epoch, self._start = state["next_epoch"], time.time()

    def _diverged(self, epoch, where, values):
        settings = ", ".join(f"{k}={self.config[k]!r}" for k in (
            "method", "architecture", "latent_dim", "beta", "learning_rate", "lr_schedule",
            "batch_size", "seed"))
        raise errors.DivergenceError(
            f"point {self.name} diverged at epoch {epoch + 1} ({where}: {values}); nothing was "
            f"recorded. Settings: {settings} (all of them in "
            f"{self.path.parent / 'fingerprint.json'}). A lower learning_rate usually helps; "
            + (f"the checkpoint of epoch {self.state['next_epoch']}, the last good one, is kept."
               if self.path.exists() else
               "no epoch had finished, so there is no checkpoint: a re-run starts over."))

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch, self._start = epoch, time.time()

    def on_train_batch_end(self, batch, logs=None):
        loss = float(logs["loss"])
        if not math.isfinite(loss):
            self._diverged(self._epoch, f"batch {batch + 1}", f"training loss = {loss}")

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: float(v) for k, v in (logs or {}).items()}
        if not _all_finite(logs.values()):
            self._diverged(epoch, "end of epoch", {k: v for k, v in logs.items()
                                                   if not math.isfinite(v)})
        entry = {"epoch": epoch + 1, "seconds": round(time.time() - self._start, 2),
                 "learning_rate": schedules.value_at(self.model.optimizer.learning_rate,
                                                     self.model.optimizer.iterations),
                 **{k: v for k, v in logs.items() if k != "learning_rate"}}
        active = self.model.channel.active_dimensions()
        if active is not None:
            entry["active_dimensions"] = int(active.sum())
        state = self.state
        if "val_rate" in logs:
            entry["val_neg_elbo"] = logs["val_rate"] + logs["val_distortion"]
            entry["val_objective"] = logs["val_distortion"] + self.config.beta * logs["val_rate"]
            es = self.config.early_stopping
            value = entry[monitored_key(self.config)]
            if value < state["best_value"] - es.min_delta:
                state.update(best_value=value, best_epoch=epoch + 1, wait=0)
                if es.patience:
                    self.best_weights = checkpoint_lib.snapshot(self.model)
            else:
                state["wait"] += 1
            if es.patience and epoch + 1 >= es.min_epochs and state["wait"] >= es.patience:
                state["stopped_early"] = True
                self.model.stop_training = True
        state["history"].append(entry)
        state["next_epoch"] = epoch + 1
        checkpoint_lib.save(self.path, self.model, state, self.best_weights)
        if self.log:
            objective = (f", D + βR {entry['val_objective']:.2f}"
                         if monitored_key(self.config) == "val_objective" else "")
            val = (f", val R {logs['val_rate']:.2f} D {logs['val_distortion']:.2f} −ELBO "
                   f"{entry['val_neg_elbo']:.2f}{objective} (best {state['best_value']:.2f} "
                   f"at epoch {state['best_epoch']})" if "val_rate" in logs else "")
            dims = (f", {entry['active_dimensions']}/{self.config.latent_dim} dims on"
                    if "active_dimensions" in entry else "")
            self.log(f"  {self.name} epoch {epoch + 1}/{self.config.epochs}: train −ELBO "
                     f"{-logs['elbo']:.2f}{val}{dims}, lr {entry['learning_rate']:.2g}, "
                     f"{entry['seconds']:.1f} s")
