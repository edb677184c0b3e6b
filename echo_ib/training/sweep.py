"""β-sweeps: one fresh model per (method, β, seed), results appended as JSON lines.

`run_sweep(config, workdir)` trains every point of the grid `config.sweep.methods ×
config.sweep.betas × config.sweep.seeds` that `<workdir>/results.jsonl` does not already
hold, so a re-run picks up where a killed one stopped. Each point checkpoints every epoch
(`keras.callbacks.BackupAndRestore` under `<workdir>/points/<point>/backup`), so a point
killed mid-training resumes from its last finished epoch; TensorBoard summaries go to
`<workdir>/points/<point>/tensorboard`. Finished results are drawn to
`<workdir>/rate_distortion.png` from the results file alone.
"""

import concurrent.futures
import copy
import functools
import json
import multiprocessing
import pathlib
import time

import keras
import ml_collections
import numpy as np
import tensorflow as tf

from echo_ib import data as data_lib
from echo_ib import plotting
from echo_ib.models import vae as vae_lib
from echo_ib.training import results as results_lib

__all__ = [
    "STRATEGIES",
    "make_strategy",
    "point_name",
    "resolve_jit_compile",
    "run_sweep",
    "sweep_points",
    "train_and_evaluate",
    "validate_config",
]

STRATEGIES = ("default", "mirrored", "multi_worker")


def validate_config(config):
    """Raises ValueError naming the first bad field of a training config."""
    def fail(field, expected):
        raise ValueError(f"config.{field} = {config.get(field)!r}: expected {expected}.")

    if config.dataset not in data_lib.DATASETS or config.dataset == "twelve_bit":
        fail("dataset", f"one of {[d for d in data_lib.DATASETS if d != 'twelve_bit']}")
    if config.method not in vae_lib.METHODS:
        fail("method", f"one of {vae_lib.METHODS}")
    if config.architecture not in vae_lib.ARCHITECTURES:
        fail("architecture", f"one of {vae_lib.ARCHITECTURES}")
    betas = {"beta": [config.beta]}
    if "sweep" in config:
        betas["sweep.betas"] = list(config.sweep.betas)
    for field, values in betas.items():
        for b in values:
            if not (isinstance(b, (int, float)) and np.isfinite(b) and b >= 0):
                raise ValueError(f"config.{field} holds {b!r}: every β must be a finite number "
                                 ">= 0 (β weighs the rate; a negative β rewards information).")
    if "sweep" in config:
        for m in config.sweep.methods:
            if m not in vae_lib.METHODS:
                raise ValueError(f"config.sweep.methods holds {m!r}: expected methods from "
                                 f"{vae_lib.METHODS}.")
    if config.batch_size < 1:
        fail("batch_size", "an integer >= 1")
    methods = set(config.sweep.methods) if "sweep" in config else {config.method}
    if "echo" in methods and config.batch_size < 2:
        fail("batch_size", "at least 2 for echo noise (each example's noise is built from "
             "the other members of its batch); the paper used 100")
    if config.epochs < 1:
        fail("epochs", "an integer >= 1")
    if not config.learning_rate > 0:
        fail("learning_rate", "a number > 0")
    if config.strategy not in STRATEGIES:
        fail("strategy", f"one of {STRATEGIES}")
    if config.binarize not in data_lib.BINARIZATIONS:
        fail("binarize", f"one of {data_lib.BINARIZATIONS}")


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


def point_name(config):
    """A readable, file-system-safe name for a sweep point."""
    return (f"{config.dataset}-{config.method}-{config.architecture}"
            f"-beta{config.beta:g}-seed{config.seed}")


def sweep_points(config):
    """The grid of point configs: methods × betas × seeds, in that nesting order."""
    points = []
    for method in config.sweep.methods:
        for beta in config.sweep.betas:
            for seed in config.sweep.seeds:
                point = copy.deepcopy(config)
                with point.unlocked():
                    point.method, point.beta, point.seed = method, float(beta), int(seed)
                points.append(point)
    return points


