"""The single noisy neuron: its exact I(X;T) and the plug-in along the curve."""

import math

import numpy as np
import pytest
import scipy.integrate

from echo_ib.data import single_neuron


def _adaptive_quadrature(centres, sigma):
    """I = h(T) − h(N_σ) with h(T) by adaptive quadrature around each symbol."""
    def q(t):
        return np.mean(np.exp(-0.5 * ((t - centres) / sigma) ** 2)) / (sigma * math.sqrt(2 * math.pi))

    lo, hi = centres.min() - 12 * sigma, centres.max() + 12 * sigma
    inside = sorted(set(c for c in centres if lo < c < hi))
    h = -scipy.integrate.quad(lambda t: q(t) * math.log(max(q(t), 1e-300)), lo, hi,
                              points=inside, limit=500, epsabs=1e-11)[0]
    return h - 0.5 * math.log(2 * math.pi * math.e * sigma**2)


@pytest.mark.parametrize("sigma", [0.01, 0.1])
@pytest.mark.parametrize("w", [0.02, 0.3, 1.0, 3.0])
def test_gauss_hermite_matches_adaptive_quadrature(w, sigma):
    s = single_neuron.symbols(w)
    assert single_neuron.exact_information(s, sigma) == pytest.approx(
        _adaptive_quadrature(s, sigma), abs=1e-6)


def test_limits():
    # w = 0: one symbol, no information; w → ∞: {−1, −1, −1, +1}, H(1/4, 3/4).
    assert single_neuron.exact_information(single_neuron.symbols(0.0), 0.1) == pytest.approx(
        0.0, abs=1e-12)
    quarter = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    assert single_neuron.exact_information(single_neuron.symbols(50.0), 0.1) == pytest.approx(
        quarter, abs=1e-9)
    np.testing.assert_allclose(single_neuron.symbols(1.0), np.tanh([-5, -3, -1, 1]))


def test_the_plugin_follows_the_exact_curve_within_its_standard_errors():
    """Along w for both σ: |plug-in − exact| ≤ 4 s.e. + 1e-6 (a two-sided 4σ band: all 24
    points fall inside with probability ≈ 0.998 if the s.e. is right; 1e-6 nats is the
    quadrature's own accuracy, which matters where the symbols separate and the plug-in's
    s.e. falls to ~1e-10), and the curve clusters."""
    weights = np.logspace(-2, np.log10(20), 12)
    for sigma in (0.01, 0.1):
        curve = single_neuron.information_curve(weights, sigma, num_mc=4000, seed=11)
        for r in curve:
            assert abs(r["I_plugin"] - r["I_exact"]) <= 4 * r["I_plugin_stderr"] + 1e-6, r
            assert 0.0 <= r["I_exact"] <= math.log(4) + 1e-12
        values = [r["I_exact"] for r in curve]
        assert max(values) > values[-1] + 0.5  # compression as the symbols merge
