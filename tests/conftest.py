"""Shared test fixtures: a tiny MNIST look-alike in IDX files and tiny training configs."""

import numpy as np
import pytest

from tests import helpers


@pytest.fixture(scope="session")
def tiny_data_dir(tmp_path_factory):
    """A 400-image MNIST look-alike in IDX files (discs of varying size), train split only.

    MNIST's real test files are bundled and recognised by their digest, so the tiny data
    uses the train file names and configs take their test part from the same split.
    """
    folder = tmp_path_factory.mktemp("tiny_mnist")
    rng = np.random.default_rng(0)
    n = 400
    yy, xx = np.mgrid[:28, :28]
    radius = rng.uniform(3, 12, size=(n, 1, 1))
    images = (((yy - 14) ** 2 + (xx - 14) ** 2) < radius**2) * 255
    helpers.write_idx(folder / "train-images-idx3-ubyte.gz", images)
    helpers.write_idx(folder / "train-labels-idx1-ubyte.gz", rng.integers(0, 10, n))
    return folder
