"""Argument checks shared by the models."""

import math

import numpy as np

__all__ = ["nonnegative"]


def nonnegative(value, name):
    """`value` as a float, or ValueError naming `name` unless it is a finite number ≥ 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    return float(value)
