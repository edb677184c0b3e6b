"""The plug-in estimator of differential entropy under Gaussian noise, and I(X;T), I(Y;T).

Goldfeld, van den Berg, Greenewald, Melnyk, Nguyen, Kingsbury, Polyanskiy, "Estimating
Information Flow in Deep Neural Networks", ICML 2019, §3 and eq. (5): for S ~ P and
T = S + Z with Z ~ N(0, σ² I_d), h(T) = h(P * N_σ) is estimated by the entropy of the
Gaussian mixture centred on n samples,

```none
ĥ = h(P̂_n * N_σ),   q(t) = (1/n) Σ_i N(t; s_i, σ² I).
```

The mixture entropy has no closed form; it is computed by Monte Carlo over mixture draws
t_j = s_{c_j} + σ z_j with the decomposition

```none
h(q) = h(N_σ) + I(C; T),   I(C; T) = E[ log N(t; s_C, σ²) − log q(t) ]
     = E[ −‖z‖²/2 − log (1/n) Σ_i exp(−‖t − s_i‖² / 2σ²) ]        (+ the d/2 log 2πσ² cancel)
```

so the χ²-distributed term ‖z‖²/2, whose mean d/2 is known, never enters the sample
average (a control variate that removes its variance, d/2 per draw). What that saves
depends on the overlap of the components: all the variance for well-separated centres
(the estimate is then exactly log n), but only about 10% when they overlap heavily
(d = 10, σ = 1 in BENCHMARKS.md), where the log-mixture term itself dominates. Components are
stratified: each of the n centres gets ⌊m/n⌋ or ⌈m/n⌉ draws (a random subset when m < n),
which keeps the estimate unbiased. The reported standard error is the iid one,
std/√m, an upper bound for the stratified design.

For a noisy network with X uniform over n inputs and T = f(X) + Z at the first noisy
layer, q is *exactly* the law of T, so ĥ carries only Monte Carlo error.
"""

import collections

import numpy as np
import scipy.special

from echo_ib.estimators import _mixture

__all__ = [
    "Estimate",
    "layer_information",
    "mixture_information",
    "mutual_information_input",
    "mutual_information_label",
    "plugin_entropy",
]

Estimate = collections.namedtuple("Estimate", ["value", "stderr"])
Estimate.__doc__ = "A Monte Carlo estimate and its standard error, in the requested units."

# 50,000 draws: a standard error of about 0.007 nats at d ≤ 5 (BENCHMARKS.md), so the
# design's 0.02-nat accuracy holds at 3 standard errors; about 1 s for n = 4,096.
DEFAULT_NUM_MC = 50_000


