"""Tests of the Gaussian (β-VAE) channel against the closed-form KL."""

import math

import numpy as np
import pytest
import tensorflow as tf

from echo_ib.channels import gaussian

SEED = 7


class StandardNormalPrior:
    """A 'learned' prior that is N(0, I), so the Monte Carlo rate must average to the KL."""

    def log_prob(self, z):
        return tf.reduce_sum(-0.5 * z**2 - 0.5 * math.log(2 * math.pi), axis=-1)


def test_rate_is_the_closed_form_kl():
    rng = np.random.default_rng(SEED)
    mean = rng.normal(size=(20, 4))
    log_scale = rng.normal(scale=0.5, size=(20, 4))
    _, rate = gaussian.GaussianNoise(dtype="float64")((mean, log_scale))
    scale2 = np.exp(2 * log_scale)
    expected = np.sum(0.5 * (mean**2 + scale2 - 1 - np.log(scale2)), -1)
    np.testing.assert_allclose(rate.numpy(), expected, rtol=1e-12)


def test_samples_have_the_encoder_moments():
    n = 200000
    mean = np.full((n, 1), 1.5, np.float32)
    log_scale = np.full((n, 1), math.log(0.3), np.float32)
    z, _ = gaussian.GaussianNoise(seed=SEED)((mean, log_scale))
    z = z.numpy().ravel()
    assert abs(z.mean() - 1.5) < 4 * 0.3 / math.sqrt(n)
    assert abs(z.var() - 0.09) < 4 * 0.09 * math.sqrt(2 / n)


def test_monte_carlo_rate_with_a_prior_averages_to_the_kl():
    n = 100000
    mean = np.full((n, 2), [0.5, -1.0], np.float32)
    log_scale = np.full((n, 2), [math.log(0.5), math.log(2.0)], np.float32)
    layer = gaussian.GaussianNoise(prior=StandardNormalPrior(), seed=SEED)
    _, rate = layer((mean, log_scale))
    kl = gaussian.gaussian_kl_to_standard_normal(mean[:1], log_scale[:1]).numpy()[0]
    rate = rate.numpy()
    assert abs(rate.mean() - kl) < 4 * rate.std() / math.sqrt(n)


def test_deterministic_returns_the_mean():
    mean = np.arange(6, dtype=np.float32).reshape(2, 3)
    z, _ = gaussian.GaussianNoise()((mean, np.zeros_like(mean)), deterministic=True)
    np.testing.assert_array_equal(z.numpy(), mean)


def test_non_finite_inputs_with_validate_args():
    mean = np.array([[np.nan, 0.0]], np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="mean"):
        gaussian.GaussianNoise(validate_args=True)((mean, np.zeros_like(mean)))


def test_get_config_round_trip():
    layer = gaussian.GaussianNoise(seed=3, validate_args=True, name="gauss")
    clone = gaussian.GaussianNoise.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_rate_is_one_number_per_example_for_a_convolutional_latent():
    rng = np.random.default_rng(3)
    mean = rng.normal(size=(4, 3, 2, 5)).astype(np.float32)
    log_scale = (0.3 * rng.normal(size=(4, 3, 2, 5))).astype(np.float32)
    z, rate = gaussian.GaussianNoise(seed=0)((mean, log_scale))
    assert z.shape == (4, 3, 2, 5) and rate.shape == (4,)
    m, s = mean.astype(np.float64), np.exp(log_scale.astype(np.float64))
    expected = (0.5 * (m**2 + s**2 - 1) - np.log(s)).sum(axis=(1, 2, 3))
    np.testing.assert_allclose(np.asarray(rate), expected, rtol=1e-5)
