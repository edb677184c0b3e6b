"""Shared test fixtures: a tiny MNIST look-alike in IDX files and tiny training configs."""

import os

import numpy as np
import pytest

from tests import helpers

# No test may reach a host outside this machine: a data file that some test fails to find
# would otherwise be downloaded from its publisher. Every download goes to a port on
# 127.0.0.1 where nothing listens, unless a test serves the files itself (and the
# processes the tests start inherit this).
os.environ["ECHO_IB_DATA_MIRROR"] = "http://127.0.0.1:9"


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
