"""A training config's training, validation and test images (`data_splits`).

The validation split is carved from the *end* of the training split; with
`train_split == test_split` the test part is that split's last `test_size` examples. The
held-out images are binarized once with fixed seeds, so every method and seed sees the
same bits (and `experiments/evaluate.py` rebuilds them exactly).
"""

import functools

from echo_ib import errors
from echo_ib.data import binarize, load

__all__ = ["DataSplits", "TEST_BITS_SEED", "VALIDATION_BITS_SEED", "data_splits",
           "describe_spans", "split_spans"]

# Fixed binarization seeds of the held-out splits: every method and seed sees the same bits.
VALIDATION_BITS_SEED, TEST_BITS_SEED = 54321, 12345


class DataSplits:
    """Training, validation and test images of a config, and a description of the subsets."""

    def __init__(self, train, validation, test, description):
        self.train, self.validation, self.test = train, validation, test
        self.description = description


@functools.lru_cache(maxsize=8)
def _cached_load(dataset, split, data_dir, download):
    return load(dataset, split, data_dir=data_dir, download=download)[0]


def _load(config, split):
    return _cached_load(config.dataset, split, config.data_dir or None,
                        bool(config.get("download", True)))


def split_spans(config, train_len, test_len):
    """The training, validation and test parts as (split, start, stop) spans: the rule of
    the module docstring for splits of `train_len` and `test_len` examples (`test_len` is
    ignored when the test part comes from the training split). Reads the config's
    train_split, test_split, test_size, validation_size and train_size (0 when absent).

    Raises:
      ConfigError: a size that leaves a part empty or asks for more than there is (named).
    """
    if config.train_split == config.test_split:
        if config.test_size >= train_len:
            raise errors.ConfigError(
                f"config.test_size = {config.test_size}: the {config.train_split} split has "
                f"only {train_len} examples to share between training and test.")
        pool_end = train_len - config.test_size
        test_span = (config.test_split, pool_end, train_len)
    else:
        if config.test_size > test_len:
            raise errors.ConfigError(f"config.test_size = {config.test_size}: the "
                                     f"{config.test_split} split has {test_len} examples.")
        pool_end = train_len
        test_span = (config.test_split, 0, config.test_size or test_len)
    train_end = pool_end - config.validation_size
    if train_end < 1:
        raise errors.ConfigError(
            f"config.validation_size = {config.validation_size}: leaves no training examples "
            f"(the {config.train_split} split has {pool_end} to share).")
    train_size = config.get("train_size", 0)
    if train_size > train_end:
        raise errors.ConfigError(
            f"config.train_size = {train_size}: only {train_end} training examples "
            f"remain in {config.train_split} after the validation and test parts.")
    return ((config.train_split, 0, train_size or train_end),
            (config.train_split, train_end, pool_end), test_span)


def describe_spans(dataset, spans):
    """'mnist: training test[0:7000], validation test[7000:8000], test test[8000:10000]'
    (no validation part when it is empty)."""
    (train_split, a, b), (_, c, d), test_span = spans
    parts = [f"training {train_split}[{a}:{b}]"]
    if d > c:
        parts.append(f"validation {train_split}[{c}:{d}]")
    parts.append("test {}[{}:{}]".format(*test_span))
    return f"{dataset}: " + ", ".join(parts)


def data_splits(config):
    """The config's training / validation / test images, binarized as asked.

    The validation split is carved from the *end* of the training split (FashionMNIST:
    the paper trains on the first 50,000 images; validation_size 10,000 holds out the rest).
    When `train_split == test_split` (e.g. MNIST's test set, the only MNIST here) the test
    part is the last `test_size` examples of that split and training uses what precedes.
    """
    images = {config.train_split: _load(config, config.train_split)}
    if config.test_split not in images:
        images[config.test_split] = _load(config, config.test_split)
    spans = split_spans(config, len(images[config.train_split]),
                        len(images[config.test_split]))
    train, validation, test = (images[split][a:b] for split, a, b in spans)
    for name, images in (("training", train), ("test", test), ("validation", validation)):
        if len(images) < config.batch_size and (name != "validation" or len(images)):
            raise errors.ConfigError(f"config.batch_size = {config.batch_size} exceeds the "
                                     f"{len(images)} {name} examples.")
    mode = config.binarize
    train = binarize(train, mode if mode != "dynamic" else "none", seed=0)
    held_out = "fixed" if mode == "dynamic" else mode
    validation = binarize(validation, held_out, seed=VALIDATION_BITS_SEED)
    test = binarize(test, held_out, seed=TEST_BITS_SEED)
    return DataSplits(train, validation, test, describe_spans(config.dataset, spans))
