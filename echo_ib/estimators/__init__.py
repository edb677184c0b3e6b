"""Information estimators (nats unless `base=2`).

* plug-in mixture estimators for noisy networks (`plugin`), pairwise KDE bounds (`kde`),
  binned MI (`binning`),
* k-nearest-neighbour entropy and MI estimators (`knn`),
* MI through lossy compression of high-dimensional variables (`compressed`).
"""

from echo_ib.estimators.binning import binned_mutual_information, discrete_entropy
from echo_ib.estimators.compressed import (CompressedInformation,
                                           mutual_information_compressed)
from echo_ib.estimators.kde import kde_entropy_lower, kde_entropy_upper
from echo_ib.estimators.knn import (kozachenko_leonenko_entropy, ksg_mutual_information,
                                    weighted_kozachenko_leonenko_entropy)
from echo_ib.estimators.estimate import Estimate
from echo_ib.estimators.plugin import (layer_information, mixture_information,
                                       mutual_information_input, mutual_information_label,
                                       plugin_entropy)

__all__ = [
    "CompressedInformation",
    "Estimate",
    "binned_mutual_information",
    "discrete_entropy",
    "kde_entropy_lower",
    "kde_entropy_upper",
    "kozachenko_leonenko_entropy",
    "ksg_mutual_information",
    "layer_information",
    "mixture_information",
    "mutual_information_compressed",
    "mutual_information_input",
    "mutual_information_label",
    "plugin_entropy",
    "weighted_kozachenko_leonenko_entropy",
]
