"""The registry of priors p(z) for the Gaussian channel: name → how to build it and which
config fields it reads.

A prior is a Keras layer with `log_prob(z)` ([batch] from [batch, D]) and `sample(n,
seed)`, or None for the standard normal, whose KL the channel computes in closed form.
Optionally it has `log_prob_fn()`, returning `log_prob` with the work that does not
depend on z done once (the VampPrior's encoded pseudo-inputs), for many calls at fixed
weights; without it `log_prob` itself serves. A
new prior is one module with its layer and one line here; `echo_ib.models.methods` then
combines it with any channel and posterior.
"""

import dataclasses
from typing import Callable

__all__ = ["PRIORS", "Prior"]


@dataclasses.dataclass(frozen=True)
class Prior:
    """`build(settings, latent_dim, input_shape)` → the layer (None: standard normal);
    `settings`: the `build_vae` keywords it reads, `{keyword: (training config field,
    default)}` (`settings` of `build` holds their values)."""
    build: Callable
    settings: dict = dataclasses.field(default_factory=dict)


def _maf(settings, latent_dim, input_shape):
    from echo_ib.models import flows
    return flows.MAFPrior(latent_dim, num_layers=settings["flow_layers"],
                          hidden_units=settings["flow_hidden_units"], dtype="float32")


def _vamp(settings, latent_dim, input_shape):
    from echo_ib.models import vamp_prior
    return vamp_prior.VampPrior(settings["vamp_components"], input_shape, dtype="float32")


PRIORS = {
    "standard_normal": Prior(lambda settings, latent_dim, input_shape: None),
    # Papamakarios, Pavlakou, Murray 2017.
    "maf": Prior(_maf, {"flow_layers": ("flow.num_layers", 2),
                        "flow_hidden_units": ("flow.hidden_units", 64)}),
    # Tomczak & Welling 2018.
    "vamp": Prior(_vamp, {"vamp_components": ("vamp.num_components", 750)}),
}
