"""Tests of the sweep trainer: smoke runs, bookkeeping, resumption and config errors."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from echo_ib.training import results, sweep
from tests.data.helpers import write_idx

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from configs import default  # noqa: E402


@pytest.fixture(scope="module")
def tiny_data_dir(tmp_path_factory):
    """A 400-image MNIST look-alike in IDX files (blobs of varying size).

    Only the train files: MNIST's real test files are recognised by their digest.
    """
    folder = tmp_path_factory.mktemp("tiny_mnist")
    rng = np.random.default_rng(0)
    for split, n in (("train", 400),):
        yy, xx = np.mgrid[:28, :28]
        radius = rng.uniform(3, 12, size=(n, 1, 1))
        images = (((yy - 14) ** 2 + (xx - 14) ** 2) < radius**2) * 255
        write_idx(folder / f"{split}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{split}-labels-idx1-ubyte.gz", rng.integers(0, 10, n))
    return folder


def tiny_config(data_dir, **overrides):
    config = default.get_config()
    config.dataset = "mnist"  # the tiny files use MNIST's names and are read as such
    config.data_dir = str(data_dir)
    config.test_split = "train"
    config.test_size = 200
    config.epochs = 1
    config.batch_size = 50
    config.latent_dim = 4
    config.sweep.betas = [1.0]
    for key, value in overrides.items():
        target = config
        *parents, leaf = key.split(".")
        for p in parents:
            target = target[p]
        target[leaf] = value
    return config


@pytest.mark.parametrize("method", ["echo", "vae", "infovae", "flow"])
def test_one_epoch_smoke_run_per_method(method, tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, method=method)
    record = sweep.train_and_evaluate(config, tmp_path, verbose=0)
    assert record["method"] == method and record["epochs"] == 1
    for split in ("train", "test"):
        rate, dist, neg_elbo = (record[f"{split}_{k}"] for k in ("rate", "distortion",
                                                                  "neg_elbo"))
        assert np.isfinite([rate, dist, neg_elbo]).all()
        assert neg_elbo == pytest.approx(rate + dist, rel=1e-5)  # −ELBO = R + D
        assert 0 < dist < 784 * np.log(2) * 2
    if method == "echo":
        assert record["test_iwae_nll"] is None  # no density q(z|x) to weight by
    else:  # IWAE_k ≤ −ELBO in expectation (Burda et al. 2016, Thm. 1)
        assert record["test_iwae_nll"] < record["test_neg_elbo"]


def test_conv_architecture_smoke(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, architecture="conv", train_size=100, test_size=100)
    record = sweep.train_and_evaluate(config, tmp_path, verbose=0)
    assert np.isfinite(record["test_neg_elbo"])


class _KillAtEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.kill_epoch = epoch
        self.started = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started.append(epoch)
        if epoch == self.kill_epoch:
            raise KeyboardInterrupt("simulated kill")


def test_point_killed_mid_training_resumes_from_its_last_epoch(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, epochs=3)
    killer = _KillAtEpoch(2)
    with pytest.raises(KeyboardInterrupt):
        sweep.train_and_evaluate(config, tmp_path, verbose=0, callbacks=[killer])
    assert (tmp_path / "backup").is_dir()
    watcher = _KillAtEpoch(-1)
    record = sweep.train_and_evaluate(config, tmp_path, verbose=0, callbacks=[watcher])
    assert watcher.started == [2]  # epochs 0 and 1 were restored, not retrained
    assert record["epochs"] == 3
    assert not (tmp_path / "backup").exists()  # removed once the point finished


def test_sweep_killed_by_a_signal_loses_no_finished_point(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, epochs=2, batch_size=100)
    config_file = tmp_path / "tiny_config.py"
    config_file.write_text(
        "import ml_collections\n"
        f"def get_config():\n    return ml_collections.ConfigDict({config.to_dict()!r})\n")
    workdir = tmp_path / "work"
    command = [sys.executable, str(REPO / "experiments" / "sweep.py"),
               f"--config={config_file}", f"--workdir={workdir}", "--betas=0.5,1,2",
               "--methods=vae"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results_path = workdir / "results.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        if results_path.exists() and len(results_path.read_text().splitlines()) >= 1:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    first = results_path.read_text().splitlines()
    assert 1 <= len(first) < 3, "the kill should land between the first and last point"
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = results_path.read_text().splitlines()
    assert lines[: len(first)] == first  # finished points untouched
    records = [json.loads(line) for line in lines]
    assert sorted(r["beta"] for r in records) == [0.5, 1.0, 2.0]  # each point exactly once
    assert (workdir / "rate_distortion.png").stat().st_size > 0


def test_rerun_skips_finished_points(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, train_size=100, test_size=100)
    config.sweep.methods = ["vae"]
    logs = []
    first = sweep.run_sweep(config, tmp_path, log=logs.append)
    again = sweep.run_sweep(config, tmp_path, log=logs.append)
    assert first == again
    summary = [line for line in logs if line.startswith("sweep:")][-1]
    assert "1 already in" in summary and "0 to train" in summary


@pytest.mark.parametrize("field,value,message", [
    ("beta", -0.5, "finite number >= 0"),
    ("sweep.betas", [1.0, -1.0], "every β"),
    ("dataset", "cifar10", "config.dataset"),
    ("method", "gan", "config.method"),
    ("sweep.methods", ["echo", "gan"], "sweep.methods"),
    ("batch_size", 1, "at least 2 for echo"),
    ("strategy", "tpu", "config.strategy"),
    ("binarize", "soft", "binarize"),
    ("epochs", 0, "config.epochs"),
])
def test_bad_config_values_are_named(field, value, message, tmp_path):
    config = tiny_config(tmp_path, **{field: value})
    with pytest.raises(ValueError, match=message):
        sweep.validate_config(config)


def test_sweep_points_cover_the_grid():
    config = default.get_config()
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.5, 1.0]
    config.sweep.seeds = [0, 1, 2]
    points = sweep.sweep_points(config)
    assert len({results.point_key(p) for p in points}) == 12


def test_parallel_sweep_is_identical_to_a_serial_one(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, train_size=200, test_size=100)
    config.sweep.methods = ["echo", "vae"]

    def key(r):
        return results.point_key(r)

    serial = sweep.run_sweep(config, tmp_path / "serial", parallel=1, log=lambda *a: None)
    parallel = sweep.run_sweep(config, tmp_path / "parallel", parallel=2, log=lambda *a: None)
    assert len(serial) == len(parallel) == 2
    for a, b in zip(sorted(serial, key=key), sorted(parallel, key=key)):
        for field in ("test_rate", "test_distortion", "train_rate", "train_distortion"):
            assert a[field] == b[field], field  # bit for bit


def test_resuming_with_other_settings_is_refused(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, train_size=100, test_size=100)
    config.sweep.methods = ["vae"]
    sweep.run_sweep(config, tmp_path, log=lambda *a: None)
    config.sweep.betas = [1.0, 2.0]  # a wider grid is fine...
    config.sweep.betas = [1.0]
    config.epochs = 2  # ...other training settings are not
    with pytest.raises(ValueError, match="epochs: 1 -> 2"):
        sweep.run_sweep(config, tmp_path, log=lambda *a: None)
