"""The echo paper's comparison on the bundled Omniglot (`configs/omniglot_bundled_sweep.py`'s data and
protocol, latent 32, β = 1): echo (gated), β-VAE, InfoVAE, MAF prior, VampPrior, IAF and
the IAF combinations, one grid over the method; IWAE with 1,000 draws.

    python experiments/sweep.py --config=configs/studies/paper_comparison_omniglot.py \\
        --workdir=runs/paper_comparison/omniglot [--seeds=0,1]
"""

from configs import omniglot_bundled_sweep, studies


def get_config():
    return studies.paper_comparison(omniglot_bundled_sweep.get_config())
