"""What the Monte Carlo and k-NN estimators return: `Estimate(value, stderr, quantity)`."""

import collections

__all__ = ["Estimate"]

Estimate = collections.namedtuple("Estimate", ["value", "stderr", "quantity"],
                                  defaults=(None,))
Estimate.__doc__ = ("An estimate, its standard error (in the same units: nats, or bits with "
                    "base=2) and what was estimated (e.g. 'I(X;T)', 'h(T)'; None if unsaid).")
