"""The registry of posterior flows on the Gaussian channel's q(z|x): name → how to build
it and which config fields it reads.

A posterior flow is a Keras layer mapping (z₀, context) to z with log|det ∂z/∂z₀| (see
`echo_ib.models.iaf`), or None for the diagonal Gaussian itself. A new posterior is one
module with its layer and one line here.
"""

import dataclasses
from typing import Callable

__all__ = ["POSTERIORS", "Posterior"]


@dataclasses.dataclass(frozen=True)
class Posterior:
    """`build(settings, latent_dim, input_shape)` → the flow (None: the diagonal Gaussian);
    `settings`: the `build_vae` keywords it reads, `{keyword: (training config field,
    default)}`."""
    build: Callable
    settings: dict = dataclasses.field(default_factory=dict)


def _iaf(settings, latent_dim, input_shape):
    from echo_ib.models import iaf
    return iaf.InverseAutoregressiveFlow(settings["iaf_steps"], settings["iaf_hidden_units"],
                                         settings["iaf_hidden_layers"], dtype="float32")


POSTERIORS = {
    "diagonal": Posterior(lambda settings, latent_dim, input_shape: None),
    # Kingma et al. 2016, with the echo authors' sizes.
    "iaf": Posterior(_iaf, {"iaf_steps": ("iaf.num_steps", 4),
                            "iaf_hidden_units": ("iaf.hidden_units", 640),
                            "iaf_hidden_layers": ("iaf.hidden_layers", 3)}),
}
