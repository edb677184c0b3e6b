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

from configs.paper import fashion_mnist_conv


def get_config():
    config = fashion_mnist_conv.get_config()
    config.architecture = "mlp"
    config.early_stopping.patience = 20
    config.early_stopping.min_epochs = 50
    config.early_stopping.min_delta = 0.05
    return config
