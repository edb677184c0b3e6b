"""Gated echo against the β-VAE on the bundled real Omniglot subsets
(`configs/omniglot_bundled_sweep.py`: train on background_small1, test on background_small2;
latent 32; Adam 1e-3; early stopping with patience 15 from epoch 30, at most 200 epochs),
echo with the hard-concrete gate (initial log α = 0), no warm-up for either method.

    python experiments/sweep.py --config=configs/studies/echo_gate_omniglot.py \\
        --workdir=runs/gate/omniglot
"""

from configs import omniglot_bundled_sweep, studies


def get_config():
    return studies.gated_echo_against_vae(omniglot_bundled_sweep.get_config(),
                                          [0.1, 0.25, 0.5, 1.0, 2.0, 4.0])
