"""The single noisy neuron of Goldfeld et al. (ICML 2019, §3.1): X uniform on {−3, −1, 1, 3},
T = tanh(wX + b) + N(0, σ²), b = −2w, along w for σ = 0.01 and 0.1."""

import ml_collections
import numpy as np


def get_config():
    config = ml_collections.ConfigDict()
    config.sigmas = [0.01, 0.1]
    config.weights = [float(w) for w in np.round(np.logspace(-2, np.log10(20), 41), 5)]
    config.num_mc = 20000  # plug-in Monte Carlo draws per point
    config.num_batches = 20  # independent replicates for the standard error
    config.seed = 0
    return config
