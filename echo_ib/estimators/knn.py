"""k-nearest-neighbour estimators of differential entropy and mutual information.

* Kozachenko–Leonenko (Problems Inform. Transmission 1987), with the k-th neighbour:

  ```none
  Ĥ_k = (1/n) Σ_i log(ρ_{k,i}^d V_d (n − 1)) − ψ(k),     V_d = π^{d/2} / Γ(1 + d/2)
  ```

  ρ_{k,i} the Euclidean distance from x_i to its k-th nearest other sample.
* Weighted Kozachenko–Leonenko (Berrett, Samworth & Yuan, Ann. Statist. 2019, §2):
  Ĥ_w = Σ_j w_j Ĥ_j with Σ_j w_j = 1 and Σ_j w_j Γ(j + 2l/d) / Γ(j) = 0 for l = 1 … ⌊d/4⌋,
  which cancels the leading bias terms; w_j ≠ 0 only for j ∈ {⌊k/d⌋, ⌊2k/d⌋, …, k}, the
  minimum-norm such weights (for d ≤ 3 no constraint is needed and w = e_k). Each further
  cancelled term multiplies the weights' size about tenfold (‖w‖₁ at k = 2d: 3.4 for the
  first term at d = 4; 5.0 and 28 for one and two terms at d = 8; 9.9, 95 and 1.4·10⁵ for
  one, two and all five at d = 20), and the variance with them, so echo_ib cancels the first
  L ≤ ⌊d/4⌋ terms, L the largest with ‖w‖₁ ≤ `max_weight_norm` (default 100: all terms up
  to d = 11, two at d = 20).
* Kraskov–Stögbauer–Grassberger (Phys. Rev. E 2004, estimator 1), max-norm:

  ```none
  Î(X; Y) = ψ(k) + ψ(n) − (1/n) Σ_i [ψ(n_{x,i} + 1) + ψ(n_{y,i} + 1)]
  ```

  ε_i the max-norm distance to the k-th neighbour in the joint space, n_{x,i} (n_{y,i})
  the number of other points strictly closer than ε_i in the x (y) space.

The entropy estimators whiten the samples first (x ↦ Σ̂^{-1/2}(x − x̄), adding back
½ log det Σ̂: an exact identity for h), and KSG whitens x and y separately (I is invariant
under invertible maps of either): k-NN balls then see roughly isotropic data, which
removes most of the bias that anisotropy causes. `whiten=False` turns this off.

Neighbours come from `scipy.spatial.cKDTree`: memory O(n·k), never an n × n matrix. Each
estimator is an average of per-sample terms; the reported standard error is their
standard deviation over √n (the usual plug-in variance of these estimators; the terms of
neighbouring samples are weakly dependent, so it is approximate). Nats unless `base=2`.
"""

import math

import numpy as np
import scipy.spatial
import scipy.special

from echo_ib.estimators import _mixture
from echo_ib.estimators.estimate import Estimate

__all__ = [
    "default_k",
    "ksg_mutual_information",
    "kozachenko_leonenko_entropy",
    "weighted_kl_terms",
    "weighted_kl_weights",
    "weighted_kozachenko_leonenko_entropy",
    "whiten",
]


def _check_k(k, n, name="k"):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {k!r}.")
    if k >= n:
        raise ValueError(f"{name} = {k} needs more than k samples (k-th neighbours among the "
                         f"other samples); got n = {n}.")
    return int(k)


def _neighbour_distances(samples, k, p=2):
    """Distances to the 1st … k-th nearest other sample, [n, k]; refuses zero distances."""
    tree = scipy.spatial.cKDTree(samples)
    distances, _ = tree.query(samples, k=k + 1, p=p)
    distances = distances[:, 1:]  # drop the sample itself
    if np.any(distances[:, 0] == 0):
        raise ValueError(
            f"samples has {int(np.sum(distances[:, 0] == 0))} points with an exact duplicate: "
            "k-NN distances of 0 make log ρ = −∞. Remove duplicates or add noise far below the "
            "data's scale (k-NN estimators assume a continuous distribution).")
    return distances


def _log_unit_ball_volume(d):
    return 0.5 * d * math.log(math.pi) - scipy.special.gammaln(1 + 0.5 * d)


def _per_sample_entropy_terms(samples, k):
    """[n, k] terms log(ρ_{j,i}^d V_d (n − 1)) − ψ(j), j = 1 … k."""
    n, d = samples.shape
    rho = _neighbour_distances(samples, k)
    return (d * np.log(rho) + _log_unit_ball_volume(d) + math.log(n - 1)
            - scipy.special.digamma(np.arange(1, k + 1))[None, :])


def _whiten(samples):
    """(Σ̂^{-1/2}(x − x̄), ½ log det Σ̂); the covariance must be non-singular."""
    centred = samples - samples.mean(axis=0)
    cov = np.atleast_2d(np.cov(centred, rowvar=False))
    values, vectors = np.linalg.eigh(cov)
    if values.min() <= 1e-12 * max(values.max(), 1e-300):
        raise ValueError("samples are (numerically) confined to a lower-dimensional subspace: "
                         "their covariance is singular, so they have no density in R^d. "
                         "Project them first (e.g. PCA) or pass whiten=False.")
    return centred @ (vectors / np.sqrt(values)) @ vectors.T, 0.5 * float(np.sum(np.log(values)))


