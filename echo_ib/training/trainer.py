"""Training one rate–distortion point: data splits, model, schedule, checkpoints, evaluation.

`train_and_evaluate(config, workdir)` trains one VAE (echo noise or a baseline) with the
settings of a training config (`configs/default.py` documents every field) and writes,
inside `workdir`:

* `fingerprint.json`: the settings and their SHA-256; a checkpoint or result in the
  workdir is reused only under the same fingerprint (else `WorkdirError`),
* `checkpoint.npz`: the state after the last finished epoch (`checkpoint.py`), removed
  when the point finishes; a killed run resumes from it and ends exactly where an
  uninterrupted run would,
* `history.json`: per-epoch training and validation metrics and the learning rate,
* `model.keras` (the final model; reload with `keras.saving.load_model` after importing
  echo_ib), `reconstructions.png` and `samples.png`,
* `result.json`: the result record (the same dict the function returns).

Objective and metrics are those of `echo_ib.models.VAE`: loss = D + β R in nats per image,
−ELBO = D + R. A non-finite training loss or metric stops the run at once with a
`DivergenceError` that names the point, the epoch and the settings; nothing non-finite is
ever recorded. With `config.early_stopping.patience > 0` training stops once the validation
−ELBO has not improved by `min_delta` for `patience` epochs (never before `min_epochs`), and
the weights of the best validation epoch are restored before the final evaluation.
"""

import functools
import json
import math
import pathlib
import time

import keras
import numpy as np
import tensorflow as tf

from echo_ib import data as data_lib
from echo_ib import errors
from echo_ib import plotting
from echo_ib.channels import echo as echo_lib
from echo_ib.models import pruning
from echo_ib.models import vae as vae_lib
from echo_ib.training import checkpoint as checkpoint_lib
from echo_ib.training import grid as grid_lib
from echo_ib.training import schedules

__all__ = [
    "ECHO_GATES",
    "PRECISIONS",
    "STRATEGIES",
    "DataSplits",
    "data_splits",
    "evaluation_seed",
    "finished_record",
    "make_strategy",
    "point_name",
    "resolve_jit_compile",
    "train_and_evaluate",
    "validate_config",
]

STRATEGIES = ("default", "mirrored", "multi_worker")
ECHO_GATES = ("none", "hard_concrete", "prune")
PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
_SPLITS = {"mnist": ("train", "test"), "fashion_mnist": ("train", "test"),
           "binary_mnist": ("train", "valid", "test"),
           "omniglot": ("train", "test", "background_small1", "background_small2")}
# Fixed binarization seeds of the held-out splits: every method and seed sees the same bits.
_VALIDATION_BITS_SEED, _TEST_BITS_SEED = 54321, 12345


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_real(value):
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, bool) and math.isfinite(value))


