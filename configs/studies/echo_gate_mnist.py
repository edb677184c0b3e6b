"""Gated echo against the β-VAE on the bundled real MNIST (`configs/mnist_bundled_sweep.py`:
7,000 training, 1,000 validation and 2,000 test images of the real test set; latent 32;
Adam 1e-3; early stopping with patience 10 from epoch 20, at most 100 epochs), echo with
the hard-concrete gate (initial log α = 0), no warm-up for either method.

    python experiments/sweep.py --config=configs/studies/echo_gate_mnist.py \\
        --workdir=runs/gate/mnist
"""

from configs import mnist_bundled_sweep, studies


def get_config():
    return studies.gated_echo_against_vae(mnist_bundled_sweep.get_config(),
                                          [0.1, 0.25, 0.5, 1.0, 2.0, 4.0])
