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
    model.compile(optimizer=keras.optimizers.Adam(1e-3), run_eagerly=True)  # untraced: faster
    model.fit(np.random.default_rng(seed).random((20, 28, 28, 1)).astype("float32"),
              batch_size=10, verbose=0)
    return model


def test_round_trip_restores_every_variable(tmp_path):
    source, target = _model(0), _model(1)
    best = checkpoint.snapshot(source)
    checkpoint.save(tmp_path / "c.npz", source, {"next_epoch": 3}, best)
    state, restored_best = checkpoint.restore(tmp_path / "c.npz", target)
    assert state == {"next_epoch": 3}
    assert set(restored_best) == set(best)
    for key in best:
        np.testing.assert_array_equal(restored_best[key], best[key])
    for a, b in zip(source.variables + source.optimizer.variables,
                    target.variables + target.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())  # seed states and Adam too
    assert not (tmp_path / "c.npz.tmp").exists()


def test_keys_are_the_attribute_paths_that_old_checkpoints_use():
    """The keys are a file format: checkpoints in existing workdirs restore only while the
    same model gets the same keys, whatever Keras tracks internally."""
    model = vae.build_vae("echo", "mlp", latent_dim=3)
    model(np.zeros((4, 28, 28, 1), np.float32))
    keys = checkpoint.variable_keys(model)
    layers = [f"model/{part}/layers/{k}/{w}" for part, ks in (("encoder", (1, 2, 3)),
                                                              ("decoder", (0, 1, 2)))
              for k in ks for w in ("bias", "kernel")]
    assert sorted(keys[id(v)] for v in model.variables) == sorted(
        layers + ["model/channel/mask", "model/channel/seed_generator/state",
                  "model/prior_seed/state"])


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


def test_a_field_added_later_keeps_old_fingerprints_at_its_default(tmp_path):
    """echo.f_bound came after recorded workdirs: at its default 1 the fingerprint is the
    one a config without the field had, so those points are reused, not retrained."""
    config = tiny_config(tmp_path)
    without = tiny_config(tmp_path)
    del without.echo["f_bound"]
    assert checkpoint.fingerprint(config) == checkpoint.fingerprint(without)
    changed = tiny_config(tmp_path, **{"echo.f_bound": 10.0})
    assert checkpoint.fingerprint(changed) != checkpoint.fingerprint(config)
    assert checkpoint.differences(checkpoint.config_dict(config),
                                  checkpoint.config_dict(changed)) == (
        "echo.f_bound: None -> 10.0")


class TwoBranches(keras.Model):
    """Two same-shaped Dense branches, created in the order given: a positional restore
    into the other order would swap their weights without any error."""

    def __init__(self, order):
        super().__init__()
        for name in order:
            setattr(self, name, keras.layers.Dense(4, name=f"{name}_dense"))

    def call(self, x):
        return self.left(x) - 2.0 * self.right(x)


def test_restoring_into_layers_created_in_another_order(tmp_path):
    x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    source = TwoBranches(["left", "right"])
    source.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    source.fit(x, x, epochs=2, verbose=0)
    target = TwoBranches(["right", "left"])
    target.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    target.fit(x, x, epochs=1, verbose=0)
    # The variables come in another order, so restoring by position would swap branches.
    assert [v.path.split("/")[0] for v in source.variables][:2] != [
        v.path.split("/")[0] for v in target.variables][:2]
    checkpoint.save(tmp_path / "c.npz", source, {})
    checkpoint.restore(tmp_path / "c.npz", target)
    np.testing.assert_array_equal(target(x).numpy(), source(x).numpy())
    for name in ("left", "right"):
        np.testing.assert_array_equal(getattr(target, name).kernel.numpy(),
                                      getattr(source, name).kernel.numpy())
    np.testing.assert_array_equal(target.optimizer.iterations.numpy(),
                                  source.optimizer.iterations.numpy())


def test_the_selection_rule_is_fingerprinted_only_where_it_can_matter(tmp_path):
    """early_stopping.monitor came later, with 'neg_elbo' the rule before it: that value is
    an old point's fingerprint; 'objective' (D + βR) is a new experiment except at β = 1,
    where the two rules watch the same loss."""
    def digest(beta, monitor=None):
        config = tiny_config(tmp_path, beta=beta)
        if monitor is None:
            del config.early_stopping["monitor"]
        else:
            config.early_stopping.monitor = monitor
        return checkpoint.fingerprint(config)

    assert digest(1.0, "objective") == digest(1.0, "neg_elbo") == digest(1.0)
    assert digest(0.5, "neg_elbo") == digest(0.5)
    assert digest(0.5, "objective") != digest(0.5)
