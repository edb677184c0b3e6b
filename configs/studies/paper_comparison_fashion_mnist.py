"""The echo paper's comparison on FashionMNIST: what varies is the model — echo (gated),
β-VAE, InfoVAE, MAF prior, VampPrior, IAF and the IAF combinations — all else equal, at
β = 1, with the IWAE bound from 1,000 draws. The protocol is the main job's fast one
(`configs/echo_ablation.py`) with echo's f = tanh(a), the main job's setting.
`--config.lr_schedule=paper --config.learning_rate=3e-4 --config.epochs=200
--config.early_stopping.patience=0` is the paper's schedule.

    python experiments/sweep.py --config=configs/studies/paper_comparison_fashion_mnist.py \\
        --workdir=runs/paper_comparison/fashion_mnist [--methods=vamp,iaf] [--seeds=0,1]
"""

from configs import echo_ablation, studies


def get_config():
    config = echo_ablation.get_config()  # the fast FashionMNIST protocol
    config.echo.f_scale = 1.0
    config.early_stopping.monitor = "neg_elbo"  # as recorded (= D + βR at β = 1)
    return studies.paper_comparison(config)
