"""The registry of VAE methods: what each name builds, and which config fields it reads.

A method is a channel (`echo_ib.channels.CHANNELS`: echo noise or the Gaussian), a prior
p(z) (`echo_ib.models.priors.PRIORS`: the standard normal, a MAF, the VampPrior), a
posterior (`echo_ib.models.posteriors.POSTERIORS`: the diagonal Gaussian, or with an IAF on
it) and whether the MMD term of the InfoVAE is added. `build_vae` builds from this table,
and the config schema asks it which fields a method reads (a prior's or posterior's
`reads`); adding a combination is one line.
"""

import dataclasses

from echo_ib import channels
from echo_ib.models import posteriors, priors

__all__ = ["METHODS", "MMD_SETTINGS", "Method", "reads", "settings", "settings_from_config"]


@dataclasses.dataclass(frozen=True)
class Method:
    """One VAE method. `label`: its name in figures and tables."""
    label: str
    channel: str = "gaussian"          # echo_ib.channels.CHANNELS
    prior: str = "standard_normal"     # echo_ib.models.priors.PRIORS
    posterior: str = "diagonal"        # echo_ib.models.posteriors.POSTERIORS
    mmd: bool = False                  # + λ·MMD(q(z), N(0, I))


METHODS = {
    "echo": Method("echo", channel="echo"),
    "vae": Method("β-VAE"),
    "infovae": Method("InfoVAE (MMD)", mmd=True),
    "flow": Method("VAE, MAF prior", prior="maf"),
    "vamp": Method("VAE, VampPrior", prior="vamp"),
    "iaf": Method("IAF", posterior="iaf"),
    "iaf_maf": Method("IAF, MAF prior", prior="maf", posterior="iaf"),
    "iaf_vamp": Method("IAF, VampPrior", prior="vamp", posterior="iaf"),
    "iaf_mmd": Method("IAF + MMD", posterior="iaf", mmd=True),
}


# The InfoVAE's term: λ·MMD(q(z), N(0, I)) (Zhao, Song, Ermon 2019).
MMD_SETTINGS = {"mmd_weight": ("mmd_weight", 100.0)}


def settings(method):
    """The `build_vae` keywords `method` reads, from its channel, prior, posterior and MMD
    term: `{keyword: (training config field, default)}`."""
    spec = METHODS[method]
    out = dict(channels.CHANNELS[spec.channel].settings)
    out.update(priors.PRIORS[spec.prior].settings)
    out.update(posteriors.POSTERIORS[spec.posterior].settings)
    if spec.mmd:
        out.update(MMD_SETTINGS)
    return out


def settings_from_config(method, config):
    """`{keyword: value}` of `settings(method)`, read from a training config's fields."""
    def field(dotted):
        node = config
        for part in dotted.split("."):
            node = node[part]
        return node

    return {name: field(path) for name, (path, _) in settings(method).items()}


def reads(prefix):
    """The methods that read a config field starting with `prefix` ('echo.', 'vamp.',
    'mmd_weight', …)."""
    return tuple(name for name in METHODS
                 if any(path.startswith(prefix) for path, _ in settings(name).values()))
