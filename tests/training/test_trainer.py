"""Tests of training one point: smoke runs, splits, saved model, resumption, divergence,
stale checkpoints, early stopping and the config checks."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

import echo_ib  # noqa: F401  (registers the layers for load_model)
from echo_ib import errors
from echo_ib.models import vae
from echo_ib.data import splits as splits_lib
from echo_ib.training import checkpoint, config_schema, runtime, trainer
from tests.helpers import tiny_config

pytestmark = pytest.mark.slow  # trains models or starts processes


@pytest.mark.parametrize("method,jit_compile", [("echo", True), ("echo", False),
                                                ("vae", True), ("infovae", False),
                                                ("flow", False)])
def test_one_epoch_smoke_run_per_method(method, jit_compile, tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, method=method, jit_compile=jit_compile,
                         run_eagerly=False)  # the traced step, with and without XLA
    record = trainer.train_and_evaluate(config, tmp_path, verbose=0)
    assert record["method"] == method and record["epochs_trained"] == 1
    for split in ("train", "val", "test"):
        rate, dist, neg_elbo = (record[f"{split}_{k}"] for k in ("rate", "distortion",
                                                                  "neg_elbo"))
        assert np.isfinite([rate, dist, neg_elbo]).all()
        assert neg_elbo == pytest.approx(rate + dist, rel=1e-5)  # −ELBO = R + D
        assert 0 < dist < 784 * np.log(2) * 2
    if method == "echo":
        assert record["test_iwae_nll"] is None  # no density q(z|x) to weight by
    else:  # IWAE_k ≤ −ELBO in expectation (Burda et al. 2016, Thm. 1)
        assert record["test_iwae_nll"] < record["test_neg_elbo"]
    for name in ("model.keras", "reconstructions.png", "samples.png", "history.json",
                 "result.json", "fingerprint.json"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert not (tmp_path / "checkpoint.npz").exists()  # removed once the point finished
    assert json.loads((tmp_path / "result.json").read_text()) == record


def test_splits_are_disjoint_and_named(tiny_data_dir):
    config = tiny_config(tiny_data_dir, train_size=150, binarize="none")
    splits = splits_lib.data_splits(config)
    assert (len(splits.train), len(splits.validation), len(splits.test)) == (150, 100, 100)
    # Same split for training and test: test = its last 100, validation the 100 before.
    everything = splits_lib._cached_load("mnist", "train", str(tiny_data_dir), True)
    np.testing.assert_array_equal(splits.test, everything[300:])
    np.testing.assert_array_equal(splits.validation, everything[200:300])
    np.testing.assert_array_equal(splits.train, everything[:150])
    assert splits.description == ("mnist: training train[0:150], validation train[200:300], "
                                  "test train[300:400]")


def test_dynamic_binarization_keeps_held_out_bits_fixed(tiny_data_dir):
    config = tiny_config(tiny_data_dir, binarize="dynamic")
    first, second = splits_lib.data_splits(config), splits_lib.data_splits(config)
    assert set(np.unique(first.test)) <= {0.0, 1.0}
    np.testing.assert_array_equal(first.test, second.test)  # every method sees these bits


def test_paper_conv_is_the_authors_network():
    """Layer by layer against brekelma/echo experiments/configs/echo.json."""
    encoder, decoder = (vae.make_encoder("paper_conv", 32), vae.make_decoder("paper_conv", 32))

    def spec(layer):
        return (type(layer).__name__, layer.filters, layer.kernel_size[0], layer.strides[0],
                layer.padding, layer.activation.__name__)

    convs = [spec(l) for l in encoder.layers if "Conv" in type(l).__name__]
    assert convs == [("Conv2D", 32, 5, 1, "same", "relu"), ("Conv2D", 32, 5, 2, "same", "relu"),
                     ("Conv2D", 64, 5, 1, "same", "relu"), ("Conv2D", 64, 5, 2, "same", "relu"),
                     ("Conv2D", 256, 7, 1, "valid", "relu")]
    assert encoder.layers[-1].units == 64  # f(x) and S(x)'s logits, 32 each
    deconvs = [spec(l) for l in decoder.layers if "Conv" in type(l).__name__]
    assert deconvs == [
        ("Conv2DTranspose", 64, 7, 1, "valid", "relu"), ("Conv2DTranspose", 64, 5, 1, "same", "relu"),
        ("Conv2DTranspose", 64, 5, 2, "same", "relu"), ("Conv2DTranspose", 32, 5, 1, "same", "relu"),
        ("Conv2DTranspose", 32, 5, 2, "same", "relu"), ("Conv2DTranspose", 32, 4, 1, "same", "relu"),
        ("Conv2D", 1, 5, 1, "same", "linear")]  # the sigmoid is inside the Bernoulli loss
    assert decoder(tf.zeros((2, 32))).shape == (2, 28, 28, 1)


def test_saved_model_reproduces_the_recorded_test_numbers(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, method="echo", epochs=2)
    record = trainer.train_and_evaluate(config, tmp_path, verbose=0)
    model = keras.saving.load_model(tmp_path / "model.keras")
    test = splits_lib.data_splits(config).test
    draws = [[t.numpy() for t in model.compute_terms(test[k:k + 50])[:2]]
             for _ in range(8) for k in (0, 50)]
    distortion = np.stack([np.concatenate([d[0] for d in draws[r:r + 2]])
                           for r in range(0, 16, 2)])  # [8 noise draws, 100 examples]
    rate = np.concatenate([d[1] for d in draws[:2]])
    # The rate −Σ log S(x) is deterministic; the distortion is one noise draw per example,
    # so two evaluations differ by N(0, 2 E Var(D|x) / n): allow 4 such standard errors.
    assert rate.mean() == pytest.approx(record["test_rate"], rel=1e-5)
    se = np.sqrt(2 * distortion.var(axis=0, ddof=1).mean() / distortion.shape[1])
    assert abs(distortion[0].mean() - record["test_distortion"]) < 4 * se + 1e-4


class _KillAtEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.kill_epoch = epoch
        self.started = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started.append(epoch)
        if epoch == self.kill_epoch:
            raise KeyboardInterrupt("simulated kill")


def test_resumed_point_equals_an_uninterrupted_one(tiny_data_dir, tmp_path):
    """The noise streams, optimizer and data order continue exactly."""
    config = tiny_config(tiny_data_dir, method="echo", epochs=3, binarize="dynamic")
    whole = trainer.train_and_evaluate(config, tmp_path / "whole", verbose=0)
    with pytest.raises(KeyboardInterrupt):
        trainer.train_and_evaluate(config, tmp_path / "cut", verbose=0,
                                   callbacks=[_KillAtEpoch(2)])
    assert (tmp_path / "cut" / "checkpoint.npz").exists()
    watcher = _KillAtEpoch(-1)
    resumed = trainer.train_and_evaluate(config, tmp_path / "cut", verbose=0,
                                         callbacks=[watcher])
    assert watcher.started == [2]  # epochs 0 and 1 were restored, not retrained
    for key in ("train_rate", "train_distortion", "val_distortion", "test_rate",
                "test_distortion"):
        assert resumed[key] == whole[key], key  # bit for bit


def test_divergence_stops_at_once_and_records_nothing(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, method="vae", epochs=3, learning_rate=1e6)
    with pytest.raises(errors.DivergenceError) as error:
        trainer.train_and_evaluate(config, tmp_path, verbose=0)
    message = str(error.value)
    assert "mnist-vae-mlp-beta1-seed0 diverged at epoch 1" in message
    assert "learning_rate=1000000.0" in message
    assert "no epoch had finished, so there is no checkpoint" in message
    assert not (tmp_path / "result.json").exists()


def test_stale_checkpoint_is_refused(tiny_data_dir, tmp_path):
    """A checkpoint is resumed only under the settings that made it."""
    config = tiny_config(tiny_data_dir, method="echo", epochs=2)
    with pytest.raises(KeyboardInterrupt):
        trainer.train_and_evaluate(config, tmp_path, verbose=0, callbacks=[_KillAtEpoch(1)])
    other_lr = tiny_config(tiny_data_dir, method="echo", epochs=3, learning_rate=0.01)
    with pytest.raises(errors.WorkdirError, match="learning_rate: 0.001 -> 0.01") as error:
        trainer.train_and_evaluate(other_lr, tmp_path, verbose=0)
    assert "epochs: 2 -> 3" in str(error.value)
    other_method = tiny_config(tiny_data_dir, method="vae", beta=4.0, epochs=2)
    with pytest.raises(errors.WorkdirError, match="method: 'echo' -> 'vae'"):
        trainer.train_and_evaluate(other_method, tmp_path, verbose=0)


def test_a_finished_point_is_returned_not_retrained(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, method="vae")
    first = trainer.train_and_evaluate(config, tmp_path, verbose=0)
    watcher = _KillAtEpoch(0)  # would raise if any epoch started
    assert trainer.train_and_evaluate(config, tmp_path, verbose=0, callbacks=[watcher]) == first
    assert checkpoint.finished_record(config, tmp_path) == first
    with pytest.raises(errors.WorkdirError, match="finished result"):
        trainer.train_and_evaluate(tiny_config(tiny_data_dir, method="vae", beta=2.0), tmp_path)


def test_early_stopping_restores_the_best_epoch_and_without_it_the_last_is_evaluated(
        tiny_data_dir, tmp_path):
    # With an enormous min_delta no epoch after the first counts as an improvement, so
    # training stops after min_epochs = 2 and epoch 1 is the best.
    settings = {"early_stopping.min_epochs": 2, "early_stopping.min_delta": 1e9}
    config = tiny_config(tiny_data_dir, method="vae", epochs=5,
                         **{**settings, "early_stopping.patience": 1})
    record = trainer.train_and_evaluate(config, tmp_path / "restored", verbose=0)
    assert (record["epochs_trained"], record["best_epoch"], record["stopped_early"]) == (2, 1, True)
    assert record["evaluated_epoch"] == 1
    history = json.loads((tmp_path / "restored" / "history.json").read_text())
    assert [h["epoch"] for h in history] == [1, 2]
    # The same two epochs with early stopping off: epoch 1 stays the best, but nothing is
    # restored, so the last epoch's weights give the test numbers.
    last = trainer.train_and_evaluate(
        tiny_config(tiny_data_dir, method="vae", epochs=2,
                    **{**settings, "early_stopping.patience": 0}),
        tmp_path / "last", verbose=0)
    assert (last["best_epoch"], last["evaluated_epoch"], last["epochs_trained"]) == (1, 2, 2)
    assert last["train_neg_elbo"] == record["train_neg_elbo"]  # the same training
    assert last["test_neg_elbo"] != record["test_neg_elbo"]  # other weights evaluated


@pytest.mark.parametrize("field,value,message", [
    ("beta", -0.5, "finite number >= 0"),
    ("dataset", "cifar10", "config.dataset"),
    ("method", "gan", "config.method"),
    ("architecture", "resnet", "config.architecture"),
    ("batch_size", 1, "at least 2 for echo"),
    ("strategy", "tpu", "config.strategy"),
    ("binarize", "soft", "config.binarize"),
    ("epochs", 0, "config.epochs"),
    ("train_size", -100, "config.train_size = -100"),
    ("test_size", 0, "config.test_size"),
    ("validation_size", -1, "config.validation_size"),
    ("latent_dim", 0, "config.latent_dim"),
    ("seed", -1, "config.seed"),
    ("learning_rate", float("nan"), "config.learning_rate"),
    ("lr_schedule", "step", "config.lr_schedule"),
    ("echo.clip", 1.5, "config.echo.clip"),
    ("echo.max_terms", 0, "config.echo.max_terms"),
    ("precision", "float8", "config.precision"),
    ("train_split", "validation", "config.train_split"),
    ("data_dir", "/no/such/folder", "config.data_dir"),
    ("early_stopping.patience", -1, "config.early_stopping.patience"),
])
def test_bad_config_values_are_named(field, value, message, tiny_data_dir):
    config = tiny_config(tiny_data_dir, **{field: value})
    with pytest.raises(errors.ConfigError, match=message):
        config_schema.validate_config(config)


def test_early_stopping_needs_a_validation_split(tiny_data_dir):
    config = tiny_config(tiny_data_dir, validation_size=0, **{"early_stopping.patience": 3})
    with pytest.raises(errors.ConfigError, match="config.validation_size"):
        config_schema.validate_config(config)


def test_an_eager_step_cannot_be_xla_compiled(tiny_data_dir):
    config = tiny_config(tiny_data_dir, run_eagerly=True, jit_compile=True)
    with pytest.raises(errors.ConfigError, match="config.jit_compile = True: expected None or "
                                                 "False when run_eagerly is True"):
        config_schema.validate_config(config)
    config.jit_compile = None  # by architecture, which an eager step overrides
    config_schema.validate_config(config)
    assert not runtime.resolve_jit_compile(config)


def test_sizes_beyond_the_data_are_named(tiny_data_dir, tmp_path):
    with pytest.raises(errors.ConfigError, match="config.train_size = 5000"):
        trainer.train_and_evaluate(tiny_config(tiny_data_dir, train_size=5000), tmp_path)


@pytest.mark.parametrize("name", ["fashion_mnist_conv", "fashion_mnist_mlp"])
def test_paper_configs_run(name, tiny_data_dir, tmp_path):
    """The echo paper's protocol configs train (one epoch on the tiny data here)."""
    import importlib

    config = importlib.import_module(f"configs.paper.{name}").get_config()
    tiny = tiny_config(tiny_data_dir)
    with config.unlocked():
        for field in ("dataset", "data_dir", "test_split", "test_size", "validation_size",
                      "batch_size", "tensorboard"):
            config[field] = tiny[field]
        config.epochs, config.lr_decay_start, config.iwae_samples = 2, 1, 5
        config.early_stopping.min_epochs = 0
    assert (config.binarize, config.lr_schedule, config.echo.f_scale) == ("none", "paper", 16.0)
    record = trainer.train_and_evaluate(config, tmp_path, verbose=0)
    assert record["architecture"] == config.architecture and record["epochs_trained"] == 2
    assert np.isfinite(record["test_neg_elbo"])


