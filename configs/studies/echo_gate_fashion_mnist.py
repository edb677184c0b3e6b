"""Gated echo against the β-VAE at the paper's 32 dimensions on FashionMNIST.

The protocol of `configs/echo_ablation.py` (the echo paper's data: grey-scale images with
the Bernoulli likelihood, the first 50,000 training images, 10,000 validation, 10,000 test;
the mlp; Adam 1e-3, batch 100; each point trained until the validation −ELBO has not
improved by 0.05 nats for 10 epochs, from epoch 50, at most 150, and evaluated at its best
validation epoch), latent 32 for both methods, echo with f = tanh(a), K = 99 terms and the
learned hard-concrete gate (initial log α = 0), no rate warm-up for either method.

    python experiments/sweep.py --config=configs/studies/echo_gate_fashion_mnist.py \\
        --workdir=runs/gate/fmnist_l32_hc0 [--shard=0/2]

A second seed at β = 1: add `--betas=1 --seeds=1` (same workdir). About 8–13 minutes a
point on one core (AMD EPYC); BENCHMARKS.md, "Echo without the floor", has the results.
"""

from configs import echo_ablation, studies


def get_config():
    config = echo_ablation.get_config()
    config.echo.f_scale = 1.0
    return studies.gated_echo_against_vae(config, [0.1, 0.25, 0.5, 1.0, 2.0, 4.0])
