"""The plug-in estimator of differential entropy under Gaussian noise, and I(X;T), I(Y;T).

Goldfeld, van den Berg, Greenewald, Melnyk, Nguyen, Kingsbury, Polyanskiy, "Estimating
Information Flow in Deep Neural Networks", ICML 2019, §3 and eq. (5): for S ~ P and
T = S + Z with Z ~ N(0, σ² I_d), h(T) = h(P * N_σ) is estimated by the entropy of the
Gaussian mixture centred on n samples,

```none
ĥ = h(P̂_n * N_σ),   q(t) = (1/n) Σ_i N(t; s_i, σ² I).
```

The mixture entropy has no closed form. With C uniform on the components and t ~ q,
h(q) = h(N_σ) + I(C; T), and I(C; T) is estimated by Monte Carlo in its Rao–Blackwellised
form

```none
I(C; T) = log n − E_t H(p(c | t)),    p(c | t) = N(t; s_c, σ²) / Σ_i N(t; s_i, σ²),
```

the conditional expectation, given t, of the textbook term log N(t; s_C, σ²) − log q(t)
(= log n + log p(C | t)). Each term lies in [0, log n], so the estimate does too; its
variance is never larger (Rao–Blackwell), and where components nearly separate the term
stays bounded while the textbook one is heavy-tailed (BENCHMARKS.md measures both).

Noisy networks (X uniform on n inputs, T_ℓ a noisy layer). The same posterior, grouped,
gives the information about the input and about the label without differences of
separately estimated entropies:

```none
I(X; T_ℓ) = log n − E_t H(p(x | t))              ∈ [0, log n]
I(Y; T_ℓ) = E_t KL(p(y | t) ‖ p(y)) = H(Y) − E_t H(p(y | t))     ∈ [0, H(Y)]
```

where p(x | t) is the posterior of the input under the layer's mixture and p(y | t) =
Σ_{x: y(x) = y} p(x | t). At the first noisy layer the mixture of the n points f(x_i) is
exactly the law of T; deeper layers use sample propagation (Goldfeld et al. §4):
`num_noise_draws` = R noisy passes give R centres per input, and p(x | t) sums an input's R
kernels. The KL terms are ≥ 0 draw by draw; with balanced labels each is also ≤ H(Y), and
otherwise the mean is capped at H(Y) (a cap that binds only within Monte Carlo error of
H(Y)).

Draws are stratified (each component gets an equal share; a random subset when there are
fewer draws than components), in `num_batches` independent replicates: the estimate is
the mean of the replicate means and its standard error their standard deviation over
√num_batches (batch means: the stratified design's own variance, with num_batches − 1
degrees of freedom; BENCHMARKS.md measures the coverage).
"""

import collections
import math

import numpy as np

from echo_ib import seeding
from echo_ib.estimators import _mixture, binning
from echo_ib.estimators.estimate import Estimate

__all__ = [
    "Estimate",
    "layer_information",
    "mixture_information",
    "mutual_information_input",
    "mutual_information_label",
    "plugin_entropy",
]


# 50,000 draws keep the standard error near 0.005 nats at d ≤ 5 (BENCHMARKS.md).
DEFAULT_NUM_MC = 50_000
DEFAULT_NUM_BATCHES = 20


def _integer(value, name, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}.")
    return int(value)


