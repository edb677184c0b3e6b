"""The shared kernel of the mixture estimators: Gaussian-kernel sums and posteriors.

For draws t_j and an equal-weight Gaussian mixture q(t) = (1/N) Σ_k N(t; c_k, v I) whose N
centres are ordered input-major (`reps` consecutive centres per input), one pass over the
pairwise squared distances gives, for every draw,

```none
log_mean     = log (1/N) Σ_k exp(−‖t − c_k‖² / 2v)                  (log q(t) + d/2 log 2πv)
input_H      = H(p(i | t)),  p(i | t) ∝ Σ_r exp(−‖t − c_{i,r}‖² / 2v)   posterior over inputs
label_KL     = KL(p(y | t) ‖ p_Y),  p(y | t) = Σ_{i: y_i = y} p(i | t)   (when labels are given)
```

Distances are formed block by block (at most `block_bytes` of [rows, N] float64 at once)
as ‖q‖² + ‖c‖² − 2 q·c with a matrix product, after centring everything on the centres'
mean. That form has an absolute error of about 4ε(‖q‖² + ‖c‖²) (ε = 2⁻⁵², float64): when
the points spread so far (beyond ≈ 1,500 σ from their mean) that this could reach 10⁻⁹ of a
kernel's log, the exact differences Σ_k (q_k − c_k)² are summed instead (slower, same
memory bound), so squared distances, and a centre's distance to itself (0), are exact to
float64 rounding at any offset and spread.
"""

import math

import numpy as np
import tensorflow as tf

__all__ = ["GaussianMixture", "as_labels", "as_samples", "check_sigma", "gaussian_entropy",
           "log_mean_gaussian_kernel", "to_base"]

# Bytes of the largest [rows, N] float64 block (or [rows, N, d] on the exact path).
BLOCK_BYTES = 64 * 2**20
# Tolerated error of a kernel's log from forming distances by products, in nats.
_LOG_KERNEL_TOLERANCE = 1e-9


def as_samples(samples, name="samples", ndim=2):
    """Converts NumPy / tf.Tensor input to a finite float64 array [n, d] (n ≥ 1)."""
    if isinstance(samples, (tf.Tensor, tf.Variable)):
        samples = samples.numpy()
    try:
        array = np.asarray(samples, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name} must be numeric, got {type(samples).__name__} ({e}).") from e
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
    """Labels (NumPy or tf.Tensor) as a flat array of `count` entries, one per `what`.

    Raises ValueError for a length mismatch and for float labels that are NaN or infinite
    (a NaN is no class: it would silently become its own group, or none).
    """
    labels = np.asarray(labels.numpy() if hasattr(labels, "numpy") else labels).reshape(-1)
    if len(labels) != count:
        raise ValueError(f"labels has {len(labels)} entries but there are {count} {what}; "
                         "they must match.")
    if labels.dtype.kind == "f" and not np.all(np.isfinite(labels)):
        raise ValueError("labels has NaN or infinite entries; every input needs a class.")
    if labels.dtype.kind not in "biufUS":
        raise ValueError(f"labels must be class ids (ints or strings), got dtype {labels.dtype}.")
    return labels


def check_sigma(sigma):
    """σ as a float, or ValueError unless it is a finite number > 0."""
    if (isinstance(sigma, (bool, str)) or not np.isscalar(sigma)
            or not np.isfinite(sigma) or sigma <= 0):
        raise ValueError(f"sigma must be a finite number > 0 (the noise standard deviation), "
                         f"got {sigma!r}.")
    return float(sigma)


def to_base(nats, base):
    """Converts nats to the requested base (None or e: nats; 2: bits)."""
    if base is None or base == math.e:
        return nats
    if isinstance(base, (bool, str)) or not base > 1:
        raise ValueError(f"base must be > 1 (2 for bits), got {base!r}.")
    return nats / math.log(base)


def gaussian_entropy(dim, sigma):
    """h(N(0, σ² I_d)) = d/2 log(2πe σ²) nats."""
    return 0.5 * dim * math.log(2 * math.pi * math.e * sigma * sigma)


@tf.function(reduce_retracing=True)
def _block_terms(queries, centres, centre_norms, inv_two_var, reps, onehot, log_prior, exact,
                 posterior, self_start):
    if exact:
        d2 = tf.reduce_sum(tf.square(queries[:, None, :] - centres[None, :, :]), axis=-1)
    else:
        d2 = tf.maximum(tf.reduce_sum(queries * queries, axis=1)[:, None]
                        + centre_norms[None, :]
                        - 2.0 * tf.matmul(queries, centres, transpose_b=True), 0.0)
    logits = -d2 * inv_two_var
    if self_start is not None:  # leave one out: query r is centre self_start + r
        rows = tf.shape(queries)[0]
        own = tf.one_hot(self_start + tf.range(rows), tf.shape(centres)[0], on_value=True,
                         off_value=False)
        logits = tf.where(own, tf.constant(-np.inf, tf.float64), logits)
    peak = tf.reduce_max(logits, axis=1, keepdims=True)
    weights = tf.exp(logits - peak)  # [rows, N], the largest is 1
    total = tf.reduce_sum(weights, axis=1)
    log_total = tf.math.log(total)
    log_sum = log_total + peak[:, 0]
    if not posterior:
        return log_sum, tf.zeros_like(log_sum), tf.zeros_like(log_sum)
    per_input = tf.reduce_sum(tf.reshape(weights, [tf.shape(weights)[0], -1, reps]), axis=2)
    input_entropy = log_total - tf.reduce_sum(tf.math.xlogy(per_input, per_input), 1) / total
    if onehot is None:
        return log_sum, input_entropy, tf.zeros_like(log_sum)
    posterior = tf.matmul(per_input, onehot) / total[:, None]  # p(y | t), [rows, G]
    label_kl = tf.reduce_sum(tf.math.xlogy(posterior, posterior) - posterior * log_prior, 1)
    return log_sum, input_entropy, tf.maximum(label_kl, 0.0)


