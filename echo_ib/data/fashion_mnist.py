"""FashionMNIST (Xiao, Rasul, Vollgraf 2017) from its IDX files.

Debian's package `dataset-fashion-mnist` installs them under
`/usr/share/datasets/fashion-mnist/`, one of the standard search places.
"""

from echo_ib.data import mnist

__all__ = ["load_fashion_mnist"]


def load_fashion_mnist(split, data_dir=None, download=True):
    return mnist.load_idx_pair("fashion_mnist", split,
                               ["fashion-mnist", "fashion_mnist", "FashionMNIST"], data_dir,
                               download)
