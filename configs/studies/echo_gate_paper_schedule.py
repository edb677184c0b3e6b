"""Gated echo against the β-VAE at β = 1 under the echo paper's schedule (FashionMNIST).

`configs/paper/fashion_mnist_mlp.py` (Adam 3e-4 for 100 epochs, then linear to 0 at 200;
stop once the validation −ELBO has not improved by 0.05 nats for 20 epochs, from epoch 50;
best validation epoch), latent 32, echo with f = tanh(a) and the hard-concrete gate
(initial log α = 0), no warm-up for either method.

    python experiments/sweep.py --config=configs/studies/echo_gate_paper_schedule.py \\
        --workdir=runs/gate/fmnist_paper_schedule [--parallel=2]
"""

from configs import studies
from configs.paper import fashion_mnist_mlp


def get_config():
    config = fashion_mnist_mlp.get_config()
    config.echo.f_scale = 1.0
    return studies.gated_echo_against_vae(config, [1.0])
