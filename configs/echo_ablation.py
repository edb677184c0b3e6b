"""Ablations of echo's settings against the β-VAE at β = 1 on FashionMNIST (mlp).

The data of the paper protocol (`configs/paper/fashion_mnist_mlp.py`: grey-scale images,
Bernoulli likelihood, first 50,000 training images, 10,000 validation, 10,000 test), a
faster schedule so that one setting costs minutes, not an hour: Adam 1e-3, batch 100, up
to 150 epochs, stopped once the validation −ELBO (= D + βR at β = 1) has not improved by
0.05 nats for 10 epochs (never before epoch 50), best validation epoch kept. Each ablation changes one
setting for echo and gives the β-VAE the same change where it has one (latent size, batch
size), e.g.

    python experiments/sweep.py --config=configs/echo_ablation.py \\
        --workdir=runs/ablation/latent16 --config.latent_dim=16 --config.echo.f_scale=1

`configs/studies/echo_ablations.py` runs every ablation of BENCHMARKS.md in one command.
"""

from configs import default


def get_config():
    config = default.get_config()  # FashionMNIST, the paper's split, the mlp, latent 32
    config.binarize = "none"  # the paper's grey-scale images, Bernoulli likelihood
    config.echo.f_scale = 16.0  # the paper's f = tanh(a/16)
    config.epochs = 150
    config.early_stopping.patience = 10
    config.early_stopping.min_epochs = 50
    config.early_stopping.min_delta = 0.05
    config.iwae_samples = 0
    config.sweep.betas = [1.0]
    return config
