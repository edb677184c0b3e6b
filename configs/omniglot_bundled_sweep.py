"""Echo noise against the β-VAE on real Omniglot, in any clone: the two bundled subsets.

The full Omniglot is not bundled (data/README.md); its two "background small" subsets
are: training on background_small1 (2,720 images of 136 characters; the last 272 held
out for validation), test on background_small2 (3,120 images of 156 other characters),
all resized to 28×28 and dynamically binarized. mlp, latent 32, Adam 1e-3, batch 100, up
to 200 epochs with early stopping on the validation D + βR (patience 15, from epoch 30;
the recorded sweep watched the −ELBO: --config.early_stopping.monitor=neg_elbo).
Records and the plot name the subsets; with the full data, use configs/omniglot_*.py.

    python experiments/sweep.py --config=configs/omniglot_bundled_sweep.py --workdir=runs/omniglot_bundled_sweep
"""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "omniglot"
    config.train_split = "background_small1"
    config.test_split = "background_small2"
    config.test_size = 0
    config.validation_size = 272
    config.train_size = 0
    config.binarize = "dynamic"
    config.architecture = "mlp"
    config.epochs = 200
    config.early_stopping.patience = 15
    config.early_stopping.min_epochs = 30
    config.early_stopping.min_delta = 0.05
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]
    config.sweep.seeds = [0]
    return config
