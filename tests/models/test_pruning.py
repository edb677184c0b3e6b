"""Pruning echo dimensions by the measured objective D + βR."""

import keras
import numpy as np
import pytest

from echo_ib.models import pruning, vae


def _images(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n, 28, 28, 1)) < 0.3).astype(np.float32)


def test_a_dimension_the_decoder_ignores_is_switched_off_and_the_objective_drops():
    """Zero the decoder's weights from dimensions 1 and 3: without them every reconstruction
    is the same (the active coordinates' noise is common to both evaluations), so D is
    unchanged while R drops by exactly their −log S_j ≥ −log(clip) > 0; the greedy pass
    switches both off and never raises the objective."""
    keras.utils.set_random_seed(0)
    model = vae.build_vae("echo", "mlp", latent_dim=4, beta=1.0)
    first = model.decoder.layers[0]
    kernel = first.kernel.numpy()
    kernel[[1, 3]] = 0.0
    first.kernel.assign(kernel)
    x = _images(300)
    d0, r0, j0 = pruning.objective(model, x, seed=3)
    per_dim = model.rate_per_dimension(x).numpy().mean(axis=0)
    model.channel.set_mask([1, 0, 1, 0])
    d1, r1, _ = pruning.objective(model, x, seed=3)
    assert d1 == pytest.approx(d0, rel=1e-6)
    assert r0 - r1 == pytest.approx(per_dim[1] + per_dim[3], rel=1e-4)
    model.channel.set_mask([1, 1, 1, 1])
    report = pruning.prune_dimensions(model, x, seed=3)
    assert {1, 3} <= set(report["switched_off"])
    assert report["active"] == int(model.channel.active_dimensions().sum())
    assert report["objective_before"] == pytest.approx(j0, rel=1e-7)
    assert report["objective_after"] <= j0 - (per_dim[1] + per_dim[3]) * (1 - 1e-4)
    assert report["objective_after"] == pytest.approx(pruning.objective(model, x, seed=3)[2],
                                                      rel=1e-7)


def test_pruning_needs_an_echo_channel():
    with pytest.raises(ValueError, match="EchoNoise channel"):
        pruning.prune_dimensions(vae.build_vae("vae", latent_dim=2), _images(200))
