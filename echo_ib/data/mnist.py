"""MNIST (LeCun, Cortes, Burges) from IDX files, and binarized MNIST from `.amat` files.

Binarized MNIST is Larochelle & Murray's fixed binarization (AISTATS 2011),
`binarized_mnist_{train,valid,test}.amat`.
"""

import numpy as np

from echo_ib.data import io, sources

__all__ = ["load_mnist", "load_binary_mnist", "load_idx_pair"]

_IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def load_idx_pair(key, split, subdirs, data_dir=None, download=True):
    """Images [N, 28, 28, 1] float32 in [0, 1] and labels [N] int64 from an IDX pair
    (downloaded from `sources` when missing and `download`)."""
    if split not in _IDX_FILES:
        raise ValueError(f"split must be one of {sorted(_IDX_FILES)} for {key}, got {split!r}.")
    arrays = []
    for name in _IDX_FILES[split]:
        path = io.find_file(name, subdirs, data_dir, what=f"{key} {split} file",
                            remote=sources.lookup(key, name), download=download)
        arrays.append(io.read_idx(path, io.KNOWN_PAYLOAD_SHA256.get((key, name))))
    images, labels = arrays
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise io.CorruptDataError(
            f"{key} {split}: images {images.shape} and labels {labels.shape} do not match.")
    return (images[..., None].astype(np.float32) / 255.0), labels.astype(np.int64)


def load_mnist(split, data_dir=None, download=True):
    return load_idx_pair("mnist", split, ["mnist", "MNIST"], data_dir, download)


def load_binary_mnist(split, data_dir=None, download=True):
    """Larochelle's binarized MNIST; split in {'train', 'valid', 'test'}; no labels (-1)."""
    if split not in ("train", "valid", "test"):
        raise ValueError(f"split must be 'train', 'valid' or 'test', got {split!r}.")
    path = io.find_file(f"binarized_mnist_{split}.amat",
                        ["binarized_mnist", "binary_mnist", "mnist"], data_dir,
                        what=f"binarized MNIST {split} file",
                        remote=sources.lookup("binary_mnist", f"binarized_mnist_{split}.amat"),
                        download=download)
    images = io.read_amat(path).reshape(-1, 28, 28, 1)
    return images, np.full(len(images), -1, np.int64)
