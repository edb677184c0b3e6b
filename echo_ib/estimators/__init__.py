"""Information estimators for noisy networks (nats unless `base=2`)."""

from echo_ib.estimators.binning import binned_mutual_information, discrete_entropy
from echo_ib.estimators.kde import kde_entropy_lower, kde_entropy_upper
from echo_ib.estimators.plugin import (Estimate, layer_information, mixture_information,
                                       mutual_information_input, mutual_information_label,
                                       plugin_entropy)

__all__ = [
    "Estimate",
    "binned_mutual_information",
    "discrete_entropy",
    "kde_entropy_lower",
    "kde_entropy_upper",
    "layer_information",
    "mixture_information",
    "mutual_information_input",
    "mutual_information_label",
    "plugin_entropy",
]
