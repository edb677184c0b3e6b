"""Smoke test of the information-plane experiment on the 12-bit task."""

import json
import pathlib
import sys

import numpy as np
import pytest

from echo_ib.info_plane import tracking as info_plane

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
from configs import info_plane_twelve_bit  # noqa: E402

pytestmark = pytest.mark.slow  # trains models or starts processes


def test_twelve_bit_run_writes_measurements_plots_and_accuracy(tmp_path):
    config = info_plane_twelve_bit.get_config()
    config.epochs = 2
    config.num_measurements = 2
    config.num_mc = 500
    config.num_noise_draws = 2
    import random
    before = (random.getstate(), np.random.get_state()[1].tolist())
    records = info_plane.train_with_information_plane(config, tmp_path, verbose=0)
    assert (random.getstate(), np.random.get_state()[1].tolist()) == before  # no global seed
    assert {r["epoch"] for r in records} == {0, 1, 2}
    assert len(records) == 3 * 5
    for r in records:  # never above H(Y) = 1 bit, never below 0 (by construction)
        assert r["units"] == "bits" and r["H(Y)"] == 1.0
        assert 0.0 <= r["I(Y;T)"] <= r["H(Y)"]
        assert 0.0 <= r["I(X;T)"] <= 12.0
        assert r["I(X;T)_stderr"] > 0 and r["I(Y;T)_stderr"] >= 0
        assert [w["width_sigma"] for w in r["H(Bin(T))_per_width"]] == [0.5, 1.0, 2.0, 4.0]
        for w in r["H(Bin(T))_per_width"]:  # 4,096 inputs: at most 12 bits
            assert 0.0 <= w["H(Bin(T))"] <= 12.0
    for name in ("information.jsonl", "information_plane.png", "information_over_training.png",
                 "binned_vs_plugin.png"):
        assert (tmp_path / name).stat().st_size > 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["test_examples"] == 819 and 0.0 <= summary["test_accuracy"] <= 1.0
    # One test accuracy: the summary's is the last measurement's.
    assert all(r["test_accuracy"] == summary["test_accuracy"] for r in summary["final"])
    # The clustering view is drawn from the saved snapshots, one per measured epoch.
    snapshots = sorted((tmp_path / "activations").glob("epoch_*.npz"))
    assert [p.name for p in snapshots] == ["epoch_00000.npz", "epoch_00001.npz",
                                           "epoch_00002.npz"]
    with np.load(snapshots[-1]) as snap:
        assert snap["labels"].shape == (2000,)
        assert [snap[f"layer_{k}"].shape for k in range(5)] == [(2000, 2)] * 5
        assert [int(snap[f"width_{k}"]) for k in range(5)] == [10, 7, 5, 4, 3]
    assert (tmp_path / "clustering.png").stat().st_size > 0


def test_conv_network_information_through_compression(tmp_path):
    from configs import info_plane_mnist_conv

    config = info_plane_mnist_conv.get_config()
    config.num_examples, config.num_test_examples, config.num_measured = 300, 100, 150
    config.epochs, config.num_measurements = 1, 1
    config.compressor_epochs, config.compressor_refit_epochs, config.num_mc = 2, 1, 100
    records = info_plane.train_with_information_plane(config, tmp_path, verbose=0)
    assert [r["layer"] for r in records] == [0, 1, 2, 3] * 2
    assert [r["dimension"] for r in records[:4]] == [14 * 14 * 8, 7 * 7 * 16, 4 * 4 * 32, 32]
    # The plug-in is recorded beside compression for the layers it can afford (≤ 600 units).
    assert ["I(X;T)_plugin" in r for r in records[:4]] == [False, False, True, True]
    for r in records:
        assert r["estimator"] == "autoencoder+wkl-shuffled" and r["units"] == "bits"
        assert r["I(X;T)_stderr"] > 0 and r["I(Y;T)_stderr"] > 0
        # The compressor's quality: noise share ν = dσ²/Σ Var(T) in (0, 1] for σ = 0.5, and
        # the verdict follows the stated bar on the signal's missed share.
        assert 0 < r["noise_share"] <= 1 and r["reconstruction_mse"] > 0
        assert r["compressor_ok"] == (r["signal_reconstruction_error"] is not None
                                      and r["signal_reconstruction_error"] <= 0.2)
        assert 0 < r["x_reconstruction_mse"]
    for name in ("information_plane.png", "compression_vs_plugin.png", "summary.json",
                 "clustering.png"):
        assert (tmp_path / name).stat().st_size > 0


def _config(**changes):
    config = info_plane_twelve_bit.get_config()
    for key, value in changes.items():
        config[key] = value
    return config


def test_a_workdir_of_other_settings_is_refused_and_one_of_the_same_is_cleared(tmp_path):
    """Two runs' measurements and activation snapshots must never mix in one workdir."""
    import pytest
    from echo_ib import errors
    first = info_plane.complete_config(_config())
    info_plane.prepare_workdir(first, tmp_path)
    (tmp_path / "information.jsonl").write_text('{"epoch": 7}\n')
    (tmp_path / "activations").mkdir()
    (tmp_path / "activations" / "epoch_00007.npz").write_bytes(b"old")
    with pytest.raises(errors.WorkdirError, match=r"config.sigma: 0.1 there, 0.2 now"):
        info_plane.prepare_workdir(info_plane.complete_config(_config(sigma=0.2)), tmp_path)
    assert (tmp_path / "information.jsonl").exists()  # refused: nothing touched
    info_plane.prepare_workdir(first, tmp_path)  # the same settings: a fresh start
    assert not (tmp_path / "information.jsonl").exists()
    assert not list((tmp_path / "activations").glob("*.npz"))
    stray = tmp_path / "stray"
    (stray / "activations").mkdir(parents=True)
    (stray / "activations" / "epoch_00001.npz").write_bytes(b"old")
    with pytest.raises(errors.WorkdirError, match="without their config.json"):
        info_plane.prepare_workdir(first, stray)


def test_information_plane_settings_are_checked_by_their_schema():
    import pytest
    from echo_ib import errors
    for changes, message in (({"sigma": -0.1}, r"config.sigma = -0.1: expected a finite "
                                                r"number > 0"),
                             ({"schedule": "often"}, r"config.schedule = 'often'"),
                             ({"latent_dims": [4]}, r"config.latent_dims = \[4\]")):
        with pytest.raises(errors.ConfigError, match=message):
            info_plane.complete_config(_config(**changes))
    config = _config()
    config.sigmas = [0.1]
    with pytest.raises(errors.ConfigError, match="unknown information-plane config field "
                                                 "'sigmas'"):
        info_plane.complete_config(config)
    del config["sigmas"]
    del config["orthonormal"]  # a field the file leaves out takes its default
    assert info_plane.complete_config(config).orthonormal is False


def test_the_twelve_bit_network_through_compression(tmp_path):
    """Layers no wider than the code use the identity compressor, which implements the
    whole contract: the compression information plane runs on the 12-bit network."""
    config = _config(estimator="compression", epochs=1, num_measurements=1,
                     compressor_epochs=2, compressor_refit_epochs=1, num_noise_draws=2)
    records = info_plane.train_with_information_plane(config, tmp_path, verbose=0)
    assert {r["layer"] for r in records} == set(range(5))
    assert all(np.isfinite(r["I(X;T)"]) for r in records)
    for r in records:  # T4 (4 units) and T5 (3) are no wider than the 4 codes: identity
        assert (r["reconstruction_mse"] == 0.0) == (r["layer"] >= 3), r
    assert (tmp_path / "information_plane.png").stat().st_size > 0
