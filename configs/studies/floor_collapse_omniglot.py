"""The gated echo point that collapses at the floor on the bundled Omniglot (β = 4, latent
32: every gate open, every dimension at −log(clip), test −ELBO 176.21; BENCHMARKS.md) re-run
over rate warm-up × early stopping, a two-field grid.

At β = 4 a dimension at the floor costs 4 × 0.178 nats, so the objective wants most gates
shut; a gate is shut at evaluation only once its log α is below log(−γ/ζ) = log(0.1/1.1)
≈ −2.4, and Adam moves log α by about the learning rate (1e-3) a step at most. The point
stopped early at epoch 54, after about 1,300 steps (2,448 images, batch 100): too few for
a gate starting at log α = 0 to travel that far. The grid asks whether more steps (no
early stopping: all 200 epochs) or a rate warm-up (the encoder learns to use the channel
before the rate costs 4 nats a nat) get it out: rate_warmup_epochs ∈ {0, 10} ×
early_stopping.patience ∈ {15, 0}.

`configs/studies/echo_gate_omniglot.py` otherwise (seed 0, the best epoch by the validation
−ELBO; with patience 0 the last epoch is evaluated).

    python experiments/sweep.py --config=configs/studies/floor_collapse_omniglot.py \\
        --workdir=runs/gate/omniglot_floor_collapse
"""

from configs.studies import echo_gate_omniglot


def get_config():
    config = echo_gate_omniglot.get_config()
    config.sweep.methods = ["echo"]
    config.sweep.betas = [4.0]
    config.sweep.grid = [("rate_warmup_epochs", [0, 10]),
                         ("early_stopping.patience", [15, 0])]
    return config
