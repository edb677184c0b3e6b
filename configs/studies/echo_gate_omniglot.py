"""Gated echo against the β-VAE on the bundled real Omniglot subsets
(`configs/omniglot_sweep.py`: train on background_small1, test on background_small2;
latent 32; Adam 1e-3; early stopping with patience 15 from epoch 30, at most 200 epochs),
echo with the hard-concrete gate (initial log α = 0), no warm-up for either method.

    python experiments/sweep.py --config=configs/studies/echo_gate_omniglot.py \\
        --workdir=runs/gate/omniglot
"""

from configs import omniglot_sweep


def get_config():
    config = omniglot_sweep.get_config()
    config.echo.gate = "hard_concrete"
    config.echo.gate_init = 0.0
    config.iwae_samples = 0
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]
    return config
