"""The main job: gated echo noise against the β-VAE on the real FashionMNIST, at the
paper's 32 latent dimensions, each point trained to convergence.

The settings the evidence in BENCHMARKS.md ("Echo without the floor") supports: the data
of the echo paper's protocol (grey-scale images with the Bernoulli likelihood, the first
50,000 training images, 10,000 held out for validation, the 10,000 test images), the mlp,
32 latent dimensions for both methods, echo with f = tanh(a), K = 99 and a learned
hard-concrete gate per dimension (initial log α = 0), which switches off the dimensions
that are not worth their −log(clip) = 0.178 nats; Adam 1e-3, batch 100, each point trained
until the validation −ELBO has not improved by 0.05 nats for 10 epochs (from epoch 50, at
most 150) and evaluated at its best validation epoch. These are the settings of
`configs/studies/echo_gate_fashion_mnist.py` over β ∈ [0.25, 4], so this sweep reproduces
the recorded results. This fast protocol may favour echo: under the paper's slower
schedule (3e-4, then a linear decay over 200 epochs) the β-VAE won at latent 16 without
the gate (BENCHMARKS.md).

About 10–20 minutes a point on one core of the 2-core machines here (10 points); re-run
to resume, `--parallel=2` for both cores.
"""

from configs import echo_ablation, studies


def get_config():
    config = echo_ablation.get_config()  # the fast FashionMNIST protocol
    config.echo.f_scale = 1.0
    return studies.gated_echo_against_vae(config, [0.25, 0.5, 1.0, 2.0, 4.0])