def _stratified_components(count, num_draws, rng):
    """Component of each draw: every component ⌊m/N⌋ or ⌈m/N⌉ times (a random subset of
    components for the remainder, or for all draws when m < N)."""
    extra = rng.choice(count, num_draws % count, replace=False)
    return np.concatenate([np.tile(np.arange(count), num_draws // count), extra])


def _batch_means(centres, sigma, num_mc, num_batches, seed, labels=None, block_bytes=None):
    """Replicate means of the per-draw terms; centres [n, R, d] (R noisy copies per input).

    Returns:
      dict of [num_batches] arrays: `input` (log n − H(p(x|t))) and, with labels, `label`
      (KL(p(y|t) ‖ p_Y)).
    """
    n, reps, dim = centres.shape
    flat = centres.reshape(n * reps, dim)
    block_bytes = block_bytes or _mixture.BLOCK_BYTES
    mixture = _mixture.GaussianMixture(flat, sigma * sigma, reps=reps, labels=labels,
                                       block_bytes=block_bytes)
    rng = np.random.default_rng(seed)
    sizes = [num_mc // num_batches + (g < num_mc % num_batches) for g in range(num_batches)]
    # Draws are made in chunks, so memory stays bounded whatever num_mc and d.
    chunk = max(1, min(max(sizes), (block_bytes // 8) // max(dim, n * reps)))
    means = {"input": [], "label": []}
    for size in sizes:
        components = _stratified_components(n * reps, size, rng)
        sums = collections.Counter()
        for start in range(0, size, chunk):
            picked = components[start:start + chunk]
            draws = flat[picked] + sigma * rng.standard_normal((len(picked), dim))
            terms = mixture.terms(draws)
            sums["input"] += float(np.sum(math.log(n) - terms["input_entropy"]))
            if labels is not None:
                sums["label"] += float(np.sum(terms["label_kl"]))
        means["input"].append(sums["input"] / size)
        means["label"].append(sums["label"] / size)
    return {k: np.asarray(v) for k, v in means.items() if labels is not None or k == "input"}


def _estimate(means, base, shift=0.0, cap=None, quantity=None):
    value = float(np.mean(means)) + shift
    if cap is not None:
        value = min(value, cap)
    stderr = float(np.std(means, ddof=1) / math.sqrt(len(means)))
    return Estimate(_mixture.to_base(value, base), _mixture.to_base(stderr, base), quantity)


def _check_sampling(num_mc, num_batches):
    num_batches = _integer(num_batches, "num_batches", 2)
    num_mc = _integer(num_mc, "num_mc", 2)
    if num_mc < num_batches:
        raise ValueError(f"num_mc = {num_mc} must be at least num_batches = {num_batches} "
                         "(one draw per replicate).")
    return num_mc, num_batches


def mixture_information(centres, sigma, num_mc=DEFAULT_NUM_MC, seed=0, base=None,
                        num_batches=DEFAULT_NUM_BATCHES):
    """I(C; T) for C uniform on the rows of `centres` and T = centres[C] + N(0, σ² I).

    Equals h(P̂_n * N_σ) − h(N_σ): the information a noisy layer carries about which of
    the n inputs it saw; in [0, log n] (see the module docstring).

    Returns:
      `Estimate(value, stderr)`.
    """
    centres = _mixture.as_samples(centres, "centres")
    sigma = _mixture.check_sigma(sigma)
    num_mc, num_batches = _check_sampling(num_mc, num_batches)
    # Canonical (lexicographic) order: the estimate depends on the multiset of centres only.
    centres = centres[np.lexsort(centres.T[::-1])]
    means = _batch_means(centres[:, None, :], sigma, num_mc, num_batches, seed)
    return _estimate(means["input"], base, quantity="I(C;T)")


def plugin_entropy(samples, sigma, num_mc=DEFAULT_NUM_MC, seed=0, base=None,
                   num_batches=DEFAULT_NUM_BATCHES):
    """h(P̂_n * N_σ), the plug-in estimate of h(S + Z), Z ~ N(0, σ² I) (Goldfeld et al. 2019).

    Args:
      samples: [n, d] NumPy array or tf.Tensor (a 1-D array is read as d = 1).
      sigma: noise standard deviation σ > 0.
      num_mc: Monte Carlo draws from the mixture. Default value: 50,000.
      seed: int seed of the draws.
      base: None for nats, 2 for bits.
      num_batches: independent replicates for the standard error. Default value: 20.

    Returns:
      `Estimate(value, stderr)`; the error is Monte Carlo error only (the plug-in's own
      bias as an estimator of h(P * N_σ) shrinks like c^d n^{-1/2}). Memory is bounded
      (blocks of at most 64 MiB) whatever n, d and num_mc.

    #### Examples

    ```python
    h = plugin_entropy(np.random.normal(size=(4096, 2)), sigma=1.0)
    # ≈ log(2πe · 2) = 3.53 nats for S ~ N(0, I_2), up to the plug-in bias
    ```
    """
    samples = _mixture.as_samples(samples)
    information = mixture_information(samples, sigma, num_mc, seed, num_batches=num_batches)
    value = _mixture.gaussian_entropy(samples.shape[1], float(sigma)) + information.value
    return Estimate(_mixture.to_base(value, base), _mixture.to_base(information.stderr, base),
                    "h(T)")


def _layer_centres(model_or_fn, x, layer, num_noise_draws, seed):
    """Noiseless centres of T_layer: [n, R, d], from a NoisyMLP, a callable or arrays."""
    if hasattr(model_or_fn, "layer_means"):
        fn = model_or_fn.layer_means
    elif callable(model_or_fn):
        fn = model_or_fn
    else:  # precomputed centres [n, d] or [R, n, d]
        centres = np.asarray(model_or_fn, np.float64)
        centres = centres[None] if centres.ndim == 2 else centres
        if centres.ndim != 3:
            raise ValueError(f"precomputed centres must be [n, d] or [R, n, d], got shape "
                             f"{np.shape(model_or_fn)}.")
        _mixture.as_samples(centres.reshape(-1, centres.shape[-1]), "centres")
        return np.transpose(centres, (1, 0, 2))
    if x is None or np.ndim(x) < 2 or len(x) == 0:
        raise ValueError(f"x must be the inputs, [n, features] with n >= 1; got shape "
                         f"{None if x is None else np.shape(x)}.")
    draws = 1 if layer == 0 else num_noise_draws
    centres = np.stack([np.asarray(fn(x, layer, seed=seeding.derive(seed, "noise draw", r)),
                                   np.float64) for r in range(draws)])
    if centres.ndim == 2:
        centres = centres[..., None]
    _mixture.as_samples(centres.reshape(-1, centres.shape[-1]), "layer activations")
    return np.transpose(centres, (1, 0, 2))


def layer_information(model_or_fn, x, labels, layer, sigma, num_noise_draws=8,
                      num_mc=DEFAULT_NUM_MC, seed=0, base=None, num_batches=DEFAULT_NUM_BATCHES):
    """I(X; T_ℓ) and, with labels, I(Y; T_ℓ) from one set of draws and kernel sums.

    See the module docstring for the estimators, `mutual_information_input` for the
    arguments.

    Returns:
      dict with `input` (and `label` when labels are given): `Estimate`s.
    """
    sigma = _mixture.check_sigma(sigma)
    num_noise_draws = _integer(num_noise_draws, "num_noise_draws", 1)
    num_mc, num_batches = _check_sampling(num_mc, num_batches)
    centres = _layer_centres(model_or_fn, x, layer, num_noise_draws, seed)  # [n, R, d]
    n = centres.shape[0]
    if labels is not None:
        labels = _mixture.as_labels(labels, n, "inputs")
    # Canonical order of the inputs: the estimate depends on the (centres, label) multiset.
    order = np.lexsort(centres.reshape(n, -1).T[::-1])
    centres = centres[order]
    labels = None if labels is None else labels[order]
    means = _batch_means(centres, sigma, num_mc, num_batches, seed, labels)
    result = {"input": _estimate(means["input"], base)}
    if labels is not None:
        result["label"] = _estimate(means["label"], base, cap=binning.discrete_entropy(
            np.asarray(labels).reshape(len(labels), -1)).value)
    return result


def mutual_information_input(model_or_fn, x, layer, sigma, num_noise_draws=8,
                             num_mc=DEFAULT_NUM_MC, seed=0, base=None,
                             num_batches=DEFAULT_NUM_BATCHES):
    """I(X; T_ℓ) = log n − E_t H(p(x | t)) for a noisy network, X uniform on the rows of x.

    T_ℓ = f_ℓ(T_{ℓ−1}) + N(0, σ² I). At the first noisy layer (ℓ = 0) T | X = x_i is exactly
    N(f_0(x_i), σ² I); deeper layers use sample propagation (module docstring).

    Args:
      model_or_fn: a `NoisyMLP` (its `layer_means`), a callable
        `fn(x, layer, seed) -> [n, d]` giving f_ℓ(T_{ℓ−1}) with fresh noise in earlier
        layers, or precomputed centres [n, d] / [R, n, d] (then x may be None).
      x: the n inputs [n, features] (X is uniform over them).
      layer: ℓ, 0 for the first noisy layer.
      sigma: the network's noise standard deviation.
      num_noise_draws: R for ℓ ≥ 1. Default value: 8.
      num_mc: Monte Carlo draws. Default value: 50,000.
      seed: int seed.
      base: None for nats, 2 for bits.
      num_batches: independent replicates for the standard error. Default value: 20.

    Returns:
      `Estimate(value, stderr)`, in [0, log n].
    """
    return layer_information(model_or_fn, x, None, layer, sigma, num_noise_draws, num_mc,
                             seed, base, num_batches)["input"]


def mutual_information_label(model_or_fn, x, labels, layer, sigma, num_noise_draws=8,
                             num_mc=DEFAULT_NUM_MC, seed=0, base=None,
                             num_batches=DEFAULT_NUM_BATCHES):
    """I(Y; T_ℓ) = E_t KL(p(y | t) ‖ p(y)) = H(Y) − E_t H(p(y | t)), in [0, H(Y)].

    p(y | t) is the posterior of the label under the layer's mixture, from the same draws
    and kernel sums as I(X; T_ℓ) (module docstring).

    Args:
      labels: [n] class labels of x.
      Other arguments as in `mutual_information_input`.

    Returns:
      `Estimate(value, stderr)`.
    """
    if labels is None:
        raise ValueError("labels are required for I(Y; T).")
    return layer_information(model_or_fn, x, labels, layer, sigma, num_noise_draws, num_mc,
                             seed, base, num_batches)["label"]