def validate_config(config):
    """Checks every field of a training config; raises `ConfigError` naming the first bad one."""
    def fail(field, expected):
        value = config
        for part in field.split("."):
            value = value.get(part) if hasattr(value, "get") else None
        raise errors.ConfigError(f"config.{field} = {value!r}: expected {expected}.")

    def integer(field, low, what=None):
        value = config
        for part in field.split("."):
            value = value[part]
        if not (_is_int(value) and value >= low):
            fail(field, what or f"an integer >= {low}")

    datasets = [d for d in data_lib.DATASETS if d != "twelve_bit"]
    if config.dataset not in datasets:
        fail("dataset", f"one of {datasets}")
    for field in ("train_split", "test_split"):
        if config[field] not in _SPLITS[config.dataset]:
            fail(field, f"a split of {config.dataset}: one of {_SPLITS[config.dataset]}")
    if not isinstance(config.data_dir, str):
        fail("data_dir", "a path string ('' searches the standard places)")
    if config.data_dir and not pathlib.Path(config.data_dir).expanduser().is_dir():
        fail("data_dir", "an existing directory ('' searches the standard places)")
    if config.binarize not in data_lib.BINARIZATIONS:
        fail("binarize", f"one of {data_lib.BINARIZATIONS}")
    for field in ("train_size", "test_size", "validation_size"):
        integer(field, 0, "an integer >= 0 (0: all that is available)"
                if field != "validation_size" else "an integer >= 0 (0: no validation split)")
    if config.train_split == config.test_split and config.test_size < 1:
        fail("test_size", "an integer >= 1 when train_split and test_split name the same "
             "split (the test part is then its last test_size examples)")
    if config.method not in vae_lib.METHODS:
        fail("method", f"one of {vae_lib.METHODS}")
    if config.architecture not in vae_lib.ARCHITECTURES:
        fail("architecture", f"one of {vae_lib.ARCHITECTURES}")
    integer("latent_dim", 1)
    if not (_is_real(config.beta) and config.beta >= 0):
        raise errors.ConfigError(
            f"config.beta = {config.beta!r}: every β must be a finite number >= 0 (β weighs "
            "the rate; a negative β rewards information).")
    integer("echo.max_terms", 1)
    if config.echo.clip is not None and not (_is_real(config.echo.clip)
                                             and 0 < config.echo.clip < 1):
        fail("echo.clip", "None (solved for float32 precision) or a number in (0, 1)")
    if not (_is_real(config.echo.f_scale) and config.echo.f_scale > 0):
        fail("echo.f_scale", "a finite number > 0")
    if config.echo.gate not in ECHO_GATES:
        fail("echo.gate", f"one of {ECHO_GATES}")
    if not _is_real(config.echo.gate_init):
        fail("echo.gate_init", "a finite number (the gate's initial log α)")
    integer("echo.prune_every", 1)
    if config.method == "echo" and config.echo.gate == "prune" and not config.validation_size:
        fail("validation_size", "an integer >= 1 when echo.gate = 'prune' (pruning measures "
             "the validation objective)")
    integer("rate_warmup_epochs", 0)
    if not _is_real(config.scale_bias_init):
        fail("scale_bias_init", "a finite number")
    if not (_is_real(config.mmd_weight) and config.mmd_weight >= 0):
        fail("mmd_weight", "a finite number >= 0")
    integer("flow.num_layers", 1)
    integer("flow.hidden_units", 1)
    integer("iwae_samples", 0, "an integer >= 0 (0: skip the IWAE bound)")
    integer("batch_size", 1)
    if config.method == "echo" and config.batch_size < 2:
        fail("batch_size", "at least 2 for echo noise (each example's noise is built from "
             "the other members of its batch); the paper used 100")
    integer("epochs", 1)
    if not (_is_real(config.learning_rate) and config.learning_rate > 0):
        fail("learning_rate", "a finite number > 0")
    if config.lr_schedule not in schedules.SCHEDULES:
        fail("lr_schedule", f"one of {schedules.SCHEDULES}")
    integer("lr_decay_start", 0)
    integer("early_stopping.patience", 0, "an integer >= 0 (0: train all epochs)")
    integer("early_stopping.min_epochs", 0)
    if not (_is_real(config.early_stopping.min_delta) and config.early_stopping.min_delta >= 0):
        fail("early_stopping.min_delta", "a finite number >= 0 (nats)")
    if config.early_stopping.patience and not config.validation_size:
        fail("validation_size", "an integer >= 1 when early_stopping.patience > 0 (early "
             "stopping watches the validation −ELBO)")
    integer("seed", 0)
    if config.strategy not in STRATEGIES:
        fail("strategy", f"one of {STRATEGIES}")
    if config.get("jit_compile") is not None and not isinstance(config.jit_compile, bool):
        fail("jit_compile", "None (by architecture), True or False")
    if config.precision not in PRECISIONS:
        fail("precision", f"one of {PRECISIONS}")


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


def evaluation_seed(config):
    """The seed of a point's recorded test and validation numbers (`VAE.evaluate_seeded`),
    derived from config.seed with `numpy.random.SeedSequence`."""
    return int(np.random.SeedSequence([int(config.seed), 0xE7A1]).generate_state(1)[0]
               % (2**31 - 1))


