"""The registry of VAE methods: what each name builds, and which config fields it reads.

A method is a channel (`echo_ib.channels.CHANNELS`: echo noise or the Gaussian), a prior
p(z) (`echo_ib.models.priors.PRIORS`: the standard normal, a MAF, the VampPrior), a
posterior (`echo_ib.models.posteriors.POSTERIORS`: the diagonal Gaussian, or with an IAF on
it) and whether the MMD term of the InfoVAE is added. `build_vae` builds from this table,
and the config schema asks it which fields a method reads (a prior's or posterior's
`reads`); adding a combination is one line.
"""

import dataclasses

from echo_ib.models import posteriors, priors

__all__ = ["METHODS", "Method", "reads"]


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


def reads(prefix):
    """The methods that read the config fields starting with `prefix`."""
    def uses(method):
        if prefix == "echo.":
            return method.channel == "echo"
        if prefix == "mmd_weight":
            return method.mmd
        return prefix in (priors.PRIORS[method.prior].reads,
                          posteriors.POSTERIORS[method.posterior].reads)

    return tuple(name for name, method in METHODS.items() if uses(method))
