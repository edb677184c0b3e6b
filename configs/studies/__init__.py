"""Study configs: grids over settings (echo_ib.training.grid), one command each."""


def gated_echo_against_vae(config, betas):
    """The gated-echo study's shared settings on top of a data set's protocol: echo with the
    hard-concrete gate from log α = 0 against the β-VAE, no IWAE bound, over `betas`.

    The best epoch is picked by the validation −ELBO, the rule the study was specified and
    recorded with; `echo_gate_selection.py` measures what picking by D + βR changes."""
    config.early_stopping.monitor = "neg_elbo"
    config.echo.gate = "hard_concrete"
    config.echo.gate_init = 0.0
    config.iwae_samples = 0
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = list(betas)
    return config


# The echo paper's models (the authors' public configs): echo, vae, info_vae, vae_maf,
# vae_vamp, iaf_prior, iaf_maf, iaf_vamp, iaf_prior_mmd.
PAPER_METHODS = ["echo", "vae", "infovae", "flow", "vamp", "iaf", "iaf_maf", "iaf_vamp",
                 "iaf_mmd"]


def paper_comparison(config, iwae_samples=1000):
    """Every model of the echo paper's comparison at β = 1 on a data set's protocol: a grid
    over the method, all else equal (data, network, latent size, optimiser, stopping rule,
    seed), echo with the hard-concrete gate (its best setting on these protocols), and the
    IWAE bound with `iwae_samples` draws for every model with a posterior density."""
    config.echo.gate = "hard_concrete"
    config.echo.gate_init = 0.0
    config.iwae_samples = iwae_samples
    config.sweep.methods = list(PAPER_METHODS)
    config.sweep.betas = [1.0]
    return config