def point_name(config):
    """A readable, file-system-safe name for a point: dataset-method-arch-β-seed, then the
    values of the sweep grid's other fields (e.g. `-latent_dim16-echo.gate_prune`)."""
    return (f"{config.dataset}-{config.method}-{config.architecture}"
            f"-beta{config.beta:g}-seed{config.seed}"
            + grid_lib.point_suffix(grid_lib.swept_values(config)))


class DataSplits:
    """Training, validation and test images of a config, and a description of the subsets."""

    def __init__(self, train, validation, test, description):
        self.train, self.validation, self.test = train, validation, test
        self.description = description


@functools.lru_cache(maxsize=8)
def _load(dataset, split, data_dir):
    return data_lib.load(dataset, split, data_dir=data_dir or None)[0]


def data_splits(config):
    """The config's training / validation / test images, binarized as asked.

    The validation split is carved from the *end* of the training split (FashionMNIST:
    the paper trains on the first 50,000 images; validation_size 10,000 holds out the rest).
    When `train_split == test_split` (e.g. MNIST's test set, the only MNIST here) the test
    part is the last `test_size` examples of that split and training uses what precedes.
    """
    train_all = _load(config.dataset, config.train_split, config.data_dir)
    if config.train_split == config.test_split:
        if config.test_size >= len(train_all):
            raise errors.ConfigError(
                f"config.test_size = {config.test_size}: the {config.train_split} split has "
                f"only {len(train_all)} examples to share between training and test.")
        pool_end = len(train_all) - config.test_size
        test = train_all[pool_end:]
        test_span = (config.test_split, pool_end, len(train_all))
    else:
        test_all = _load(config.dataset, config.test_split, config.data_dir)
        if config.test_size > len(test_all):
            raise errors.ConfigError(f"config.test_size = {config.test_size}: the "
                                     f"{config.test_split} split has {len(test_all)} examples.")
        pool_end = len(train_all)
        test = test_all[:config.test_size or None]
        test_span = (config.test_split, 0, len(test))
    train_end = pool_end - config.validation_size
    if train_end < 1:
        raise errors.ConfigError(
            f"config.validation_size = {config.validation_size}: leaves no training examples "
            f"(the {config.train_split} split has {pool_end} to share).")
    if config.train_size > train_end:
        raise errors.ConfigError(
            f"config.train_size = {config.train_size}: only {train_end} training examples "
            f"remain in {config.train_split} after the validation and test parts.")
    train = train_all[:config.train_size or train_end]
    validation = train_all[train_end:pool_end]
    for name, images in (("training", train), ("test", test), ("validation", validation)):
        if len(images) < config.batch_size and (name != "validation" or len(images)):
            raise errors.ConfigError(f"config.batch_size = {config.batch_size} exceeds the "
                                     f"{len(images)} {name} examples.")
    mode = config.binarize
    train = data_lib.binarize(train, mode if mode != "dynamic" else "none", seed=0)
    held_out = "fixed" if mode == "dynamic" else mode
    validation = data_lib.binarize(validation, held_out, seed=_VALIDATION_BITS_SEED)
    test = data_lib.binarize(test, held_out, seed=_TEST_BITS_SEED)
    parts = [f"training {config.train_split}[0:{len(train)}]"]
    if len(validation):
        parts.append(f"validation {config.train_split}[{train_end}:{pool_end}]")
    parts.append("test {}[{}:{}]".format(*test_span))
    return DataSplits(train, validation, test, f"{config.dataset}: " + ", ".join(parts))


def _read_json(path):
    return json.loads(pathlib.Path(path).read_text())


def _check_workdir(config, workdir):
    """Refuses a workdir whose checkpoint or result came from other settings."""
    fingerprint = checkpoint_lib.fingerprint(config)
    stored_path = workdir / "fingerprint.json"
    if stored_path.exists():
        stored = _read_json(stored_path)
        if stored["fingerprint"] != fingerprint:
            work = [name for name in ("result.json", "checkpoint.npz")
                    if (workdir / name).exists()]
            if work:
                what = "a finished result" if "result.json" in work else "a checkpoint"
                raise errors.WorkdirError(
                    f"{workdir} holds {what} trained with other settings ("
                    + checkpoint_lib.differences(stored["settings"],
                                                 checkpoint_lib.config_dict(config))
                    + "). Resuming or reusing it would mix two experiments: use another "
                    f"workdir, or delete {workdir} to start this point afresh.")
    checkpoint_lib.write_atomic(stored_path, json.dumps(
        {"fingerprint": fingerprint, "settings": checkpoint_lib.config_dict(config)},
        indent=2, sort_keys=True))
    return fingerprint


