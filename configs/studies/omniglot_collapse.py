"""The Omniglot collapse (echo, latent 16, β = 1: every dimension at the clip floor from
the first epoch; BENCHMARKS.md) re-run over rate warm-up × gate, a two-field grid.

`configs/omniglot_bundled_sweep.py` at latent 16, echo only, β = 1, seed 0 (the collapsed point),
rate_warmup_epochs ∈ {0, 10} × echo.gate ∈ {none, hard_concrete}.

    python experiments/sweep.py --config=configs/studies/omniglot_collapse.py \\
        --workdir=runs/gate/omniglot_collapse
"""

from configs import omniglot_bundled_sweep


def get_config():
    config = omniglot_bundled_sweep.get_config()
    config.latent_dim = 16
    config.echo.gate_init = 0.0
    config.iwae_samples = 0
    config.sweep.methods = ["echo"]
    config.sweep.betas = [1.0]
    config.sweep.grid = [("rate_warmup_epochs", [0, 10]),
                         ("echo.gate", ["none", "hard_concrete"])]
    return config
