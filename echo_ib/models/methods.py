"""The registry of VAE methods: what each name builds, and which config fields it reads.

A method is a channel (echo noise or the Gaussian), a prior p(z) (the standard normal,
a MAF, the VampPrior), a posterior (the diagonal Gaussian, or with an IAF on it) and
whether the MMD term of the InfoVAE is added. `build_vae` builds from this table, and the
config schema asks it which fields a method reads; adding a combination is one line.
"""

import dataclasses

__all__ = ["METHODS", "Method", "reads"]


@dataclasses.dataclass(frozen=True)
class Method:
    """One VAE method. `label`: its name in figures and tables."""
    label: str
    channel: str = "gaussian"          # echo | gaussian
    prior: str = "standard_normal"     # standard_normal | maf | vamp
    posterior: str = "diagonal"        # diagonal | iaf
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
    rule = {"echo.": lambda m: m.channel == "echo",
            "flow.": lambda m: m.prior == "maf",
            "vamp.": lambda m: m.prior == "vamp",
            "iaf.": lambda m: m.posterior == "iaf",
            "mmd_weight": lambda m: m.mmd}[prefix]
    return tuple(name for name, method in METHODS.items() if rule(method))
