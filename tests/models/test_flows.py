"""Tests of the MADE / MAF prior: autoregressive structure and a normalised density."""

import math

import numpy as np
import tensorflow as tf

from echo_ib.models import flows


def _randomised_prior(dim, seed=0):
    prior = flows.MAFPrior(dim, num_layers=2, hidden_units=16)
    prior.build()
    rng = np.random.default_rng(seed)
    for made in prior.mades:
        for weight in made.weights:
            weight.assign(rng.normal(scale=0.2, size=weight.shape).astype(np.float32))
    return prior


def test_made_is_autoregressive():
    made = flows.MADE(hidden_units=12)
    made.build((None, 5))
    for weight in made.weights:
        weight.assign(np.random.default_rng(1).normal(size=weight.shape).astype(np.float32))
    z = tf.constant(np.random.default_rng(2).normal(size=(1, 5)), tf.float32)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(z)
        shift, log_scale = made(z)
    for output in (shift, log_scale):
        jacobian = tape.batch_jacobian(output, z)[0].numpy()  # [out, in]
        assert np.all(np.triu(jacobian) == 0)  # output i depends on z_<i only


def test_identity_at_initialisation():
    prior = flows.MAFPrior(3)
    prior.build()
    z = np.random.default_rng(0).normal(size=(10, 3)).astype(np.float32)
    expected = -0.5 * np.sum(z**2, 1) - 1.5 * math.log(2 * math.pi)
    np.testing.assert_allclose(prior.log_prob(z).numpy(), expected, rtol=1e-5)


def test_density_integrates_to_one():
    prior = _randomised_prior(2)
    grid = np.linspace(-15, 15, 751)
    zz = np.stack(np.meshgrid(grid, grid), -1).reshape(-1, 2).astype(np.float32)
    density = np.exp(prior.log_prob(zz).numpy().astype(np.float64))
    total = density.sum() * (grid[1] - grid[0]) ** 2
    assert abs(total - 1.0) < 1e-2  # Riemann sum on a 0.04-spaced grid
