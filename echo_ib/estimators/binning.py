"""Binned mutual information (Shwartz-Ziv & Tishby 2017, §2.4 and §3).

Each activation is put in one of `num_bins` equal-width bins over `value_range`; the
vector of bin indices of a layer is a discrete variable Bin(T). With X uniform over n
distinct inputs and T a deterministic function of X,

```none
I(X; Bin(T)) = H(Bin(T)),    I(Y; Bin(T)) = H(Bin(T)) − Σ_y p(y) H(Bin(T) | Y = y)
```

(plug-in entropies of the empirical pattern frequencies). These are properties of the
binning, not of the network: for continuous T, I(X;T) is infinite (or log n). Goldfeld et
al. (ICML 2019, §5) show that with bins of width proportional to the noise σ of a noisy
network, H(Bin(T)) tracks the clustering of the representations that I(X;T) of the
noisy network measures: `bin_width` sets such bins.
"""

import numpy as np

from echo_ib.estimators import _mixture
from echo_ib.estimators.estimate import Estimate

__all__ = ["binned_mutual_information", "discrete_entropy"]


def _entropy(codes):
    """Plug-in entropy in nats of the empirical distribution of the rows of `codes` [n, k].
    Written out: `scipy.stats.entropy` of the counts is the same number 4× slower
    (benchmarks/library_formulas.py)."""
    _, counts = np.unique(codes, axis=0, return_counts=True)
    p = counts / counts.sum()
    return float(-np.sum(p * np.log(p)))


def discrete_entropy(codes, base=None):
    """Plug-in entropy H of the empirical distribution of the rows of `codes` [n, k] (also
    the label entropy H(Y) of the estimators), as `Estimate(value, None, 'H')`: computed
    exactly from the counts, no sampling error is estimated."""
    return Estimate(_mixture.to_base(_entropy(codes), base), None, "H")


def binned_mutual_information(activations, labels=None, num_bins=30, value_range=None,
                              base=None, bin_width=None):
    """Binned estimates of I(X; T) and I(Y; T) for one layer.

    Args:
      activations: [n, d] layer outputs for the n (distinct, equiprobable) inputs.
      labels: optional [n] labels for I(Y; T).
      num_bins: equal-width bins per unit over `value_range`. Default value: 30
        (Shwartz-Ziv & Tishby).
      value_range: (low, high) of the bins; default the activations' min and max
        (use (-1, 1) for tanh units).
      base: None for nats, 2 for bits.
      bin_width: instead of num_bins, bins of this width on a grid anchored at 0 (e.g. a
        multiple of the noise σ); no range needed. Default value: None.

    Returns:
      dict of `Estimate`s (plug-in values of the binned variables, no standard error:
      stderr None): `entropy` = H(Bin(T)) = I(X; Bin(T)) and, with labels,
      `mutual_information_label` = I(Y; Bin(T)).
    """
    activations = _mixture.as_samples(activations, "activations")
    if bin_width is not None:
        if isinstance(bin_width, (bool, str)) or not np.isfinite(bin_width) or bin_width <= 0:
            raise ValueError(f"bin_width must be a finite number > 0, got {bin_width!r}.")
        codes = np.floor(activations / bin_width).astype(np.int64)
    else:
        if isinstance(num_bins, bool) or int(num_bins) != num_bins or num_bins < 1:
            raise ValueError(f"num_bins must be an integer >= 1, got {num_bins!r}.")
        low, high = ((activations.min(), activations.max()) if value_range is None
                     else value_range)
        if not high >= low:
            raise ValueError(f"value_range must be (low, high) with high >= low, got "
                             f"{value_range}.")
        width = (high - low) / num_bins if high > low else 1.0
        codes = np.clip(np.floor((activations - low) / width), 0, num_bins - 1).astype(np.int64)
    entropy = _entropy(codes)
    result = {"entropy": Estimate(_mixture.to_base(entropy, base), None, "H(Bin(T))")}
    if labels is not None:
        labels = _mixture.as_labels(labels, len(codes), "activation rows")
        conditional = sum(np.mean(labels == y) * _entropy(codes[labels == y])
                          for y in np.unique(labels))
        result["mutual_information_label"] = Estimate(
            _mixture.to_base(entropy - conditional, base), None, "I(Y;Bin(T))")
    return result
