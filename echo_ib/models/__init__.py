"""Models: VAEs with a noise channel, the flow prior, noisy supervised IB classifiers."""

from echo_ib.models.classifier import (BottleneckClassifier, NoisyConvNet, NoisyMLP,
                                       build_bottleneck_classifier, twelve_bit_network)
from echo_ib.models.flows import MADE, MAFPrior
from echo_ib.models.vae import (ARCHITECTURES, METHODS, VAE, build_vae,
                                importance_weighted_nll, importance_weighted_nll_fn, make_decoder,
                                make_encoder)

__all__ = [
    "ARCHITECTURES",
    "BottleneckClassifier",
    "MADE",
    "MAFPrior",
    "METHODS",
    "NoisyConvNet",
    "NoisyMLP",
    "VAE",
    "build_bottleneck_classifier",
    "build_vae",
    "importance_weighted_nll",
    "importance_weighted_nll_fn",
    "make_decoder",
    "make_encoder",
    "twelve_bit_network",
]
