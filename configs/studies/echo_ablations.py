"""The β = 1 ablations of echo against the β-VAE on FashionMNIST (BENCHMARKS.md, "Echo
against the β-VAE"), one command instead of a shell loop of overrides.

The protocol of `configs/echo_ablation.py`; each row of the zipped group is one ablation,
applied to both methods (latent size and batch size) or to echo's settings (which the
β-VAE ignores):

    python experiments/sweep.py --config=configs/studies/echo_ablations.py \\
        --workdir=runs/echo_ablations [--parallel=2]

The recorded results (results/echo_study/) were made with the earlier shell loop, one
workdir per ablation; the settings are the same, the point names now carry the swept
values.
"""

from configs import echo_ablation


def get_config():
    config = echo_ablation.get_config()
    fields = ("latent_dim", "echo.f_scale", "scale_bias_init", "echo.max_terms", "batch_size")
    config.sweep.zipped = [(fields, [
        (32, 16.0, 0.0, 100, 100),  # the paper's f = tanh(a/16)
        (32, 1.0, 0.0, 100, 100),   # f = tanh(a)
        (16, 1.0, 0.0, 100, 100),   # latent 16
        (8, 1.0, 0.0, 100, 100),    # latent 8
        (32, 1.0, 3.0, 100, 100),   # S's logits start at 3
        (32, 1.0, 0.0, 50, 100),    # K = 50
        (32, 1.0, 0.0, 499, 500),   # batch 500 with K = 499
    ])]
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [1.0]
    return config
