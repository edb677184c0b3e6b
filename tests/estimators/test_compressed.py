"""Tests of mutual information through compression (Butakov et al. 2024)."""

import math

import numpy as np
import pytest

from echo_ib import estimators as est
from echo_ib.estimators import compressors

pytestmark = pytest.mark.slow  # trains models or starts processes


def _linear_gaussian_pair(n, rho, seed, dim=40):
    """ξ, η ∈ R^2 with per-coordinate correlation ρ, embedded linearly in R^dim (injective):
    I(X; Y) = I(ξ; η) = −log(1 − ρ²) nats."""
    rng = np.random.default_rng(seed)
    xi = rng.standard_normal((n, 2))
    eta = rho * xi + math.sqrt(1 - rho**2) * rng.standard_normal((n, 2))
    a, b = rng.normal(size=(2, dim)), rng.normal(size=(2, dim))
    return xi @ a, eta @ b, -math.log(1 - rho**2)


@pytest.mark.parametrize("estimator", ["wkl", "ksg"])
def test_pca_compression_recovers_the_information_of_a_linear_embedding(estimator):
    x, y, truth = _linear_gaussian_pair(4000, 0.8, seed=0)
    result = est.mutual_information_compressed(x, y, latent_dims=2, estimator=estimator,
                                               compressor="pca")
    assert result.codes[0].shape == (4000, 2)
    assert abs(result.estimate.value - truth) < 4 * result.estimate.stderr


@pytest.mark.parametrize("rho", [0.0, 0.8])
def test_the_shuffled_estimator_is_exact_at_independence_and_close_beyond(rho):
    """At ρ = 0 the shuffled pairs have the law of the real ones: E Î = 0 exactly, so the
    estimate is within its Monte Carlo error; at ρ = 0.8 (I = 1.02 nats) it is within its
    error plus the benchmark's tolerance of 0.1 nats."""
    x, y, truth = _linear_gaussian_pair(4000, rho, seed=5)
    result = est.mutual_information_compressed(x, y, latent_dims=2,
                                               estimator="wkl-shuffled", compressor="pca")
    assert "shuffle-corrected" in result.estimate.quantity
    slack = 0.0 if rho == 0 else 0.1
    assert abs(result.estimate.value - truth) < 4 * result.estimate.stderr + slack


def test_the_shuffled_estimator_switches_to_full_cancellation_where_it_resolves_I():
    x, y, truth = _linear_gaussian_pair(4000, 0.99, seed=6)  # I = 3.91 nats
    result = est.mutual_information_compressed(x, y, latent_dims=2,
                                               estimator="wkl-shuffled", compressor="pca")
    assert "‖w‖₁ ≤ 100" in result.estimate.quantity
    assert abs(result.estimate.value - truth) < 4 * result.estimate.stderr + 0.1 * truth


def test_the_shuffled_estimator_with_labels():
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 2, 3000)
    separated = labels[:, None] * 8.0 + rng.standard_normal((3000, 2))
    unrelated = rng.standard_normal((3000, 2))
    for x, truth, slack in ((separated, math.log(2), 0.1), (unrelated, 0.0, 0.0)):
        result = est.mutual_information_compressed(x, labels, latent_dims=2,
                                                   estimator="wkl-shuffled")
        assert abs(result.estimate.value - truth) < 4 * result.estimate.stderr + slack


def test_kde_on_codes_is_close_for_weak_dependence():
    # KDE entropies are biased, but the biases of h(X), h(Y) and h(X, Y) largely cancel.
    x, y, truth = _linear_gaussian_pair(3000, 0.5, seed=1)
    result = est.mutual_information_compressed(x, y, latent_dims=2, estimator="kde",
                                               compressor="pca")
    assert abs(result.estimate.value - truth) < 4 * result.estimate.stderr + 0.1 * truth


