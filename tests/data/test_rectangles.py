"""Tests of the rectangle images with known mutual information."""

import math

import numpy as np
import pytest

from echo_ib.data import rectangles


def test_correlation_gives_the_requested_information():
    for info in (0.0, 1.0, 10.0):
        rho = rectangles.correlation_for(info)
        assert -2.0 * math.log(1 - rho**2) == pytest.approx(info, abs=1e-12)


def test_pixels_are_areas_of_overlap():
    # u = Φ(0) = ½ everywhere: centre 8 and sides 0.325·16 = 5.2 px: [5.4, 10.6) each way.
    image = rectangles.rectangle_images(np.zeros((1, 4)), 16)[0]
    assert image.sum() == pytest.approx(5.2**2, rel=1e-6)
    assert image[8, 8] == 1.0 and image[0, 0] == 0.0
    assert image[5, 8] == pytest.approx(0.6, abs=1e-6)  # row 5 covers [5.4, 6)
    assert image[5, 5] == pytest.approx(0.36, abs=1e-6)  # the corner pixel: 0.6 × 0.6


def test_the_map_is_injective_and_the_pairs_are_correlated():
    x, y, xi, eta = rectangles.rectangle_pairs(2000, 2.0, 16, seed=0)
    assert x.shape == (2000, 16, 16) and 0.0 <= x.min() and x.max() <= 1.0
    # Distinct latents give distinct images (sub-pixel positions are visible).
    assert len({img.tobytes() for img in x}) == 2000
    rho = rectangles.correlation_for(2.0)
    sample = np.mean(xi * eta, axis=0)
    # E ξη = ρ, Var ξη = 1 + ρ² for a standard bivariate normal pair.
    assert np.all(np.abs(sample - rho) < 4 * math.sqrt((1 + rho**2) / 2000))
