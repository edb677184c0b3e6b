"""Were the bundled-MNIST points of the gated-echo study converged? β = 1, both methods,
the same protocol as `echo_gate_mnist.py` but up to 300 epochs instead of 100 (every
β = 1 point there kept one of its last five epochs).

    python experiments/sweep.py --config=configs/studies/echo_gate_mnist_long.py \\
        --workdir=runs/gate/mnist_long
"""

from configs.studies import echo_gate_mnist


def get_config():
    config = echo_gate_mnist.get_config()
    config.epochs = 300
    config.sweep.betas = [1.0]
    return config
