"""Data sets from their standard files: `images, labels = echo_ib.data.load(name, split)`.

Images are float32 [N, 28, 28, 1] in [0, 1] (the 12-bit task: [4096, 12]); labels int64.
"""

import numpy as np
import tensorflow as tf

from echo_ib.data.fashion_mnist import load_fashion_mnist
from echo_ib.data.io import CorruptDataError, DataNotFoundError, search_dirs
from echo_ib.data.mnist import load_binary_mnist, load_mnist
from echo_ib.data.omniglot import load_omniglot
from echo_ib.data.synthetic import twelve_bit_task

__all__ = [
    "BINARIZATIONS",
    "CorruptDataError",
    "DATASETS",
    "DataNotFoundError",
    "binarize",
    "load",
    "make_dataset",
    "search_dirs",
]

DATASETS = ("mnist", "binary_mnist", "fashion_mnist", "omniglot", "twelve_bit")
BINARIZATIONS = (None, "fixed", "threshold", "dynamic")


def binarize(images, mode, seed=0):
    """Binarizes intensities in [0, 1].

    Args:
      images: float array in [0, 1].
      mode: None (keep intensities), 'threshold' (x > ½), 'fixed' (one Bernoulli(x) draw
        with `seed`, kept for good: Larochelle's stochastic binarization), or 'dynamic'
        (intensities returned; `make_dataset` draws a fresh Bernoulli sample every batch).
      seed: seed of the fixed draw.
    """
    if mode not in BINARIZATIONS:
        raise ValueError(f"binarize must be one of {BINARIZATIONS}, got {mode!r}.")
    if mode == "threshold":
        return (images > 0.5).astype(np.float32)
    if mode == "fixed":
        rng = np.random.default_rng(seed)
        return (rng.random(images.shape, dtype=np.float32) < images).astype(np.float32)
    return images


_binarize_images = binarize  # load()'s `binarize` argument shadows the function's name


def load(name, split, data_dir=None, binarize=None, seed=0):
    """Loads a data set split from its standard files.

    Args:
      name: one of `DATASETS`.
      split: 'train' or 'test' (binary_mnist also 'valid'; omniglot also
        'background_small1' and 'background_small2'; twelve_bit: 'all').
      data_dir: directory searched first (then $ECHO_IB_DATA, ~/.keras/datasets,
        /usr/share/datasets).
      binarize: see `binarize`. Default value: None.
      seed: seed for `binarize='fixed'`.

    Returns:
      `(images, labels)` NumPy arrays.

    Raises:
      ValueError: unknown name, split or binarization.
      DataNotFoundError: a file is missing (the message lists every place looked).
      CorruptDataError: a file is truncated, corrupt or not the real data.
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; expected one of {DATASETS}.")
    if binarize not in BINARIZATIONS:
        raise ValueError(f"binarize must be one of {BINARIZATIONS}, got {binarize!r}.")
    if name == "twelve_bit":
        if split not in ("all", "train", "test"):
            raise ValueError(f"twelve_bit has one split, 'all'; got {split!r}.")
        return twelve_bit_task(data_dir)
    loader = {"mnist": load_mnist, "binary_mnist": load_binary_mnist,
              "fashion_mnist": load_fashion_mnist, "omniglot": load_omniglot}[name]
    images, labels = loader(split, data_dir)
    return _binarize_images(images, binarize, seed), labels


def make_dataset(images, batch_size, shuffle=True, dynamic_binarization=False, seed=0,
                 drop_remainder=True, repeat=False):
    """A tf.data pipeline of image batches (echo noise wants full batches: drop_remainder).

    With `dynamic_binarization`, each batch is a fresh Bernoulli(x) draw (stateless, so a
    given seed and epoch order always give the same bits).
    """
    ds = tf.data.Dataset.from_tensor_slices(images)
    if shuffle:
        ds = ds.shuffle(min(len(images), 60000), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    if dynamic_binarization:
        ds = ds.enumerate().map(
            lambda i, x: tf.cast(
                tf.random.stateless_uniform(tf.shape(x), tf.stack([seed, tf.cast(i, tf.int32)]))
                < x, x.dtype),
            num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)