@functools.lru_cache(maxsize=8)
def _load(dataset, split, data_dir):
    return data_lib.load(dataset, split, data_dir=data_dir or None)[0]


def _datasets(config):
    train = _load(config.dataset, config.train_split, config.data_dir)
    if config.train_size:
        train = train[: config.train_size]
    test = _load(config.dataset, config.test_split, config.data_dir)
    if config.test_size:
        test = test[: config.test_size]
    dynamic = config.binarize == "dynamic"
    train = data_lib.binarize(train, None if dynamic else config.binarize, seed=config.seed)
    # The test set is binarized once with a fixed seed so every method sees the same bits.
    test = data_lib.binarize(test, "fixed" if dynamic else config.binarize, seed=12345)
    if len(train) < config.batch_size or len(test) < config.batch_size:
        raise ValueError(f"batch_size {config.batch_size} exceeds the data "
                         f"({len(train)} train / {len(test)} test examples).")
    train_ds = data_lib.make_dataset(train, config.batch_size, shuffle=True,
                                     dynamic_binarization=dynamic, seed=config.seed)
    test_ds = data_lib.make_dataset(test, config.batch_size, shuffle=False)
    return train_ds, test_ds, len(train), len(test)


def train_and_evaluate(config, workdir, verbose=2, callbacks=()):
    """Trains one model to `config.epochs`, resuming from its backup, and evaluates it.

    Args:
      config: a training ConfigDict (see `configs/default.py`).
      workdir: the point's directory (backup/ and tensorboard/ go inside).
      verbose: Keras verbosity (2: one line per epoch).
      callbacks: extra Keras callbacks.

    Returns:
      The result record: the point's identity, test and final-epoch train rate, distortion
      and −ELBO in nats/image, the test IWAE bound on −log p(x) for Gaussian-channel
      methods (`config.iwae_samples` draws; None for echo), epochs, wall time and sizes.
    """
    validate_config(config)
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(config.seed)
    train_ds, test_ds, n_train, n_test = _datasets(config)
    strategy = make_strategy(config.strategy)
    with strategy.scope():
        model = vae_lib.build_vae(
            config.method, config.architecture, config.latent_dim, config.beta,
            max_terms=config.echo.max_terms, clip=config.echo.clip,
            f_scale=config.echo.f_scale, mmd_weight=config.mmd_weight,
            flow_layers=config.flow.num_layers, flow_hidden_units=config.flow.hidden_units,
            seed=config.seed)
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate),
                      jit_compile=resolve_jit_compile(config))
    start = time.time()
    history = model.fit(
        train_ds, epochs=config.epochs, verbose=verbose, shuffle=False,  # ds shuffles
        callbacks=[keras.callbacks.BackupAndRestore(str(workdir / "backup")),
                   keras.callbacks.TensorBoard(str(workdir / "tensorboard"),
                                               write_graph=False), *callbacks])
    train_seconds = time.time() - start
    test = model.evaluate(test_ds, verbose=0, return_dict=True)
    iwae = None
    if config.iwae_samples and config.method != "echo":
        iwae = float(np.mean(np.concatenate([
            vae_lib.importance_weighted_nll(model, batch, config.iwae_samples, seed=k,
                                            samples_per_pass=10).numpy()
            for k, batch in enumerate(test_ds)])))
    last = {k: float(v[-1]) for k, v in history.history.items()} if history.history else {}
    return {
        "dataset": config.dataset, "method": config.method,
        "architecture": config.architecture, "beta": float(config.beta),
        "seed": int(config.seed), "latent_dim": int(config.latent_dim),
        "epochs": int(config.epochs), "batch_size": int(config.batch_size),
        "train_examples": n_train, "test_examples": n_test,
        "test_rate": float(test["rate"]), "test_distortion": float(test["distortion"]),
        "test_neg_elbo": float(test["rate"] + test["distortion"]),
        "test_iwae_nll": iwae, "iwae_samples": None if iwae is None else int(config.iwae_samples),
        "train_rate": last.get("rate"), "train_distortion": last.get("distortion"),
        "train_neg_elbo": None if "elbo" not in last else -last["elbo"],
        "wall_seconds": round(train_seconds, 2), "units": "nats/image",
    }


