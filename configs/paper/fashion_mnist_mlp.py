"""The echo paper's FashionMNIST protocol (see fashion_mnist_conv.py) on the mlp.

Everything as in `configs/paper/fashion_mnist_conv.py` (grey-scale data with the Bernoulli
likelihood, first 50,000 training images, batch 100, Adam 3e-4 for 100 epochs then a
linear decay to 0 at 200, latent 32, echo with f = tanh(a/16) and 100 terms), but the
784-512-256 softplus mlp and its mirror, and the model of the best validation epoch is
kept: training stops once the validation −ELBO has not improved by 0.05 nats for 20
epochs, never before epoch 50 (the mlp overfits before epoch 200).

    python experiments/sweep.py --config=configs/paper/fashion_mnist_mlp.py \\
        --workdir=runs/paper_mlp

About 4–5 s an epoch on 2 CPU cores.
"""

from configs import default


def get_config():
    config = default.get_config()  # FashionMNIST, the paper's split, the mlp, latent 32
    config.binarize = "none"  # grey-scale images, Bernoulli likelihood
    config.echo.f_scale = 16.0  # f = tanh(a/16), K = 100 (the default)
    config.epochs = 200
    config.learning_rate = 3e-4
    config.lr_schedule = "paper"  # constant to epoch 100, then linear to 0 at 200
    config.early_stopping.patience = 20
    config.early_stopping.min_epochs = 50
    config.early_stopping.min_delta = 0.05
    config.sweep.betas = [0.1, 0.25, 0.5, 1.0, 2.0, 4.0]
    return config
