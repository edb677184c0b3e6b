"""Masked autoencoders for distribution estimation (Germain, Gregor, Murray, Larochelle,
ICML 2015): the autoregressive networks of the flows.

`autoregressive_masks(dim, hidden_units)` gives the masks of a MADE with any number of
hidden layers: inputs carry degrees 1..D, the units of hidden layer l degrees in 1..D−1
(assigned cyclically), a connection from a unit of degree d to one of degree d' exists
when d' ≥ d, and output i sees hidden units of degree < i, so output i depends on
z_{<i} only. A context vector (e.g. the encoder's output) may feed every hidden unit
without breaking that.
"""

import numpy as np

__all__ = ["autoregressive_masks"]


def autoregressive_masks(dim, hidden_units):
    """Masks [(D, H_1), (H_1, H_2), …, (H_L, D)] of a MADE, float32 NumPy arrays."""
    in_degrees = np.arange(1, dim + 1)
    degrees = [in_degrees]
    for width in hidden_units:
        degrees.append((np.arange(width) % max(dim - 1, 1)) + 1)
    masks = [(later[None, :] >= earlier[:, None]).astype(np.float32)
             for earlier, later in zip(degrees[:-1], degrees[1:])]
    masks.append((in_degrees[None, :] > degrees[-1][:, None]).astype(np.float32))
    return masks
