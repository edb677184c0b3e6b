"""Truncating the echo series: how many terms, how small the clip, how large the tail.

The echo series `ε = Σ_{l<K} (Π_{l'<l} S(x^(l'))) f(x^(l))` (Brekelmans et al., NeurIPS
2019, eq. 4) is cut after K terms. With `|f| ≤ M` and every entry of S at most `clip < 1`
the left-over tail is bounded by

```none
sup |ε_∞ − ε_K| ≤ M clip^K / (1 − clip),
```

and by default `clip` is chosen so that this bound equals 2^-23, float32's relative
precision: the truncated channel is the exact one to the precision it computes in.
"""

import math

__all__ = ["FLOAT32_EPS", "default_clip", "tail_bound"]

# float32 machine epsilon: the default truncation tolerance of the series.
FLOAT32_EPS = 2.0**-23


def tail_bound(clip, num_terms, f_bound=1.0):
    """Bound on the truncated tail of the echo series, `M clip^K / (1 − clip)`.

    Args:
      clip: upper bound on every entry of S(x), in (0, 1).
      num_terms: K, the number of terms kept.
      f_bound: M, the bound on |f(x)|.

    Returns:
      A Python float: sup |ε_∞ − ε_K| over inputs with |f| ≤ M and S ≤ clip.
    """
    return float(f_bound) * float(clip) ** int(num_terms) / (1.0 - float(clip))


def default_clip(num_terms, f_bound=1.0, tolerance=FLOAT32_EPS):
    """Solves `M clip^K / (1 − clip) = tolerance` for `clip` in (0, 1).

    The left-hand side increases monotonically from 0 to ∞ on (0, 1), so the root is
    unique; it is found by bisection on the log of the equation in float64.

    Args:
      num_terms: K ≥ 1, the number of series terms.
      f_bound: M > 0.
      tolerance: the wanted tail bound. Default value: 2^-23.

    Returns:
      The clip as a Python float (0.8373 for K = 100, M = 1).
    """
    if int(num_terms) < 1:
        raise ValueError(f"num_terms must be >= 1, got {num_terms}.")
    if not f_bound > 0:
        raise ValueError(f"f_bound must be > 0, got {f_bound}.")
    target = math.log(tolerance) - math.log(f_bound)

    def excess(c):
        return num_terms * math.log(c) - math.log1p(-c) - target

    lo, hi = 1e-300, 1.0 - 1e-16
    if excess(lo) > 0:  # tolerance already met by an arbitrarily small clip
        return lo
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if excess(mid) > 0:
            hi = mid
        else:
            lo = mid
    return lo