def _estimate(terms, base, shift=0.0, quantity=None):
    value = float(np.mean(terms)) + shift
    stderr = float(np.std(terms, ddof=1) / math.sqrt(len(terms)))
    return Estimate(_mixture.to_base(value, base), _mixture.to_base(stderr, base), quantity)


def whiten(samples):
    """(samples whitened by their sample covariance, ½ log det Σ̂): h(X) = h(W) + ½ log det Σ̂."""
    return _whiten(_mixture.as_samples(samples))


def default_k(n, d):
    """The neighbour count used when k is None: min(max(8, 2d), n − 1), checked."""
    return _check_k(min(max(8, 2 * d), n - 1), n)


def weighted_kl_terms(white_samples, k, max_weight_norm=100.0):
    """Per-sample terms of the weighted Kozachenko–Leonenko entropy on whitened samples [n]
    (`max_weight_norm` as in `weighted_kl_weights`)."""
    n, d = white_samples.shape
    return (_per_sample_entropy_terms(white_samples, k)
            @ weighted_kl_weights(k, d, max_weight_norm))


def _prepared(samples, whiten, k):
    """(samples, ½ log det Σ̂ or 0) after the checks, whitened if asked; k checked first."""
    samples = _mixture.as_samples(samples)
    n, d = samples.shape
    k = _check_k(min(max(8, 2 * d), n - 1) if k is None else k, n)
    return (*(_whiten(samples) if whiten else (samples, 0.0)), k)


def kozachenko_leonenko_entropy(samples, k=1, base=None, whiten=True):
    """Kozachenko–Leonenko estimate of h(X) from samples [n, d] (see the module docstring).

    Args:
      samples: [n, d] NumPy array or tf.Tensor (1-D: d = 1), n > k, no exact duplicates.
      k: the neighbour used. Default value: 1.
      base: None for nats, 2 for bits.
      whiten: estimate on whitened samples (module docstring). Default value: True.

    Returns:
      `Estimate(value, stderr)`.
    """
    samples, log_scale, k = _prepared(samples, whiten, k)
    return _estimate(_per_sample_entropy_terms(samples, k)[:, -1], base, log_scale)


def weighted_kl_weights(k, d, max_weight_norm=100.0):
    """Berrett–Samworth–Yuan weights w ∈ R^k (module docstring), minimum Euclidean norm,
    cancelling the first L ≤ ⌊d/4⌋ bias terms, L the largest with ‖w‖₁ ≤ max_weight_norm."""
    support = np.asarray(sorted({max(1, (ell * k) // d) for ell in range(1, d + 1)}), float)
    best = np.eye(k)[-1]  # L = 0: the unweighted estimator with the k-th neighbour
    for terms in range(1, min(d // 4, len(support) - 1) + 1):
        rows = [np.ones_like(support)] + [
            np.exp(scipy.special.gammaln(support + 2 * l / d) - scipy.special.gammaln(support))
            for l in range(1, terms + 1)]
        w_support = np.linalg.lstsq(np.stack(rows), np.eye(len(rows))[0], rcond=None)[0]
        if np.sum(np.abs(w_support)) > max_weight_norm:
            break
        best = np.zeros(k)
        best[support.astype(int) - 1] = w_support
    return best


def weighted_kozachenko_leonenko_entropy(samples, k=None, base=None, whiten=True,
                                         max_weight_norm=100.0):
    """Weighted Kozachenko–Leonenko estimate of h(X) (Berrett, Samworth & Yuan 2019).

    Args:
      samples: [n, d] NumPy array or tf.Tensor, n > k, no exact duplicates.
      k: the largest neighbour used. Default value: max(8, 2d), capped at n − 1.
      base: None for nats, 2 for bits.
      whiten: estimate on whitened samples (module docstring). Default value: True.
      max_weight_norm: bound on ‖w‖₁, which sets how many bias terms are cancelled
        (module docstring). Default value: 100.

    Returns:
      `Estimate(value, stderr)`.
    """
    samples, log_scale, k = _prepared(samples, whiten, k)
    weights = weighted_kl_weights(k, samples.shape[1], max_weight_norm)
    return _estimate(_per_sample_entropy_terms(samples, k) @ weights, base, log_scale)


def ksg_mutual_information(x, y, k=3, base=None, whiten=True):
    """Kraskov–Stögbauer–Grassberger estimate (their estimator 1) of I(X; Y).

    Args:
      x, y: [n, d_x] and [n, d_y] paired samples (NumPy or tf.Tensor; 1-D: one feature).
      k: neighbours in the joint space. Default value: 3.
      base: None for nats, 2 for bits.
      whiten: whiten x and y separately first (module docstring). Default value: True.

    Returns:
      `Estimate(value, stderr)`.
    """
    x, y = _mixture.as_samples(x, "x"), _mixture.as_samples(y, "y")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} samples and y {len(y)}; they must be paired.")
    n = len(x)
    k = _check_k(k, n)
    if whiten:
        x, y = _whiten(x)[0], _whiten(y)[0]
    joint = np.concatenate([x, y], axis=1)
    epsilon = _neighbour_distances(joint, k, p=np.inf)[:, -1]
    # Strictly closer than ε_i: a radius just below it (distances are floats).
    radius = np.nextafter(epsilon, 0)
    counts = [scipy.spatial.cKDTree(v).query_ball_point(v, radius, p=np.inf, return_length=True)
              - 1 for v in (x, y)]
    terms = (scipy.special.digamma(k) + scipy.special.digamma(n)
             - scipy.special.digamma(counts[0] + 1) - scipy.special.digamma(counts[1] + 1))
    return _estimate(terms, base)
