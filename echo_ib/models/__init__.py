"""Models: VAEs with a noise channel, the flow prior, noisy supervised IB classifiers."""

from echo_ib.models.flows import MADE, MAFPrior
from echo_ib.models.vae import (ARCHITECTURES, METHODS, VAE, build_vae,
                                importance_weighted_nll, make_decoder, make_encoder)

__all__ = [
    "ARCHITECTURES",
    "MADE",
    "MAFPrior",
    "METHODS",
    "VAE",
    "build_vae",
    "importance_weighted_nll",
    "make_decoder",
    "make_encoder",
]
