"""Shared kernels: chunked log-mean-exp of Gaussian kernels, input checks, units."""

import math

import numpy as np
import tensorflow as tf

__all__ = ["as_labels", "as_samples", "check_sigma", "gaussian_entropy",
           "log_mean_gaussian_kernel", "to_base"]

# Bytes of the largest [rows, n] float64 block of squared distances held at once.
_BLOCK_BYTES = 64 * 2**20


def as_samples(samples, name="samples", ndim=2):
    """Converts NumPy / tf.Tensor input to a finite float64 array [n, d] (n ≥ 1)."""
    if isinstance(samples, (tf.Tensor, tf.Variable)):
        samples = samples.numpy()
    array = np.asarray(samples, dtype=np.float64)
    if array.ndim == 1 and ndim == 2:
        array = array[:, None]
    if array.ndim != ndim:
        raise ValueError(f"{name} must have shape {'[n, d]' if ndim == 2 else f'{ndim}-D'}, "
                         f"got shape {array.shape}.")
    if array.shape[0] == 0 or array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}).")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} has NaN or infinite entries.")
    return array


def as_labels(labels, count, what):
    """Labels (NumPy or tf.Tensor) as a flat array of `count` entries, one per `what`."""
    labels = np.asarray(labels.numpy() if hasattr(labels, "numpy") else labels).reshape(-1)
    if len(labels) != count:
        raise ValueError(f"labels has {len(labels)} entries but there are {count} {what}; "
                         "they must match.")
    return labels


def check_sigma(sigma):
    if isinstance(sigma, bool) or not np.isscalar(sigma) or not np.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"sigma must be a finite number > 0 (the noise standard deviation), "
                         f"got {sigma!r}.")
    return float(sigma)


def to_base(nats, base):
    """Converts nats to the requested base (None or e: nats; 2: bits)."""
    if base is None or base == math.e:
        return nats
    if not base > 1:
        raise ValueError(f"base must be > 1 (2 for bits), got {base!r}.")
    return nats / math.log(base)


def gaussian_entropy(dim, sigma):
    """h(N(0, σ² I_d)) = d/2 log(2πe σ²) nats."""
    return 0.5 * dim * math.log(2 * math.pi * math.e * sigma * sigma)


@tf.function(reduce_retracing=True)
def _block_log_sum_exp(queries, centres, centre_norms, inv_two_var):
    d2 = (tf.reduce_sum(queries * queries, axis=1)[:, None] + centre_norms[None, :]
          - 2.0 * tf.matmul(queries, centres, transpose_b=True))
    return tf.reduce_logsumexp(-tf.maximum(d2, 0.0) * inv_two_var, axis=1)


def log_mean_gaussian_kernel(queries, centres, variance, block_bytes=_BLOCK_BYTES):
    """log (1/n) Σ_i exp(−‖q − c_i‖² / (2 variance)) for every query, [m].

    Pairwise squared distances are formed block by block (at most `block_bytes` at once),
    as ‖q‖² + ‖c‖² − 2 q·c with a matrix product, in float64 after centring.

    Args:
      queries: [m, d] float64.
      centres: [n, d] float64.
      variance: the kernel variance (σ² for the mixture density).
    """
    shift = centres.mean(axis=0)
    centres = tf.constant(centres - shift)
    queries = queries - shift
    centre_norms = tf.reduce_sum(centres * centres, axis=1)
    inv_two_var = tf.constant(0.5 / variance, tf.float64)
    rows = max(1, min(len(queries), block_bytes // (8 * int(centres.shape[0]))))
    out = np.empty(len(queries))
    for start in range(0, len(queries), rows):
        block = queries[start:start + rows]
        if len(block) < rows:  # one traced shape for every block
            block = np.concatenate([block, np.zeros((rows - len(block), block.shape[1]))])
        values = _block_log_sum_exp(tf.constant(block), centres, centre_norms, inv_two_var)
        out[start:start + rows] = values.numpy()[: min(rows, len(queries) - start)]
    return out - math.log(int(centres.shape[0]))