def test_the_echo_settings_reach_the_channel(tmp_path):
    """echo.f_bound and echo.f_scale build f = M tanh(a / f_scale) with the clip solved
    for M (the authors' linear-f setting: M = 10, K = 99 → clip 0.8175)."""
    from echo_ib.channels import truncation
    config = tiny_config(tmp_path, **{"echo.f_bound": 10.0, "echo.f_scale": 10.0,
                                      "echo.max_terms": 99})
    channel = trainer._build_model(config, steps=1).channel
    assert (channel.f_bound, channel.f_scale) == (10.0, 10.0)
    assert channel.clip == pytest.approx(truncation.default_clip(99, 10.0))
    assert channel.clip == pytest.approx(0.8175, abs=5e-5)


def _global_state():
    import random
    return (random.getstate(), np.random.get_state()[1].tolist(),
            keras.mixed_precision.global_policy().name)


def test_a_point_changes_no_global_state_and_ignores_it(tiny_data_dir, tmp_path):
    """train_and_evaluate seeds the initial weights and sets the policy inside a scope that
    puts both back, and its result does not depend on the caller's global seeds."""
    import random
    config = tiny_config(tiny_data_dir, precision="mixed_float16")
    records = []
    for outer in (1, 2):
        random.seed(outer)
        np.random.seed(outer)
        tf.random.set_seed(outer)
        keras.mixed_precision.set_global_policy("float32")
        before = _global_state()
        records.append(trainer.train_and_evaluate(config, tmp_path / str(outer), verbose=0))
        assert _global_state() == before
    for key in ("test_neg_elbo", "val_neg_elbo", "train_neg_elbo"):
        assert records[0][key] == records[1][key], key  # same machine, same process


