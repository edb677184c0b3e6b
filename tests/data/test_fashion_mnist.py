"""FashionMNIST from the files Debian's dataset-fashion-mnist installs (setup.sh does)."""

import numpy as np

from echo_ib import data


def test_real_fashion_mnist_from_the_system_location():
    images, labels = data.load("fashion_mnist", "test")
    assert images.shape == (10000, 28, 28, 1)
    np.testing.assert_array_equal(np.bincount(labels), [1000] * 10)
    train_images, train_labels = data.load("fashion_mnist", "train")
    assert train_images.shape == (60000, 28, 28, 1)
    np.testing.assert_array_equal(np.bincount(train_labels), [6000] * 10)
