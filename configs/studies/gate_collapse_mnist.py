"""The gate's collapse at a high learning rate on the bundled MNIST, and one remedy.

At Adam 3e-3 (the study's settings otherwise: `echo_gate_mnist.py` at β = 1, latent 32,
hard-concrete gate from log α = 0) every gate closed by epoch 18 and never reopened (test
−ELBO 215.61 at rate 0). The grid asks whether a rate warm-up, which keeps β small while
the encoder learns to use the channel, stops that: rate_warmup_epochs ∈ {0, 10}. Each
record's `collapsed` field says whether the point collapsed.

    python experiments/sweep.py --config=configs/studies/gate_collapse_mnist.py \\
        --workdir=runs/gate_collapse/mnist
"""

from configs.studies import echo_gate_mnist


def get_config():
    config = echo_gate_mnist.get_config()
    config.learning_rate = 3e-3
    config.sweep.methods = ["echo"]
    config.sweep.betas = [1.0]
    config.sweep.grid = [("rate_warmup_epochs", [0, 10])]
    return config