def _train_point_in_subprocess(config_json, point_dir):
    # TF's default thread pools, as in the serial path: the same reduction order, so the
    # same bits as a serial run (thread counts change how Eigen splits sums).
    config = ml_collections.ConfigDict(json.loads(config_json))
    return train_and_evaluate(config, point_dir, verbose=0)


def _flatten(d, prefix=""):
    out = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _check_same_experiment(config, config_path, results_path):
    """Refuses a workdir whose finished points were trained with other settings.

    Points are keyed by (dataset, method, architecture, β, seed) only, so resuming with,
    say, other epochs would silently mix experiments. The sweep grid itself may change.
    """
    current = _flatten(json.loads(config.to_json_best_effort()))
    if config_path.exists() and results_path.exists():
        stored = _flatten(json.loads(config_path.read_text()))
        ignored = ("sweep.", "method", "beta", "seed")
        differ = sorted(k for k in set(stored) | set(current)
                        if not k.startswith(ignored) and stored.get(k) != current.get(k))
        if differ:
            details = ", ".join(f"{k}: {stored.get(k)!r} -> {current.get(k)!r}" for k in differ)
            raise ValueError(f"{config_path.parent} holds results of a sweep with other settings "
                             f"({details}); use a new workdir.")
    config_path.write_text(config.to_json_best_effort(indent=2))


def run_sweep(config, workdir, parallel=1, log=print):
    """Trains every unfinished point of the sweep grid and draws the rate–distortion plot.

    Args:
      config: a sweep ConfigDict (training fields plus `sweep.methods/betas/seeds`).
      workdir: where results.jsonl, points/ and rate_distortion.png live.
      parallel: number of points trained at once, each in its own process (sharing the
        results file under a lock; results are bit-identical to a serial run). Each process
        uses TF's default thread pools, so on a machine with few cores the gain is small.
        Default value: 1 (in this process).
      log: a print-like function for progress lines.

    Returns:
      All records in the results file after the sweep.
    """
    validate_config(config)
    if parallel < 1:
        raise ValueError(f"parallel must be >= 1, got {parallel}.")
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results_path = workdir / "results.jsonl"
    _check_same_experiment(config, workdir / "config.json", results_path)
    done = {results_lib.point_key(r) for r in results_lib.read_results(results_path)}
    points = sweep_points(config)
    todo = [p for p in points if results_lib.point_key(p) not in done]
    log(f"sweep: {len(points)} points, {len(points) - len(todo)} already in {results_path}, "
        f"{len(todo)} to train" + (f" ({parallel} at a time)" if parallel > 1 else ""))

    def record(number, point, result):
        results_lib.append_result(results_path, result)
        log(f"[{number}/{len(todo)}] {point_name(point)}: test rate {result['test_rate']:.2f}, "
            f"distortion {result['test_distortion']:.2f}, -ELBO {result['test_neg_elbo']:.2f} "
            f"nats ({result['wall_seconds']:.0f} s)")

    if parallel == 1:
        for number, point in enumerate(todo, 1):
            log(f"[{number}/{len(todo)}] training {point_name(point)} "
                f"for {point.epochs} epochs")
            record(number, point, train_and_evaluate(point, workdir / "points" /
                                                     point_name(point)))
    elif todo:
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(parallel, mp_context=context) as pool:
            futures = {pool.submit(_train_point_in_subprocess, p.to_json(),
                                   str(workdir / "points" / point_name(p))): p
                       for p in todo}
            for number, future in enumerate(concurrent.futures.as_completed(futures), 1):
                record(number, futures[future], future.result())

    records = results_lib.read_results(results_path)
    if records:
        png = plotting.plot_rate_distortion(records, workdir / "rate_distortion.png")
        log(f"results: {results_path}\nplot:    {png}")
    return records