def test_the_best_epoch_is_picked_by_the_monitored_loss(tmp_path):
    """At β = 0.1 an epoch that buys 20 nats of rate for 15 of distortion is better by
    D + βR (101 → 88) and worse by D + R (110 → 115): each rule keeps its own epoch."""
    from echo_ib.training import bookkeeping
    model = vae.build_vae("vae", "mlp", latent_dim=2, beta=0.1)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    model.build((None, 28, 28, 1))
    logs = [{"loss": 1.0, "elbo": -1.0, "val_rate": 10.0, "val_distortion": 100.0},
            {"loss": 1.0, "elbo": -1.0, "val_rate": 30.0, "val_distortion": 85.0}]
    for monitor, best in (("objective", 2), ("neg_elbo", 1)):
        config = tiny_config(tmp_path, beta=0.1, **{"early_stopping.patience": 5,
                                                    "early_stopping.monitor": monitor})
        keeper = bookkeeping.Bookkeeping(config, tmp_path / f"{monitor}.npz",
                                         bookkeeping.initial_state("x"), None, "p", None)
        keeper.set_model(model)
        for epoch, entry in enumerate(logs):
            keeper.on_epoch_end(epoch, dict(entry))
        assert keeper.state["best_epoch"] == best, monitor
        assert [h["val_objective"] for h in keeper.state["history"]] == [101.0, 88.0]


