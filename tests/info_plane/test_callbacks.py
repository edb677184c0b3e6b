"""Tests of information-plane tracking."""

import json

import keras
import numpy as np
import pytest

from echo_ib.models import classifier
from echo_ib.info_plane import callbacks


def test_log_spaced_epochs():
    epochs = callbacks.log_spaced_epochs(300, 20)
    assert epochs[0] == 1 and epochs[-1] == 300
    assert epochs == sorted(set(epochs))
    gaps = np.diff(epochs)
    assert gaps[-1] > gaps[0]


def _fit(schedule, epochs, learning_rate, tmp_path, **kwargs):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(64, 12)).astype(np.float32)
    y = (x.sum(1) > 6).astype(np.int64)
    model = classifier.NoisyMLP([4, 3], sigma=0.2, seed=0)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    tracker = callbacks.InformationPlane(x, y, path=tmp_path / "info.jsonl", schedule=schedule,
                                         num_noise_draws=2, num_mc=200, verbose=False, **kwargs)
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0, callbacks=[tracker])
    return tracker


def test_every_epoch_records_each_layer_and_writes_json_lines(tmp_path):
    tracker = _fit("every", 2, 0.1, tmp_path)
    assert [(r["epoch"], r["layer"]) for r in tracker.records] == [
        (0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]
    lines = [json.loads(line) for line in (tmp_path / "info.jsonl").read_text().splitlines()]
    assert lines == tracker.records
    for r in tracker.records:
        # 0 ≤ I(Y;T) ≤ H(Y) ≤ 1 bit and 0 ≤ I(X;T) ≤ log2(64) bits, up to Monte Carlo error.
        assert -3 * r["I(Y;T)_stderr"] <= r["I(Y;T)"] <= 1.0 + 3 * r["I(Y;T)_stderr"]
        assert -3 * r["I(X;T)_stderr"] <= r["I(X;T)"] <= 6 + 3 * r["I(X;T)_stderr"]
        assert 0 <= r["H(Bin(T))"] <= 6


def test_adaptive_schedule_skips_epochs_where_nothing_moves(tmp_path):
    tracker = _fit("adaptive", 6, 0.0, tmp_path, max_gap=4)
    assert sorted({r["epoch"] for r in tracker.records}) == [0, 4, 6]


def test_bad_schedule():
    with pytest.raises(ValueError, match="schedule"):
        callbacks.InformationPlane(np.zeros((2, 1)), np.zeros(2), schedule="sometimes")


def test_signal_reconstruction_error_closed_form():
    signal = np.random.default_rng(0).normal(size=(1000, 3))
    assert callbacks.signal_reconstruction_error(signal, signal) == 0.0
    # Reconstructing the mean signal misses all of it; half the signal, a quarter of it.
    mean = np.broadcast_to(signal.mean(axis=0), signal.shape)
    assert callbacks.signal_reconstruction_error(mean, signal) == pytest.approx(1.0)
    half = mean + 0.5 * (signal - mean)
    assert callbacks.signal_reconstruction_error(half, signal) == pytest.approx(0.25)
    assert callbacks.signal_reconstruction_error(signal, np.ones((5, 2))) == float("inf")
