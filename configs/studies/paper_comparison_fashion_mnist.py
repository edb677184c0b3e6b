"""The echo paper's comparison on FashionMNIST under the fast protocol of the main job
(`configs/fashion_mnist_sweep.py`: the paper's data, the mlp, latent 32, Adam 1e-3, early
stopping on the validation −ELBO from epoch 50, at most 150), β = 1: echo (gated), β-VAE,
InfoVAE, MAF prior, VampPrior, IAF and the IAF combinations; IWAE with 1,000 draws.
`--config.lr_schedule=paper --config.learning_rate=3e-4 --config.epochs=200
--config.early_stopping.patience=0` is the paper's schedule.

    python experiments/sweep.py --config=configs/studies/paper_comparison_fashion_mnist.py \\
        --workdir=runs/paper_comparison/fashion_mnist [--methods=vamp,iaf] [--seeds=0,1]
"""

from configs import fashion_mnist_sweep, studies


def get_config():
    return studies.paper_comparison(fashion_mnist_sweep.get_config())