def test_a_record_says_which_loss_picked_its_epoch(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, beta=0.1, epochs=2,
                         **{"early_stopping.patience": 10})
    record = trainer.train_and_evaluate(config, tmp_path, verbose=0)
    assert config.early_stopping.monitor == "objective"  # the default
    assert record["selected_by"] == "val D + βR"
    history = json.loads((tmp_path / "history.json").read_text())
    assert record["best_epoch"] == 1 + int(np.argmin([h["val_objective"] for h in history]))


def test_bfloat16_is_refused_before_any_kernel_where_onednn_cannot_run_it(tiny_data_dir,
                                                                          tmp_path, monkeypatch):
    """Under oneDNN held to AVX2 a bfloat16 matmul ends the process (segmentation fault):
    the point must stop with a ConfigError naming the alternatives before it builds a model,
    and leave no global state changed."""
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    config = tiny_config(tiny_data_dir, precision="mixed_bfloat16")
    before = _global_state()
    with pytest.raises(errors.ConfigError, match="mixed_float16.*float32"):
        trainer.train_and_evaluate(config, tmp_path, verbose=0)
    assert _global_state() == before
    assert not (tmp_path / "checkpoint.npz").exists()


@pytest.mark.parametrize("flags, environ, expected", [
    (["avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq"], {}, None),
    (["avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq"], {"ONEDNN_MAX_CPU_ISA": "AVX2"},
     "held to AVX2"),
    (["avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq"],
     {"ONEDNN_MAX_CPU_ISA": "avx512_core"}, None),
    (["avx2", "fma"], {}, "lacks avx512f, avx512bw, avx512vl, avx512dq"),
    (["avx2", "avx512f"], {"ONEDNN_MAX_CPU_ISA": "ALL"}, "lacks avx512bw"),
])
def test_bfloat16_support_follows_the_cpu_and_onednn_limit(flags, environ, expected):
    from echo_ib import precision
    reason = precision.bfloat16_unsupported_reason(flags, environ, has_gpu=False)
    assert (reason is None) if expected is None else (expected in reason)
    assert precision.bfloat16_unsupported_reason(["sse2"], {"ONEDNN_MAX_CPU_ISA": "AVX2"},
                                                 has_gpu=True) is None
    for policy in ("float32", "mixed_float16"):
        precision.check_precision(policy, cpu_flags=["sse2"], environ={}, has_gpu=False)
