"""Argument checks and (de)serialization of sub-layers shared by the models."""

import math

import numpy as np

__all__ = ["check_images", "deserialize_parts", "nonnegative", "serialize_parts"]


def serialize_parts(model, names):
    """{name: serialized layer} for a model's sub-layers (its get_config)."""
    import keras
    return {name: keras.saving.serialize_keras_object(getattr(model, name)) for name in names}


def deserialize_parts(config, names):
    """A copy of `config` with the named sub-layers rebuilt (a model's from_config)."""
    import keras
    config = dict(config)
    for name in names:
        config[name] = keras.saving.deserialize_keras_object(config[name])
    return config


def nonnegative(value, name):
    """`value` as a float, or ValueError naming `name` unless it is a finite number ≥ 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    return float(value)


def check_images(x, input_shape, batch_size=None, min_batch_size=1, name="x"):
    """Checks images handed to a model as an array, where the data enters.

    Raises ValueError naming `name` when the examples are not shaped `input_shape`, when
    their values leave [0, 1] (the Bernoulli likelihood's range: 8-bit images give a
    distortion in the thousands of nats, silently), or when a last, partial batch would
    hold fewer than `min_batch_size` examples (echo noise draws each example's noise from
    the other members of its batch). Anything that is not an array (a `tf.data.Dataset`,
    a generator) is left to its producer."""
    if x is None or not hasattr(x, "shape") or not hasattr(x, "dtype"):
        return
    shape = tuple(int(d) for d in x.shape)
    expected = tuple(int(d) for d in input_shape)
    if shape[1:] != expected:
        hint = ""
        if len(shape) >= 2 and int(np.prod(shape[1:])) == int(np.prod(expected)):
            hint = f"; reshape with x.reshape(-1, {', '.join(map(str, expected))})"
        raise ValueError(f"{name} must be images shaped [N, {', '.join(map(str, expected))}], "
                         f"got shape {list(shape)}{hint}.")
    values = np.asarray(x)
    if values.size:
        low, high = float(values.min()), float(values.max())
        if not (0.0 <= low and high <= 1.0):
            hint = "; divide 8-bit images by 255" if high > 1.0 and high <= 255.0 else ""
            raise ValueError(f"{name} must hold intensities in [0, 1] (the Bernoulli "
                             f"likelihood), got values in [{low:g}, {high:g}]{hint}.")
    if batch_size and min_batch_size > 1 and 0 < shape[0] % int(batch_size) < min_batch_size:
        last = shape[0] % int(batch_size)
        raise ValueError(
            f"{name}: {shape[0]} examples at batch_size {batch_size} leave a last batch of "
            f"{last}, and this channel needs batches of at least {min_batch_size} (echo noise "
            "is built from the other members of the batch); drop the remainder, e.g. "
            f"x[:{shape[0] - last}], or batch a tf.data.Dataset with drop_remainder=True.")
