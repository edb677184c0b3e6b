"""Tests of checkpoints and fingerprints."""

import keras
import numpy as np
import pytest

from echo_ib.models import vae
from echo_ib.training import checkpoint
from tests.helpers import tiny_config


def _model(seed):
    keras.utils.set_random_seed(seed)
    model = vae.build_vae("echo", "mlp", latent_dim=3)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    model.fit(np.random.default_rng(seed).random((20, 28, 28, 1)).astype("float32"),
              batch_size=10, verbose=0)
    return model


def test_round_trip_restores_every_variable(tmp_path):
    source, target = _model(0), _model(1)
    best = [np.full((2,), 7.0)]
    checkpoint.save(tmp_path / "c.npz", source, {"next_epoch": 3}, best)
    state, restored_best = checkpoint.restore(tmp_path / "c.npz", target)
    assert state == {"next_epoch": 3}
    np.testing.assert_array_equal(restored_best[0], best[0])
    for a, b in zip(source.variables + source.optimizer.variables,
                    target.variables + target.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())  # seed states and Adam too
    assert not (tmp_path / "c.npz.tmp").exists()


def test_a_checkpoint_of_another_model_is_refused(tmp_path):
    checkpoint.save(tmp_path / "c.npz", _model(0), {})
    other = vae.build_vae("vae", "mlp", latent_dim=5)
    other.compile(optimizer=keras.optimizers.Adam(1e-3))
    with pytest.raises(ValueError, match="another model|shape"):
        checkpoint.restore(tmp_path / "c.npz", other)


def test_fingerprint_ignores_the_grid_only(tmp_path):
    config = tiny_config(tmp_path)
    grid_changed = tiny_config(tmp_path, **{"sweep.betas": [1.0, 2.0]})
    lr_changed = tiny_config(tmp_path, learning_rate=0.01)
    assert checkpoint.fingerprint(config) == checkpoint.fingerprint(grid_changed)
    assert checkpoint.fingerprint(config) != checkpoint.fingerprint(lr_changed)
    assert checkpoint.differences(checkpoint.config_dict(config),
                                  checkpoint.config_dict(lr_changed)) == (
        "learning_rate: 0.001 -> 0.01")
