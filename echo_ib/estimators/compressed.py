"""Mutual information through lossy compression (Butakov et al., ICLR 2024).

`mutual_information_compressed(x, y, latent_dims)` compresses each high-dimensional
argument with a compressor (`echo_ib.models.compressors`: an autoencoder, or PCA as the
linear baseline) and estimates the MI between the codes:

```none
'ksg':  Î = KSG(g_x(X), g_y(Y))
'wkl':  Î = Ĥ(g_x(X)) + Ĥ(g_y(Y)) − Ĥ(g_x(X), g_y(Y))      weighted Kozachenko–Leonenko Ĥ
'kde':  Î likewise, Ĥ the leave-one-out Gaussian-KDE entropy
        Ĥ = −(1/n) Σ_i log (1/(n−1)) Σ_{j≠i} N(z_i; z_j, b² I) on whitened codes,
        b = n^{−1/(d+4)} (Scott's rule)
```

A `y` of integer labels [n] is discrete and is not compressed: Î = Ĥ(g_x(X)) −
Σ_c p(c) Ĥ(g_x(X) | Y = c) (ksg: the same with the WKL entropies). An argument whose
dimension is at most its latent size is used as it is. The standard error is that of the
per-sample terms (`knn` module docstring); for a difference of entropies the per-sample
terms are combined before the standard deviation is taken.

The fitted compressors are returned, and can be passed back (`compressors=`) to reuse them
along a training run: with `refit_epochs > 0` they keep training from where they were.
"""

import collections
import math

import numpy as np

from echo_ib import seeding
from echo_ib.estimators import _mixture, knn
from echo_ib.estimators.estimate import Estimate
from echo_ib.estimators import compressors as compressors_lib

__all__ = ["CompressedInformation", "ESTIMATORS", "kde_entropy_terms",
           "mutual_information_compressed"]

ESTIMATORS = ("wkl", "kde", "ksg")

CompressedInformation = collections.namedtuple(
    "CompressedInformation", ["estimate", "compressors", "codes"])
CompressedInformation.__doc__ = ("`estimate` (an `Estimate`), the fitted `compressors` "
                                 "(x's, y's) and the `codes` they produced.")


def kde_entropy_terms(samples):
    """Per-sample terms −log q_{−i}(z_i) of the leave-one-out KDE entropy (whitened), [n]."""
    white, log_scale = knn.whiten(samples)
    n, d = white.shape
    bandwidth = n ** (-1.0 / (d + 4))
    mixture = _mixture.GaussianMixture(white, bandwidth**2, posterior=False)
    log_mean = mixture.terms(white, leave_one_out=True)["log_mean"]
    return -log_mean + 0.5 * d * math.log(2 * math.pi * bandwidth**2) + log_scale


def _entropy_terms(samples, estimator, k):
    if estimator == "kde":
        return kde_entropy_terms(samples)
    white, log_scale = knn.whiten(samples)
    n, d = white.shape
    k = knn.default_k(n, d) if k is None else k
    return knn.weighted_kl_terms(white, k) + log_scale


def _is_labels(y):
    y = np.asarray(y.numpy() if hasattr(y, "numpy") else y)
    return y.ndim == 1 and y.dtype.kind in "biu"


def _fit(compressor, data, epochs, seed):
    if isinstance(compressor, compressors_lib.Autoencoder):
        return compressor.fit(data, epochs=epochs)
    return compressor.fit(data)


def _compressor_for(data, latent_dim, kind, given, refit_epochs, epochs, seed):
    flat_dim = int(np.prod(np.shape(data)[1:]))
    if given is not None:
        if refit_epochs and isinstance(given, compressors_lib.Autoencoder):
            given.fit(data, epochs=refit_epochs)
        return given
    if flat_dim <= latent_dim:
        return compressors_lib.IdentityCompressor().fit(data)
    return _fit(compressors_lib.make_compressor(kind, latent_dim, seed), data, epochs, seed)


def mutual_information_compressed(x, y, latent_dims=4, estimator="wkl",
                                  compressor="autoencoder", compressors=None, k=None,
                                  epochs=300, refit_epochs=0, seed=0, base=None):
    """I(X; Y) from compressed representations (module docstring).

    Args:
      x: [n, ...] samples of X (images, layer activations, ...).
      y: [n, ...] paired samples of Y, or [n] integer labels (discrete Y).
      latent_dims: code size, an int for both or a pair (x's, y's). Default value: 4.
      estimator: 'wkl', 'kde' or 'ksg'. Default value: 'wkl'.
      compressor: 'autoencoder' or 'pca'. Default value: 'autoencoder'.
      compressors: optional (x's, y's) compressors from an earlier call, reused instead of
        training new ones (None for an entry: train one).
      k: neighbours (ksg: in the joint space, default 3; wkl: the largest, default
        max(8, 2d)).
      epochs: training epochs of new autoencoders (early stopping on a 10 % held-out
        part). Default value: 300.
      refit_epochs: further training of reused autoencoders. Default value: 0.
      seed: seed of the compressors.
      base: None for nats, 2 for bits.

    Returns:
      `CompressedInformation(estimate, compressors, codes)`.
    """
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}.")
    if compressor not in compressors_lib.COMPRESSORS:
        raise ValueError(f"compressor must be one of {compressors_lib.COMPRESSORS}, got "
                         f"{compressor!r}.")
    x_dim, y_dim = (latent_dims, latent_dims) if np.isscalar(latent_dims) else latent_dims
    for name, value in (("latent_dims", x_dim), ("latent_dims", y_dim)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must hold integers >= 1, got {latent_dims!r}.")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} samples and y {len(y)}; they must be paired.")
    given_x, given_y = compressors or (None, None)
    cx = _compressor_for(x, x_dim, compressor, given_x, refit_epochs, epochs, seed)
    zx = cx.encode(x)
    if _is_labels(y):
        labels = _mixture.as_labels(y, len(zx), "samples")
        entropy_estimator = "kde" if estimator == "kde" else "wkl"
        terms = _entropy_terms(zx, entropy_estimator, k)
        for c in np.unique(labels):
            members = labels == c
            terms[members] -= _entropy_terms(zx[members], entropy_estimator, k)
        value = terms
        cy, zy = None, labels
    else:
        cy = _compressor_for(y, y_dim, compressor, given_y, refit_epochs, epochs,
                                 seeding.derive(seed, "y compressor"))
        zy = cy.encode(y)
        if estimator == "ksg":
            est = knn.ksg_mutual_information(zx, zy, k=3 if k is None else k, base=base)
            return CompressedInformation(est, (cx, cy), (zx, zy))
        joint = np.concatenate([zx, zy], axis=1)
        value = (_entropy_terms(zx, estimator, k) + _entropy_terms(zy, estimator, k)
                 - _entropy_terms(joint, estimator, k))
    est = Estimate(
        _mixture.to_base(float(np.mean(value)), base),
        _mixture.to_base(float(np.std(value, ddof=1) / math.sqrt(len(value))), base),
        "I(X;Y) through compression")
    return CompressedInformation(est, (cx, cy), (zx, zy))