class GaussianMixture:
    """An equal-weight Gaussian mixture prepared for `terms(queries)` (module docstring).

    Args:
      centres: [N, d] float64, input-major: rows r·k … r·k + r − 1 belong to input k.
      variance: v, the kernel variance (σ² for the mixture of a noisy layer).
      reps: r, centres per input (N = n·r). Default value: 1.
      labels: optional [n] label of each input, for `label_kl`.
      posterior: compute the posterior terms (False: `log_mean` only, about half the work).
      block_bytes: the memory bound of one block.
    """

    def __init__(self, centres, variance, reps=1, labels=None, posterior=True,
                 block_bytes=BLOCK_BYTES):
        self._count, self._dim = centres.shape
        self._shift = centres.mean(axis=0)
        centred = centres - self._shift
        self._centre_spread = float(np.max(np.sum(centred**2, 1)))
        self._variance, self._reps = float(variance), int(reps)
        self._posterior, self._block_bytes = bool(posterior), block_bytes
        self._labelled = posterior and labels is not None
        self._onehot = self._log_prior = None
        if self._labelled:
            classes, index = np.unique(labels, return_inverse=True)
            self._onehot = tf.constant(np.eye(len(classes))[index], tf.float64)  # [n, G]
            self._log_prior = tf.constant(np.log(np.bincount(index) / len(index)), tf.float64)
        self._centres = tf.constant(centred)
        self._norms = tf.reduce_sum(self._centres * self._centres, axis=1)
        self._inv_two_var = tf.constant(0.5 / self._variance, tf.float64)

    def terms(self, queries, leave_one_out=False):
        """dict of float64 [m] arrays: `log_mean`, and with `posterior` `input_entropy` and
        (with labels) `label_kl`, in nats (see the module docstring).

        With `leave_one_out`, the queries are the centres themselves (same order) and each
        one's own kernel is left out: `log_mean` is then log (1/(N−1)) Σ_{k≠i} ….
        """
        if leave_one_out and len(queries) != self._count:
            raise ValueError("leave_one_out needs the centres themselves as queries.")
        queries = queries - self._shift
        # Error of ‖q‖² + ‖c‖² − 2q·c ≈ 4ε(‖q‖² + ‖c‖²); the log kernel is d² / 2v.
        spread = self._centre_spread + float(np.max(np.sum(queries**2, 1)))
        exact = 4 * np.finfo(np.float64).eps * spread > (
            2 * self._variance * _LOG_KERNEL_TOLERANCE)
        row_bytes = 8 * self._count * (self._dim if exact else 1)
        rows = max(1, min(len(queries), self._block_bytes // row_bytes))
        keys = ["log_mean"] + (["input_entropy"] if self._posterior else []) + (
            ["label_kl"] if self._labelled else [])
        out = {key: np.empty(len(queries)) for key in keys}
        for start in range(0, len(queries), rows):
            block = queries[start:start + rows]
            size = len(block)
            if size < rows:  # one traced shape for every block
                block = np.concatenate([block, np.zeros((rows - size, self._dim))])
            values = _block_terms(tf.constant(block), self._centres, self._norms,
                                  self._inv_two_var, self._reps, self._onehot, self._log_prior,
                                  bool(exact), self._posterior,
                                  tf.constant(start) if leave_one_out else None)
            for key, value in zip(("log_mean", "input_entropy", "label_kl"), values):
                if key in out:
                    out[key][start:start + size] = value.numpy()[:size]
        out["log_mean"] -= math.log(self._count - 1 if leave_one_out else self._count)
        return out


def log_mean_gaussian_kernel(queries, centres, variance, block_bytes=BLOCK_BYTES):
    """log (1/n) Σ_i exp(−‖q − c_i‖² / (2 variance)) for every query, [m].

    Args:
      queries: [m, d] float64.
      centres: [n, d] float64.
      variance: the kernel variance (σ² for the mixture density).
      block_bytes: the memory bound of one block.
    """
    mixture = GaussianMixture(centres, variance, posterior=False, block_bytes=block_bytes)
    return mixture.terms(queries)["log_mean"]
