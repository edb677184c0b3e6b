"""Tests of the MNIST and binarized-MNIST loaders on tiny files and the real test set."""

import numpy as np
import pytest

from echo_ib import data
from tests.helpers import write_idx


def test_real_mnist_test_set():
    # Found with no configuration: the repository bundles it (data/README.md).
    images, labels = data.load("mnist", "test")
    assert images.shape == (10000, 28, 28, 1) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0
    np.testing.assert_array_equal(labels[:8], [7, 2, 1, 0, 4, 1, 4, 9])
    np.testing.assert_array_equal(np.bincount(labels),
                                  [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])


def test_tiny_idx_pair(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, size=(6, 28, 28))
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.arange(6))
    x, y = data.load("mnist", "train", data_dir=tmp_path)
    np.testing.assert_allclose(x[..., 0], images / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(y, np.arange(6))


def test_mismatched_images_and_labels(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((6, 28, 28)))
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(5))
    with pytest.raises(data.CorruptDataError, match="do not match"):
        data.load("mnist", "train", data_dir=tmp_path)


def test_binary_mnist_amat(tmp_path):
    rows = np.random.default_rng(1).integers(0, 2, size=(4, 784))
    np.savetxt(tmp_path / "binarized_mnist_valid.amat", rows, fmt="%d")
    x, y = data.load("binary_mnist", "valid", data_dir=tmp_path)
    assert x.shape == (4, 28, 28, 1)
    np.testing.assert_array_equal(x.reshape(4, -1), rows)
    assert np.all(y == -1)


@pytest.mark.parametrize("mode", ["fixed", "threshold"])
def test_binarizations(mode):
    intensities = np.random.default_rng(2).random((2000, 28, 28, 1)).astype(np.float32)
    bits = data.binarize(intensities, mode, seed=3)
    assert set(np.unique(bits)) <= {0.0, 1.0}
    # E[bit] = intensity for the Bernoulli draw; 1{x > ½} for the threshold.
    expected = intensities.mean() if mode == "fixed" else (intensities > 0.5).mean()
    assert abs(bits.mean() - expected) < 4 * 0.5 / np.sqrt(bits.size)
    if mode == "fixed":
        np.testing.assert_array_equal(bits, data.binarize(intensities, mode, seed=3))


def test_dynamic_binarization_redraws_every_batch():
    images = np.full((8, 4), 0.5, np.float32)
    batches = [b.numpy() for b in data.make_dataset(images, 4, shuffle=False,
                                                     dynamic_binarization=True, epochs=None)
               .take(4)]
    assert all(set(np.unique(b)) <= {0.0, 1.0} for b in batches)
    assert not np.array_equal(batches[0], batches[2])  # same images, fresh bits


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown dataset"):
        data.load("cifar", "train")
    with pytest.raises(ValueError, match="split"):
        data.load("mnist", "validation")
    with pytest.raises(ValueError, match="binarize"):
        data.load("mnist", "test", binarize="stochastic")
