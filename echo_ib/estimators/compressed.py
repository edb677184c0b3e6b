"""Mutual information through lossy compression (Butakov et al., ICLR 2024).

`mutual_information_compressed(x, y, latent_dims)` compresses each high-dimensional
argument with a compressor (`echo_ib.estimators.compressors`: an autoencoder, or PCA as the
linear baseline) and estimates the MI between the codes:

```none
'ksg':  Î = KSG(g_x(X), g_y(Y))
'wkl':  Î = Ĥ(g_x(X)) + Ĥ(g_y(Y)) − Ĥ(g_x(X), g_y(Y))      weighted Kozachenko–Leonenko Ĥ
'kde':  Î likewise, Ĥ the leave-one-out Gaussian-KDE entropy
        Ĥ = −(1/n) Σ_i log (1/(n−1)) Σ_{j≠i} N(z_i; z_j, b² I) on whitened codes,
        b = n^{−1/(d+4)} (Scott's rule)
'wkl-shuffled':
        Î = mean_π Ĥ_w(g_x(X), g_y(Y)_π) − Ĥ_w(g_x(X), g_y(Y))
```

**The shuffled estimator.** Pairing the codes of X with a random permutation π of the codes
of Y gives a sample of the product of the two marginals, whose entropy is
H(g_x(X)) + H(g_y(Y)); estimating it with the same joint-space estimator, on the same
points, at the same n, d and k as the real pairs makes the two estimates share their
bias except for what the dependence changes. When X ⊥ Y the shuffled sample has exactly
the law of the real one, so E Î = 0 exactly (the plain 'wkl' misses I = 0 by −0.25 nats on
the rectangles benchmark's codes, from its marginal terms; BENCHMARKS.md). Its variance
is that of the weighted estimator, which grows with the number of cancelled bias terms
(`knn` module docstring), and its bias grows with I. Hence two weightings, k = 32: the
weights that cancel one bias term (‖w‖₁ ≤ 10; standard error ≈ 0.04 nats at n = 5,000,
bias up to −0.5 nats at I = 6–10) and those that cancel as many as ‖w‖₁ ≤ 100 allows
(standard error ≈ 0.1 nats, bias 0.15–0.4 nats smaller at I = 8–10). The second is used
where it resolves the estimate to 10 % with three standard errors, Î ≥ `SWITCH_RATIO` · s.e.
= 30 s.e. (about 3 nats at n = 5,000), the first elsewhere. (A first rule switched at a
fixed 2 nats and missed the rectangles target at I = 2 in 2 of 4 data sets, where the
noisier weights took over; BENCHMARKS.md records both.) The mean over `SHUFFLES` = 4
permutations is the shuffled term. Labels: Î = Ĥ(g_x(X) | Y_π) − Ĥ(g_x(X) | Y), the same
idea with the class-wise entropies.

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

ESTIMATORS = ("wkl", "kde", "ksg", "wkl-shuffled")
SHUFFLES = 4
SWITCH_RATIO = 30.0
SHUFFLED_K = 32

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


def _weighted_terms(samples, k, max_weight_norm):
    """Per-sample weighted Kozachenko–Leonenko terms [n] (k capped at n − 1)."""
    white, log_scale = knn.whiten(samples)
    return knn.weighted_kl_terms(white, min(k, len(white) - 1), max_weight_norm) + log_scale


def _shuffled_estimate(zx, zy, labels, k, seed):
    """The 'wkl-shuffled' estimate (module docstring), nats."""
    rng = np.random.default_rng(seed)
    perms = [rng.permutation(len(zy)) for _ in range(SHUFFLES)]

    def terms(pairing, norm):
        if labels:  # Ĥ(Z_x | Y) with Y paired as given
            out = np.empty(len(zx))
            for c in np.unique(pairing):
                members = pairing == c
                out[members] = _weighted_terms(zx[members], k, norm)
            return out
        return _weighted_terms(np.concatenate([zx, pairing], axis=1), k, norm)

    def estimate(norm):
        real = terms(zy, norm)
        shuffled = [terms(zy[p], norm) for p in perms]
        value = float(np.mean([np.mean(s) for s in shuffled]) - np.mean(real))
        # The two means are over different pairings; their errors are added as if
        # independent, with one permutation's spread for the shuffled term (conservative:
        # the mean over SHUFFLES permutations varies less).
        stderr = math.sqrt((np.var(real, ddof=1) + np.var(shuffled[0], ddof=1)) / len(real))
        return Estimate(value, stderr, "I(X;Y) through compression, shuffle-corrected "
                        f"weighted KL (‖w‖₁ ≤ {norm:g})")

    k = SHUFFLED_K if k is None else k
    full = estimate(100.0)
    return full if full.value >= SWITCH_RATIO * full.stderr else estimate(10.0)


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


def mutual_information_compressed(x, y, latent_dims=4, estimator="wkl-shuffled",
                                  compressor="autoencoder", compressors=None, k=None,
                                  epochs=300, refit_epochs=0, seed=0, base=None):
    """I(X; Y) from compressed representations (module docstring).

    Args:
      x: [n, ...] samples of X (images, layer activations, ...).
      y: [n, ...] paired samples of Y, or [n] integer labels (discrete Y).
      latent_dims: code size, an int for both or a pair (x's, y's). Default value: 4.
      estimator: 'wkl', 'kde', 'ksg' or 'wkl-shuffled' (module docstring: the one that
        meets the rectangles benchmark at low I; BENCHMARKS.md).
        Default value: 'wkl-shuffled'.
      compressor: 'autoencoder' or 'pca'. Default value: 'autoencoder'.
      compressors: optional (x's, y's) compressors from an earlier call, reused instead of
        training new ones (None for an entry: train one).
      k: neighbours (ksg: in the joint space, default 3; wkl: the largest, default
        max(8, 2d); wkl-shuffled: 32).
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
    labels = _is_labels(y)
    if labels:
        cy, zy = None, _mixture.as_labels(y, len(zx), "samples")
    else:
        cy = _compressor_for(y, y_dim, compressor, given_y, refit_epochs, epochs,
                             seeding.derive(seed, "y compressor"))
        zy = cy.encode(y)
    if estimator == "wkl-shuffled":
        est = _shuffled_estimate(zx, zy, labels, k, seeding.derive(seed, "shuffles"))
        return CompressedInformation(
            Estimate(_mixture.to_base(est.value, base), _mixture.to_base(est.stderr, base),
                     est.quantity), (cx, cy), (zx, zy))
    if labels:
        entropy_estimator = "kde" if estimator == "kde" else "wkl"
        terms = _entropy_terms(zx, entropy_estimator, k)
        for c in np.unique(zy):
            members = zy == c
            terms[members] -= _entropy_terms(zx[members], entropy_estimator, k)
        value = terms
    elif estimator == "ksg":
        est = knn.ksg_mutual_information(zx, zy, k=3 if k is None else k, base=base)
        return CompressedInformation(est, (cx, cy), (zx, zy))
    else:
        joint = np.concatenate([zx, zy], axis=1)
        value = (_entropy_terms(zx, estimator, k) + _entropy_terms(zy, estimator, k)
                 - _entropy_terms(joint, estimator, k))
    est = Estimate(
        _mixture.to_base(float(np.mean(value)), base),
        _mixture.to_base(float(np.std(value, ddof=1) / math.sqrt(len(value))), base),
        "I(X;Y) through compression")
    return CompressedInformation(est, (cx, cy), (zx, zy))
