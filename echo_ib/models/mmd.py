"""Maximum mean discrepancy, the InfoVAE's divergence between q(z) and p(z).

Zhao, Song and Ermon, "InfoVAE: Balancing Learning and Inference in Variational
Autoencoders", AAAI 2019, eq. 5 and §4 (MMD-VAE):

```none
MMD²(q, p) = E k(z, z') + E k(ζ, ζ') − 2 E k(z, ζ),     z, z' ~ q(z),  ζ, ζ' ~ p(z)
```

estimated here with the unbiased U-statistic over a batch. Kernels: inverse multiquadric
`k(a, b) = C / (C + ‖a − b‖²)` with `C = 2 D s²` (Tolstikhin et al. 2018, WAE) summed over
scales s, or the Gaussian `exp(−‖a − b‖² / (2 D s²))`.
"""

import tensorflow as tf

__all__ = ["maximum_mean_discrepancy"]

_SCALES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


def _squared_distances(a, b):
    return tf.maximum(
        tf.reduce_sum(a * a, -1)[:, None] + tf.reduce_sum(b * b, -1)[None, :]
        - 2.0 * tf.matmul(a, b, transpose_b=True), 0.0)


def maximum_mean_discrepancy(x, y, kernel="imq", scales=_SCALES):
    """Unbiased estimate of MMD²(P, Q) from samples x ~ P [n, D] and y ~ Q [m, D].

    Args:
      x, y: float tensors [n, D] and [m, D], n, m ≥ 2.
      kernel: 'imq' (inverse multiquadric) or 'rbf'. Default value: 'imq'.
      scales: kernel bandwidths s (multiples of the prior's unit scale), summed.

    Returns:
      A scalar tensor (can be slightly negative, being unbiased).
    """
    if kernel not in ("imq", "rbf"):
        raise ValueError(f"kernel must be 'imq' or 'rbf', got {kernel!r}.")
    x = tf.convert_to_tensor(x)
    y = tf.cast(y, x.dtype)
    dim = tf.cast(tf.shape(x)[-1], x.dtype)

    def k(d2):
        total = 0.0
        for s in scales:
            c = 2.0 * dim * s * s
            total += c / (c + d2) if kernel == "imq" else tf.exp(-d2 / c)
        return total

    def mean_off_diagonal(kxx):
        n = tf.cast(tf.shape(kxx)[0], x.dtype)
        return (tf.reduce_sum(kxx) - tf.linalg.trace(kxx)) / (n * (n - 1.0))

    return (mean_off_diagonal(k(_squared_distances(x, x)))
            + mean_off_diagonal(k(_squared_distances(y, y)))
            - 2.0 * tf.reduce_mean(k(_squared_distances(x, y))))