def finished_record(config, workdir):
    """The stored result of this exact point in `workdir`, or None if it has not finished.

    Raises:
      WorkdirError: the workdir's result was made with other settings.
    """
    workdir = pathlib.Path(workdir)
    if not (workdir / "result.json").exists():
        return None
    record = _read_json(workdir / "result.json")
    if record.get("fingerprint") != checkpoint_lib.fingerprint(config):
        _check_workdir(config, workdir)  # raises, naming the differences
    return record


def _all_finite(values):
    return all(math.isfinite(v) for v in values)


class _Bookkeeping(keras.callbacks.Callback):
    """Divergence checks, early stopping, history, progress lines and per-epoch checkpoints."""

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
            "the last good epoch's checkpoint is kept.")

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
        if isinstance(self.model.channel, echo_lib.EchoNoise):
            entry["active_dimensions"] = int(self.model.channel.active_dimensions().sum())
        state = self.state
        if "val_rate" in logs:
            entry["val_neg_elbo"] = logs["val_rate"] + logs["val_distortion"]
            es = self.config.early_stopping
            if entry["val_neg_elbo"] < state["best_value"] - es.min_delta:
                state.update(best_value=entry["val_neg_elbo"], best_epoch=epoch + 1, wait=0)
                if es.patience:
                    self.best_weights = [v.numpy() for v in self.model.variables]
            else:
                state["wait"] += 1
            if es.patience and epoch + 1 >= es.min_epochs and state["wait"] >= es.patience:
                state["stopped_early"] = True
                self.model.stop_training = True
        state["history"].append(entry)
        state["next_epoch"] = epoch + 1
        checkpoint_lib.save(self.path, self.model, state, self.best_weights)
        if self.log:
            val = (f", val R {logs['val_rate']:.2f} D {logs['val_distortion']:.2f} −ELBO "
                   f"{entry['val_neg_elbo']:.2f} (best {state['best_value']:.2f} at epoch "
                   f"{state['best_epoch']})" if "val_rate" in logs else "")
            dims = (f", {entry['active_dimensions']}/{self.config.latent_dim} dims on"
                    if "active_dimensions" in entry else "")
            self.log(f"  {self.name} epoch {epoch + 1}/{self.config.epochs}: train −ELBO "
                     f"{-logs['elbo']:.2f}{val}{dims}, lr {entry['learning_rate']:.2g}, "
                     f"{entry['seconds']:.1f} s")


def _dimensions_at_the_floor(model, images, config):
    """(active echo dimensions whose mean test rate is within 1 % of −log(clip), active
    dimensions), or None for a Gaussian channel."""
    if not isinstance(model.channel, echo_lib.EchoNoise):
        return None
    images = images[:max(config.batch_size, 1000)]
    per_dim = np.mean(model.rate_per_dimension(images).numpy(), axis=0)
    active = model.channel.active_dimensions()
    floor = -math.log(model.channel.clip)
    return int(np.sum(active & (per_dim <= 1.01 * floor))), int(active.sum())


def _iwae(model, images, config):
    if not config.iwae_samples or config.method == "echo":
        return None
    ds = data_lib.make_dataset(images, config.batch_size, shuffle=False)
    return float(np.mean(np.concatenate([
        vae_lib.importance_weighted_nll(model, batch, config.iwae_samples, seed=k,
                                        samples_per_pass=10).numpy()
        for k, batch in enumerate(ds)])))


