"""Does gated echo, like the β-VAE, stop caring about the latent size? β = 1, latent 16
and 64, otherwise `echo_gate_fashion_mnist.py` (latent 32 is there).

    python experiments/sweep.py --config=configs/studies/echo_gate_latent_size.py \\
        --workdir=runs/gate/fmnist_latent_size
"""

from configs.studies import echo_gate_fashion_mnist


def get_config():
    config = echo_gate_fashion_mnist.get_config()
    config.sweep.betas = [1.0]
    config.sweep.grid = [("latent_dim", [16, 64])]
    return config
