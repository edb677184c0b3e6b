"""Data sets from their standard files: `images, labels = echo_ib.data.load(name, split)`.

Images are float32 [N, 28, 28, 1] in [0, 1] (the 12-bit task: [4096, 12]); labels int64.
"""

import numpy as np
import tensorflow as tf

from echo_ib.data.fashion_mnist import load_fashion_mnist
from echo_ib.data.io import CorruptDataError, DataNotFoundError, search_dirs
from echo_ib.data.mnist import load_binary_mnist, load_mnist
from echo_ib.data.omniglot import load_omniglot, load_omniglot_chardata
from echo_ib.data.synthetic import twelve_bit_task

__all__ = [
    "BINARIZATIONS",
    "CorruptDataError",
    "DATASETS",
    "LOADERS",
    "DataNotFoundError",
    "binarize",
    "load",
    "make_dataset",
    "search_dirs",
]

# The registry of image data sets: name -> loader(split, data_dir, download) returning
# (images [N, H, W, C] float32 in [0, 1], labels [N] int64). A new data set is one loader
# and one line here (plus its splits in the training schema, SPLITS).
LOADERS = {"mnist": load_mnist, "binary_mnist": load_binary_mnist,
           "fashion_mnist": load_fashion_mnist, "omniglot": load_omniglot,
           "omniglot_chardata": load_omniglot_chardata}
DATASETS = (*LOADERS, "twelve_bit")
BINARIZATIONS = ("none", "fixed", "threshold", "dynamic")


def binarize(images, mode, seed=0):
    """Binarizes intensities in [0, 1].

    Args:
      images: float array in [0, 1].
      mode: 'none' or None (keep the grey-scale intensities: the Bernoulli likelihood then
        scores them as soft targets, as the echo paper did on FashionMNIST), 'threshold'
        (x > ½), 'fixed' (one Bernoulli(x) draw with `seed`, kept for good: Larochelle's
        stochastic binarization), or 'dynamic' (intensities returned; `make_dataset` draws a
        fresh Bernoulli sample every batch).
      seed: seed of the fixed draw.
    """
    if mode is None:
        mode = "none"
    if mode not in BINARIZATIONS:
        raise ValueError(f"binarize must be one of {BINARIZATIONS}, got {mode!r}.")
    if mode == "threshold":
        return (images > 0.5).astype(np.float32)
    if mode == "fixed":
        rng = np.random.default_rng(seed)
        return (rng.random(images.shape, dtype=np.float32) < images).astype(np.float32)
    return images


_binarize_images = binarize  # load()'s `binarize` argument shadows the function's name


def load(name, split, data_dir=None, binarize=None, seed=0, download=True):
    """Loads a data set split from its standard files.

    Args:
      name: one of `DATASETS`.
      split: 'train' or 'test' (binary_mnist also 'valid'; omniglot also
        'background_small1' and 'background_small2'; twelve_bit also 'all').
      data_dir: directory searched first (then $ECHO_IB_DATA, ~/.keras/datasets,
        /usr/share/datasets, and the repository's bundled `data/`); must exist if given.
      binarize: see `binarize`. Default value: None.
      seed: seed for `binarize='fixed'`.
      download: fetch a standard file that is in none of those places from its public URL
        into the cache ($ECHO_IB_DATA, else ~/.keras/datasets), verified against its
        published checksum (`echo_ib.data.sources`). Default value: True.

    Returns:
      `(images, labels)` NumPy arrays.

    Raises:
      ValueError: unknown name, split or binarization.
      DataNotFoundError: a file is missing and not downloaded (the message lists every
        place looked, the file's URL and the command that fetches it by hand).
      DownloadError: the download failed or was not the published file; nothing cached.
      CorruptDataError: a file is truncated, corrupt or not the real data.
    """
    if name not in LOADERS and name != "twelve_bit":
        raise ValueError(f"unknown dataset {name!r}; expected one of {(*LOADERS, 'twelve_bit')}.")
    if binarize is not None and binarize not in BINARIZATIONS:
        raise ValueError(f"binarize must be one of {BINARIZATIONS}, got {binarize!r}.")
    if name == "twelve_bit":
        return twelve_bit_task(data_dir, split)
    images, labels = LOADERS[name](split, data_dir, download)
    return _binarize_images(images, binarize, seed), labels


def make_dataset(images, batch_size, shuffle=True, dynamic_binarization=False, seed=0,
                 drop_remainder=True, epochs=1, initial_epoch=0):
    """A tf.data pipeline of image batches for epochs `initial_epoch` … `epochs − 1`.

    Each epoch's order (a stateless permutation) and, with `dynamic_binarization`, each
    batch's Bernoulli(x) bits are functions of (seed, epoch, batch) alone, so a run resumed
    at epoch e sees exactly the batches that an uninterrupted run sees from epoch e on.
    Echo noise wants full batches: the remainder of each epoch is dropped by default.

    Args:
      images: float array [N, ...] in [0, 1].
      batch_size: B ≥ 1.
      shuffle: a fresh order every epoch. Default value: True.
      dynamic_binarization: draw fresh bits every batch. Default value: False.
      seed: int seed of the orders and bits.
      drop_remainder: drop each epoch's last partial batch. Default value: True.
      epochs, initial_epoch: the epochs to cover; `epochs=None` repeats forever.

    Returns:
      A `tf.data.Dataset` of float32 batches [B, ...].
    """
    images = tf.constant(np.asarray(images, np.float32))
    count = int(images.shape[0])
    base = tf.constant([int(seed), 0], tf.int64)

    def epoch_indices(epoch):
        order = tf.range(count, dtype=tf.int64)
        if shuffle:
            key = tf.random.experimental.stateless_fold_in(base, epoch)
            order = tf.cast(tf.argsort(tf.random.stateless_uniform([count], key)), tf.int64)
        batches = tf.data.Dataset.from_tensor_slices(order).batch(batch_size, drop_remainder)
        return batches.enumerate().map(lambda b, index: (epoch, b, index))

    def gather(epoch, b, index):
        x = tf.gather(images, index)
        if dynamic_binarization:
            key = tf.random.experimental.stateless_fold_in(
                tf.random.experimental.stateless_fold_in(base + [0, 1], epoch), b)
            x = tf.cast(tf.random.stateless_uniform(tf.shape(x), key) < x, x.dtype)
        return x

    last = np.iinfo(np.int64).max if epochs is None else int(epochs)
    ds = tf.data.Dataset.range(int(initial_epoch), last).flat_map(epoch_indices)
    if epochs is not None:  # a known length lets Keras tell "done" from "ran out of data"
        per_epoch = count // batch_size if drop_remainder else -(-count // batch_size)
        ds = ds.apply(tf.data.experimental.assert_cardinality(
            max(0, last - int(initial_epoch)) * per_epoch))
    return ds.map(gather, num_parallel_calls=tf.data.AUTOTUNE,
                  deterministic=True).prefetch(tf.data.AUTOTUNE)
