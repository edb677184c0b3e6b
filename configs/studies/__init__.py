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
