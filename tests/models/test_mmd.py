"""Tests of the MMD estimator (InfoVAE divergence)."""

import numpy as np
import pytest

from echo_ib.models import mmd


def test_unbiased_mmd_vanishes_in_expectation_for_equal_laws():
    rng = np.random.default_rng(0)
    values = [mmd.maximum_mean_discrepancy(rng.normal(size=(100, 3)).astype(np.float32),
                                           rng.normal(size=(100, 3)).astype(np.float32)).numpy()
              for _ in range(40)]
    assert abs(np.mean(values)) < 4 * np.std(values) / np.sqrt(len(values))


@pytest.mark.parametrize("kernel", ["imq", "rbf"])
def test_mmd_grows_with_the_shift(kernel):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 2)).astype(np.float32)
    y = rng.normal(size=(300, 2)).astype(np.float32)
    values = [mmd.maximum_mean_discrepancy(x + shift, y, kernel=kernel).numpy()
              for shift in (0.0, 0.5, 1.0, 3.0)]
    assert values == sorted(values)
    assert values[-1] > 0.1


def test_unknown_kernel():
    with pytest.raises(ValueError, match="kernel"):
        mmd.maximum_mean_discrepancy(np.zeros((3, 2)), np.zeros((3, 2)), kernel="cosine")