def _stratified_components(n, num_mc, rng):
    if num_mc >= n:
        extra = rng.choice(n, num_mc % n, replace=False)
        return np.concatenate([np.tile(np.arange(n), num_mc // n), extra])
    return rng.choice(n, num_mc, replace=False)


def _information_terms(centres, sigma, num_mc, rng):
    """Per-draw terms −‖z‖²/2 − log (1/n) Σ_i exp(−‖t − s_i‖²/2σ²), mean I(C; T); [num_mc]."""
    # Canonical (lexicographic) order: the estimate depends on the multiset of centres only.
    centres = centres[np.lexsort(centres.T[::-1])]
    n, d = centres.shape
    components = _stratified_components(n, num_mc, rng)
    z = rng.standard_normal((len(components), d))
    draws = centres[components] + sigma * z
    log_kernel = _mixture.log_mean_gaussian_kernel(draws, centres, sigma * sigma)
    return -0.5 * np.sum(z * z, axis=1) - log_kernel


def _check_num_mc(num_mc):
    if isinstance(num_mc, bool) or int(num_mc) != num_mc or num_mc < 2:
        raise ValueError(f"num_mc must be an integer >= 2, got {num_mc!r}.")
    return int(num_mc)


def mixture_information(centres, sigma, num_mc=DEFAULT_NUM_MC, seed=0, base=None):
    """I(C; T) for C uniform on the rows of `centres` and T = centres[C] + N(0, σ² I).

    Equals h(P̂_n * N_σ) − h(N_σ): the information a noisy layer carries about which of
    the n inputs it saw. Between 0 and log n.

    Returns:
      `Estimate(value, stderr)`.
    """
    centres = _mixture.as_samples(centres, "centres")
    sigma = _mixture.check_sigma(sigma)
    rng = np.random.default_rng(seed)
    terms = _information_terms(centres, sigma, _check_num_mc(num_mc), rng)
    return Estimate(_mixture.to_base(terms.mean(), base),
                    _mixture.to_base(terms.std(ddof=1) / np.sqrt(len(terms)), base))


def plugin_entropy(samples, sigma, num_mc=DEFAULT_NUM_MC, seed=0, base=None):
    """h(P̂_n * N_σ), the plug-in estimate of h(S + Z), Z ~ N(0, σ² I) (Goldfeld et al. 2019).

    Args:
      samples: [n, d] NumPy array or tf.Tensor (a 1-D array is read as d = 1).
      sigma: noise standard deviation σ > 0.
      num_mc: Monte Carlo draws from the mixture. Default value: 50,000.
      seed: int seed of the draws.
      base: None for nats, 2 for bits.

    Returns:
      `Estimate(value, stderr)`; the error is Monte Carlo error only (the plug-in's own
      bias as an estimator of h(P * N_σ) shrinks like c^d n^{-1/2}).

    #### Examples

    ```python
    h, se = plugin_entropy(np.random.normal(size=(4096, 2)), sigma=1.0)
    # ≈ log(2πe · 2) = 3.53 nats for S ~ N(0, I_2), up to the plug-in bias
    ```
    """
    samples = _mixture.as_samples(samples)
    information = mixture_information(samples, sigma, num_mc, seed)
    value = _mixture.gaussian_entropy(samples.shape[1], float(sigma)) + information.value
    return Estimate(_mixture.to_base(value, base), _mixture.to_base(information.stderr, base))


def _layer_centres(model_or_fn, x, layer, num_noise_draws, seed):
    """Noiseless centres of T_layer: [draws, n, d], from a NoisyMLP, a callable or arrays."""
    if hasattr(model_or_fn, "layer_means"):
        fn = model_or_fn.layer_means
    elif callable(model_or_fn):
        fn = model_or_fn
    else:  # precomputed centres [n, d] or [draws, n, d]
        centres = np.asarray(model_or_fn, np.float64)
        return centres[None] if centres.ndim == 2 else centres
    draws = 1 if layer == 0 else num_noise_draws
    return np.stack([np.asarray(fn(x, layer, seed=seed * 7919 + r), np.float64)
                     for r in range(draws)])


def _grouped_information(centres, groups, sigma, num_mc, rng):
    """Σ_g p(g) I(C; T | G = g) for mixtures restricted to each group of inputs."""
    total, variance = 0.0, 0.0
    labels, counts = np.unique(groups, return_counts=True)
    for label, count in zip(labels, counts):
        members = centres[:, groups == label].reshape(-1, centres.shape[-1])
        if len(members) == 1:
            continue  # a single centre: I = 0 exactly
        weight = count / len(groups)
        terms = _information_terms(members, sigma, max(2, int(num_mc * weight)), rng)
        total += weight * terms.mean()
        variance += weight**2 * terms.var(ddof=1) / len(terms)
    return total, variance


def _per_input_information(centres, sigma, draws_per_input, rng):
    """mean_i I(C; T)[the R centres of input i], vectorised over inputs; centres [R, n, d]."""
    grouped = np.transpose(centres, (1, 0, 2))  # [n, R, d]
    n, r, d = grouped.shape
    components = rng.integers(0, r, size=(n, draws_per_input))
    z = rng.standard_normal((n, draws_per_input, d))
    draws = np.take_along_axis(grouped, components[..., None], axis=1) + sigma * z
    d2 = np.sum((draws[:, :, None, :] - grouped[:, None, :, :]) ** 2, axis=-1)  # [n, k, R]
    log_kernel = scipy.special.logsumexp(-d2 / (2 * sigma * sigma), axis=-1) - np.log(r)
    terms = (-0.5 * np.sum(z * z, axis=-1) - log_kernel).mean(axis=1)  # per input, [n]
    return terms.mean(), terms.var(ddof=1) / n


def layer_information(model_or_fn, x, labels, layer, sigma, num_noise_draws=8,
                      num_mc=DEFAULT_NUM_MC, seed=0, base=None):
    """I(X; T_ℓ) and, with labels, I(Y; T_ℓ) from one set of centres and one h(T_ℓ).

    See `mutual_information_input` and `mutual_information_label`.

    Returns:
      dict with `input` (and `label` when labels are given): `Estimate`s.
    """
    sigma = _mixture.check_sigma(sigma)
    centres = _layer_centres(model_or_fn, x, layer, num_noise_draws, seed)
    _mixture.as_samples(centres.reshape(-1, centres.shape[-1]), "layer activations")
    draws, n, d = centres.shape
    rng = np.random.default_rng(seed)
    terms = _information_terms(centres.reshape(-1, d), sigma, _check_num_mc(num_mc), rng)
    total, total_variance = terms.mean(), terms.var(ddof=1) / len(terms)

    def estimate(value, variance):
        return Estimate(_mixture.to_base(value, base), _mixture.to_base(np.sqrt(variance), base))

    if draws > 1:
        conditional, variance = _per_input_information(centres, sigma,
                                                       max(2, -(-num_mc // n)), rng)
        result = {"input": estimate(total - conditional, total_variance + variance)}
    else:  # T | X = x_i is exactly N(f(x_i), σ² I)
        result = {"input": estimate(total, total_variance)}
    if labels is not None:
        labels = _mixture.as_labels(labels, n, "inputs")
        conditional, variance = _grouped_information(centres, labels, sigma, num_mc, rng)
        result["label"] = estimate(total - conditional, total_variance + variance)
    return result


def mutual_information_input(model_or_fn, x, layer, sigma, num_noise_draws=8,
                             num_mc=DEFAULT_NUM_MC, seed=0, base=None):
    """I(X; T_ℓ) = h(T_ℓ) − mean_i h(T_ℓ | X = x_i) for a noisy network, X uniform on x.

    T_ℓ = f_ℓ(T_{ℓ−1}) + N(0, σ² I). At the first noisy layer (ℓ = 0) f_0(x_i) is fixed,
    T | X = x_i is exactly N(f_0(x_i), σ² I) and I(X; T_0) = I(C; T) of the mixture (no
    h(T|X) estimate is needed). Deeper layers use sample propagation (Goldfeld et al. §4):
    `num_noise_draws` noisy passes give R centres per input; T_ℓ | X = x_i is the mixture
    of their R Gaussians and T_ℓ the mixture of all nR, so

    ```none
    I(X; T_ℓ) = I(C; T)[all nR centres] − mean_i I(C; T)[R centres of x_i]
    ```

    (the h(N_σ) terms cancel exactly).

    Args:
      model_or_fn: a `NoisyMLP` (its `layer_means`), a callable
        `fn(x, layer, seed) -> [n, d]` giving f_ℓ(T_{ℓ−1}) with fresh noise in earlier
        layers, or precomputed centres [n, d] / [R, n, d].
      x: the n inputs (X is uniform over them).
      layer: ℓ, 0 for the first noisy layer.
      sigma: the network's noise standard deviation.
      num_noise_draws: R for ℓ ≥ 1. Default value: 8.
      num_mc: Monte Carlo draws for h(T_ℓ). Default value: 50,000.
      seed: int seed.
      base: None for nats, 2 for bits.

    Returns:
      `Estimate(value, stderr)`.
    """
    return layer_information(model_or_fn, x, None, layer, sigma, num_noise_draws, num_mc,
                             seed, base)["input"]


def mutual_information_label(model_or_fn, x, labels, layer, sigma, num_noise_draws=8,
                             num_mc=DEFAULT_NUM_MC, seed=0, base=None):
    """I(Y; T_ℓ) = h(T_ℓ) − Σ_y p(y) h(T_ℓ | Y = y), each h a plug-in mixture entropy.

    With the same centres as `mutual_information_input` (all R noise draws of every
    input), h(T_ℓ | Y = y) is the entropy of the mixture over the inputs labelled y, and

    ```none
    I(Y; T_ℓ) = I(C; T)[all centres] − Σ_y p(y) I(C; T)[centres with label y].
    ```

    Args:
      labels: [n] class labels of x.
      Other arguments as in `mutual_information_input`.

    Returns:
      `Estimate(value, stderr)`.
    """
    if labels is None:
        raise ValueError("labels are required for I(Y; T).")
    return layer_information(model_or_fn, x, labels, layer, sigma, num_noise_draws, num_mc,
                             seed, base)["label"]