def _draw_pictures(model, test, workdir, config):
    x = test[:16]
    logits = model(tf.constant(x), training=False)[0]
    plotting.plot_reconstructions(
        x, tf.sigmoid(tf.cast(logits, tf.float32)).numpy(), workdir / "reconstructions.png",
        title=f"{config.method}, β = {config.beta:g}: test images (odd rows), "
              "reconstructions (even rows)")
    pool = test[:max(config.batch_size, 65)]
    z = model.sample_latents(64, seed=config.seed, x=pool)
    means = tf.sigmoid(tf.cast(model.decoder(z), tf.float32)).numpy()
    source = ("decoded echo noise from test codes (exact draws of q(z))"
              if isinstance(model.channel, echo_lib.EchoNoise) else "decoded prior draws")
    plotting.plot_image_grid(means, workdir / "samples.png",
                             title=f"{config.method}, β = {config.beta:g}: {source}")


def train_and_evaluate(config, workdir, verbose=1, callbacks=(), log=print):
    """Trains one point to `config.epochs` (or early stopping), resuming, and evaluates it.

    Args:
      config: a training ConfigDict (see `configs/default.py`).
      workdir: the point's directory (see the module docstring for what goes there).
      verbose: 0 silent, 1 a progress line per epoch (through `log`).
      callbacks: extra Keras callbacks.
      log: a print-like function.

    Returns:
      The result record: the point's identity and settings, test and validation rate,
      distortion and −ELBO in nats/image (validation: None without a validation split),
      the final-epoch training values, the test IWAE bound on −log p(x) for the
      Gaussian-channel methods, epochs trained and the best validation epoch, wall time,
      data sizes and subset, and the settings' fingerprint. A point that already finished in
      `workdir` under the same settings is not retrained: its stored record is returned.

    Raises:
      ConfigError: a bad config field (named).
      WorkdirError: `workdir` holds a checkpoint or result of other settings.
      DivergenceError: a non-finite loss or metric (the point, epoch and settings named).
    """
    validate_config(config)
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    done = finished_record(config, workdir)
    if done is not None:
        return done
    fingerprint = _check_workdir(config, workdir)
    name = point_name(config)
    policy = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(config.precision)
    try:
        keras.utils.set_random_seed(config.seed)
        splits = data_splits(config)
        steps = len(splits.train) // config.batch_size
        strategy = make_strategy(config.strategy)
        with strategy.scope():
            model = vae_lib.build_vae(
                config.method, config.architecture, config.latent_dim, config.beta,
                max_terms=config.echo.max_terms, clip=config.echo.clip,
                f_scale=config.echo.f_scale, mmd_weight=config.mmd_weight,
                flow_layers=config.flow.num_layers, flow_hidden_units=config.flow.hidden_units,
                seed=config.seed, scale_bias_init=config.scale_bias_init,
                gate="hard_concrete" if config.echo.gate == "hard_concrete" else "none",
                gate_init=config.echo.gate_init,
                rate_warmup_steps=config.rate_warmup_epochs * steps)
            model.compile(optimizer=keras.optimizers.Adam(schedules.learning_rate(config, steps)),
                          jit_compile=resolve_jit_compile(config))
            path = workdir / "checkpoint.npz"
            state = {"next_epoch": 0, "history": [], "best_value": math.inf, "best_epoch": None,
                     "wait": 0, "stopped_early": False, "fingerprint": fingerprint}
            best_weights = None
            if path.exists():
                state, best_weights = checkpoint_lib.restore(path, model)
                if verbose:
                    log(f"  {name}: resuming after epoch {state['next_epoch']} from {path}")
        bookkeeping = _Bookkeeping(config, path, state, best_weights, name,
                                   log if verbose else None)
        if not state["stopped_early"] and state["next_epoch"] < config.epochs:
            train_ds = data_lib.make_dataset(
                splits.train, config.batch_size, shuffle=True,
                dynamic_binarization=config.binarize == "dynamic", seed=config.seed,
                epochs=None, initial_epoch=state["next_epoch"])  # fit takes `steps` a epoch
            val_ds = (data_lib.make_dataset(splits.validation, config.batch_size, shuffle=False)
                      if len(splits.validation) else None)
            extra = [keras.callbacks.TensorBoard(str(workdir / "tensorboard"), write_graph=False)
                     ] if config.tensorboard else []
            # Pruning runs before the bookkeeping so that the epoch's checkpoint holds the mask.
            prune = ([pruning.PruneDimensions(splits.validation, config.echo.prune_every,
                                              batch_size=config.batch_size, seed=config.seed,
                                              log=log if verbose else None)]
                     if config.method == "echo" and config.echo.gate == "prune" else [])
            model.fit(train_ds, epochs=config.epochs, initial_epoch=state["next_epoch"],
                      steps_per_epoch=steps, validation_data=val_ds, verbose=0, shuffle=False,
                      callbacks=[*prune, bookkeeping, *extra, *callbacks])
        if config.early_stopping.patience and bookkeeping.best_weights is not None:
            for variable, value in zip(model.variables, bookkeeping.best_weights):
                variable.assign(value)
        history = state["history"]
        last = history[-1] if history else {}

        eval_seed = evaluation_seed(config)

        def evaluate(images):
            if not len(images):
                return None
            return model.evaluate_seeded(images, config.batch_size, eval_seed)

        test, val = evaluate(splits.test), evaluate(splits.validation)
        floor = _dimensions_at_the_floor(model, splits.test, config)
        if floor is not None and floor[0] == floor[1] and verbose:
            log(f"  {name}: note: all {floor[1]} active echo dimensions sit at the rate floor "
                f"−log(clip) = {-math.log(model.channel.clip):.3f} nats: the encoder does not "
                "use the channel yet, so reconstructions and samples are close to the mean "
                "image. Expected after a few epochs on little data; train longer (converged "
                "points improve for 50–150 epochs) or set rate_warmup_epochs.")
        record = {
            "dataset": config.dataset, "method": config.method,
            "architecture": config.architecture, "beta": float(config.beta),
            "seed": int(config.seed), "latent_dim": int(config.latent_dim),
            "data_subset": splits.description, "binarize": config.binarize,
            "epochs": int(config.epochs), "epochs_trained": len(history),
            "best_epoch": state["best_epoch"], "stopped_early": bool(state["stopped_early"]),
            "batch_size": int(config.batch_size), "learning_rate": float(config.learning_rate),
            "lr_schedule": config.lr_schedule,
            "rate_warmup_epochs": int(config.rate_warmup_epochs),
            "gate": config.echo.gate if config.method == "echo" else None,
            "active_dimensions": (int(model.channel.active_dimensions().sum())
                                  if config.method == "echo" else None),
            "floor_dimensions": None if floor is None else floor[0],
            "train_examples": len(splits.train), "validation_examples": len(splits.validation),
            "test_examples": test["examples"], "evaluation_seed": eval_seed,
            "test_rate": float(test["rate"]), "test_distortion": float(test["distortion"]),
            "test_neg_elbo": float(test["rate"] + test["distortion"]),
            "val_rate": None if val is None else float(val["rate"]),
            "val_distortion": None if val is None else float(val["distortion"]),
            "val_neg_elbo": None if val is None else float(val["rate"] + val["distortion"]),
            "test_iwae_nll": _iwae(model, splits.test, config),
            "iwae_samples": None if config.method == "echo" or not config.iwae_samples
            else int(config.iwae_samples),
            "train_rate": last.get("rate"), "train_distortion": last.get("distortion"),
            "train_neg_elbo": None if "elbo" not in last else -last["elbo"],
            "wall_seconds": round(sum(h["seconds"] for h in history), 2),
            "units": "nats/image", "fingerprint": fingerprint,
            "swept": grid_lib.swept_values(config),
        }
        bad = {k: v for k, v in record.items() if isinstance(v, float) and not math.isfinite(v)}
        if bad:
            raise errors.DivergenceError(f"point {name} finished training but evaluated to "
                                         f"non-finite values {bad}; nothing was recorded.")
        checkpoint_lib.write_atomic(workdir / "history.json", json.dumps(history, indent=1))
        if config.save_model:
            model.save(workdir / "model.keras")
        _draw_pictures(model, splits.test, workdir, config)
        checkpoint_lib.write_atomic(workdir / "result.json", json.dumps(record, indent=2,
                                                                        allow_nan=False))
        path.unlink(missing_ok=True)
        return record
    finally:
        keras.mixed_precision.set_global_policy(policy)