def test_autoencoder_compressors_are_returned_and_reused():
    x, y, truth = _linear_gaussian_pair(2000, 0.8, seed=2, dim=20)
    first = est.mutual_information_compressed(x, y, latent_dims=2, epochs=30, seed=0)
    ax, ay = first.compressors
    assert isinstance(ax, compressors.Autoencoder) and ax.reconstruction_error(x) < 0.05
    # reconstruct() is the same decoder output in the data's units.
    scaled_mse = np.mean((ax.reconstruct(x) - x) ** 2) / ax.scale**2
    assert scaled_mse == pytest.approx(ax.reconstruction_error(x), rel=1e-4)
    # Lossy compression never adds information (data processing), up to estimation error.
    assert first.estimate.value < truth + 4 * first.estimate.stderr
    again = est.mutual_information_compressed(x, y, latent_dims=2, compressors=(ax, ay))
    np.testing.assert_array_equal(again.codes[0], first.codes[0])  # reused, not retrained
    assert again.estimate == first.estimate


def test_discrete_labels_are_not_compressed():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 2, 3000)
    x = labels[:, None] * 8.0 + rng.standard_normal((3000, 2))  # nearly separable classes
    result = est.mutual_information_compressed(x, labels, latent_dims=2, estimator="wkl")
    assert result.compressors[1] is None
    assert abs(result.estimate.value - math.log(2)) < 4 * result.estimate.stderr


def test_low_dimensional_arguments_are_used_as_they_are():
    x, y, _ = _linear_gaussian_pair(500, 0.5, seed=4, dim=2)
    result = est.mutual_information_compressed(x, y, latent_dims=3, compressor="pca")
    assert all(isinstance(c, compressors.IdentityCompressor) for c in result.compressors)
    np.testing.assert_array_equal(result.codes[0], x)


@pytest.mark.parametrize("kwargs,message", [
    ({"estimator": "mine"}, "estimator"),
    ({"compressor": "vae"}, "compressor"),
    ({"latent_dims": 0}, "latent_dims"),
])
def test_bad_arguments_are_named(kwargs, message):
    x, y, _ = _linear_gaussian_pair(100, 0.5, seed=5)
    with pytest.raises(ValueError, match=message):
        est.mutual_information_compressed(x, y, **kwargs)


def test_a_refitted_autoencoder_follows_a_change_of_scale():
    # A layer followed along training drifts; the compressor rescales at every fit.
    x, _, _ = _linear_gaussian_pair(2000, 0.5, seed=6, dim=20)
    ae = compressors.Autoencoder(2, seed=0).fit(x, epochs=30)
    before = ae.reconstruction_error(x)
    ae.fit(50.0 * x + 7.0, epochs=3)
    assert ae.reconstruction_error(50.0 * x + 7.0) < 2 * before + 0.01


def test_every_compressor_implements_the_whole_contract():
    """fit, encode, reconstruct and reconstruction_error: the identity is exact, PCA of
    rank-2 data with two components is exact, and with one component it loses what the
    second principal axis holds (its share of the standardised variance)."""
    from echo_ib.estimators import compressors
    rng = np.random.default_rng(0)
    basis = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, -1.0]])
    data = rng.normal(size=(500, 2)) * [3.0, 1.0] @ basis
    identity = compressors.IdentityCompressor().fit(data)
    np.testing.assert_array_equal(identity.reconstruct(data), data)
    assert identity.reconstruction_error(data) == 0.0 and identity.latent_dim == 3
    exact = compressors.PCACompressor(2).fit(data)
    np.testing.assert_allclose(exact.reconstruct(data), data, atol=1e-9)
    assert exact.reconstruction_error(data) < 1e-18
    one = compressors.PCACompressor(1).fit(data)
    residual = data - one.reconstruct(data)
    expected = np.mean((residual / data.std(axis=0)) ** 2)
    assert one.reconstruction_error(data) == pytest.approx(expected, rel=1e-12)
    assert 0.0 < one.reconstruction_error(data) < 1.0
    for compressor in (identity, exact, one, compressors.Autoencoder(2)):
        assert isinstance(compressor, compressors.Compressor)
