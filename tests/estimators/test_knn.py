"""Tests of the k-NN estimators against Gaussian closed forms and the plug-in.

Tolerances: 4 reported standard errors. The reported error is the standard deviation of
the per-sample terms over √n, i.e. √((Var log f + ψ'(k)) / n) for Kozachenko–Leonenko,
the estimator's known asymptotic variance; the bias is O(n^{-2/d}) and below it where
these tests run it (d ≤ 10 at n = 5,000; the weighted estimator at d = 20). At d = 20 the
unweighted estimator's bias is not negligible, and it shrinks with n only like n^{-1/10}, too slowly to test at sizes a unit test affords (BENCHMARKS.md
records it).
"""

import math

import numpy as np
import pytest
import tensorflow as tf

from echo_ib import estimators as est
from echo_ib.estimators import knn


def _gaussian(d, n, seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(d, d)) * 0.5 + np.eye(d)  # anisotropic: whitening is exercised
    cov = a @ a.T
    x = rng.multivariate_normal(np.zeros(d), cov, size=n)
    return x, 0.5 * np.linalg.slogdet(2 * math.pi * math.e * cov)[1]


@pytest.mark.parametrize("d", [1, 2, 5, 10])
def test_entropy_of_gaussians(d):
    x, truth = _gaussian(d, 5000, seed=d)
    for estimate in (est.kozachenko_leonenko_entropy(x), est.kozachenko_leonenko_entropy(x, k=4),
                     est.weighted_kozachenko_leonenko_entropy(x)):
        assert abs(estimate.value - truth) < 4 * estimate.stderr


def test_weighted_entropy_in_twenty_dimensions():
    x, truth = _gaussian(20, 8000, seed=20)
    weighted = est.weighted_kozachenko_leonenko_entropy(x)
    assert abs(weighted.value - truth) < 4 * weighted.stderr


def test_weights_cancel_the_bias_terms():
    import scipy.special

    # (d, k, bias terms cancelled under the default ‖w‖₁ ≤ 100)
    for d, k, terms in ((4, 8, 1), (8, 16, 2), (12, 48, 2), (20, 40, 2)):
        w = knn.weighted_kl_weights(k, d)
        assert w.sum() == pytest.approx(1.0) and np.abs(w).sum() <= 100
        j = np.arange(1, k + 1)
        for l in range(1, terms + 1):
            ratio = np.exp(scipy.special.gammaln(j + 2 * l / d) - scipy.special.gammaln(j))
            assert abs(w @ ratio) < 1e-8 * np.abs(w) @ ratio
        support = {max(1, (ell * k) // d) for ell in range(1, d + 1)}
        assert set(np.flatnonzero(w) + 1) <= support
    assert np.array_equal(knn.weighted_kl_weights(10, 3), np.eye(10)[-1])  # d ≤ 3: no weights
    # All ⌊d/4⌋ = 5 terms at d = 20 would need ‖w‖₁ ≈ 1.4e5: the third is not cancelled.
    j = np.arange(1, 41)
    third = np.exp(scipy.special.gammaln(j + 6 / 20) - scipy.special.gammaln(j))
    assert abs(knn.weighted_kl_weights(40, 20) @ third) > 1e-3


@pytest.mark.parametrize("rho", [0.0, 0.6, 0.9])
def test_ksg_on_a_bivariate_gaussian(rho):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(4000)
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal(4000)
    estimate = est.ksg_mutual_information(x, y)
    assert abs(estimate.value - (-0.5 * math.log(1 - rho**2))) < 4 * estimate.stderr


def test_ksg_is_invariant_to_invertible_maps_of_each_argument():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3000, 2))
    y = x @ [[1.0, 0.3], [0.0, 1.0]] + 0.7 * rng.standard_normal((3000, 2))
    a = est.ksg_mutual_information(x, y, whiten=False)
    b = est.ksg_mutual_information(x * 5.0 + 3.0, y @ [[2.0, 1.0], [0.0, 1.0]])
    assert abs(a.value - b.value) < 4 * math.hypot(a.stderr, b.stderr)


def test_entropy_of_a_noisy_mixture_matches_the_plug_in():
    """T = S + N(0, σ²I), S uniform on 20 centres: the plug-in h(P̂ * N_σ) is exact here."""
    rng = np.random.default_rng(5)
    centres, sigma = rng.uniform(-2, 2, size=(20, 2)), 0.3
    exact = est.plugin_entropy(centres, sigma, num_mc=200_000, seed=0)
    samples = centres[rng.integers(0, 20, 6000)] + sigma * rng.standard_normal((6000, 2))
    for estimate in (est.kozachenko_leonenko_entropy(samples),
                     est.weighted_kozachenko_leonenko_entropy(samples)):
        assert abs(estimate.value - exact.value) < 4 * estimate.stderr + 3 * exact.stderr


def test_bits_and_tensors():
    x, _ = _gaussian(3, 500, seed=6)
    nats = est.kozachenko_leonenko_entropy(x)
    bits = est.kozachenko_leonenko_entropy(tf.constant(x), base=2)
    assert bits.value == pytest.approx(nats.value / math.log(2), rel=1e-9)


@pytest.mark.parametrize("call,message", [
    (lambda: est.kozachenko_leonenko_entropy(np.random.default_rng(0).normal(size=(5, 2)), k=5),
     "k = 5 needs more than k samples"),
    (lambda: est.kozachenko_leonenko_entropy(np.zeros((10, 2)) + [[1.0, 2.0]], whiten=False),
     "duplicate"),
    (lambda: est.weighted_kozachenko_leonenko_entropy(np.array([[0.0, np.nan], [1.0, 2.0]])),
     "NaN"),
    (lambda: est.ksg_mutual_information(np.zeros((10, 1)), np.zeros((9, 1))), "paired"),
    (lambda: est.kozachenko_leonenko_entropy(np.ones((50, 2)) * np.arange(50)[:, None]),
     "singular"),
    (lambda: est.kozachenko_leonenko_entropy(np.zeros((10, 1)), k=0), "k must be"),
])
def test_bad_inputs_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
