"""The Monte Carlo and k-NN estimators share one result type, `Estimate`."""

import numpy as np

from echo_ib import estimators
from echo_ib.estimators.estimate import Estimate


def test_estimators_return_an_estimate_that_says_what_it_estimates():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 2))
    plug = estimators.plugin_entropy(x, sigma=0.5, num_mc=400)
    assert isinstance(plug, Estimate) and plug.quantity == "h(T)" and plug.stderr > 0
    assert estimators.mixture_information(x[:20], sigma=0.5, num_mc=400).quantity == "I(C;T)"
    for knn in (estimators.kozachenko_leonenko_entropy(x),
                estimators.weighted_kozachenko_leonenko_entropy(x),
                estimators.ksg_mutual_information(x[:, :1], x[:, 1:])):
        assert isinstance(knn, Estimate) and knn.stderr >= 0
    compressed = estimators.mutual_information_compressed(x[:, :1], x[:, 1:], latent_dims=1,
                                                          compressor="pca")
    assert isinstance(compressed.estimate, Estimate)
    assert compressed.estimate.quantity.startswith("I(X;Y) through compression")
    value, stderr, quantity = plug  # a plain tuple of three
    assert value == plug.value and stderr == plug.stderr
