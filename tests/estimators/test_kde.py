"""The Kolchinsky–Tracey bounds bracket the mixture entropy and are tight when separated."""

import math

import numpy as np
import pytest

from echo_ib import estimators as est
from echo_ib.estimators import _mixture


@pytest.mark.parametrize("sigma", [0.05, 0.3, 1.0, 5.0])
def test_bounds_bracket_the_mixture_entropy(sigma):
    samples = np.random.default_rng(0).normal(size=(400, 3))
    h = est.plugin_entropy(samples, sigma, num_mc=20000, seed=1)
    lower = est.kde_entropy_lower(samples, sigma).value
    upper = est.kde_entropy_upper(samples, sigma).value
    assert lower - 3 * h.stderr <= h.value <= upper + 3 * h.stderr
    assert lower <= upper


def test_tight_for_well_separated_components():
    centres = np.arange(10)[:, None] * 100.0
    expected = _mixture.gaussian_entropy(1, 1.0) + math.log(10)
    upper, lower = est.kde_entropy_upper(centres, 1.0), est.kde_entropy_lower(centres, 1.0)
    assert upper.value == pytest.approx(expected, abs=1e-9)
    assert lower.value == pytest.approx(expected, abs=1e-9)
    assert upper.quantity == "upper bound on h(P*N)" and upper.stderr is None


def test_order_invariance_and_bits():
    samples = np.random.default_rng(2).normal(size=(200, 2))
    assert est.kde_entropy_upper(samples[::-1], 0.4).value == pytest.approx(
        est.kde_entropy_upper(samples, 0.4).value, abs=1e-10)
    assert est.kde_entropy_upper(samples, 0.4, base=2).value == pytest.approx(
        est.kde_entropy_upper(samples, 0.4).value / math.log(2), rel=1e-12)


def test_bad_sigma():
    with pytest.raises(ValueError, match="sigma"):
        est.kde_entropy_upper(np.zeros((3, 1)), float("nan"))
