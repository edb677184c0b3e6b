"""Echo noise against the β-VAE on real MNIST, in any clone: the bundled test set, split.

The full MNIST training set is not bundled (data/README.md); the 10,000 real test images
are, and this sweep splits them: training on the first 7,000, validation on the next
1,000, test on the last 2,000 (`train_split = test_split = 'test'`: the test part is the
split's last `test_size` images). Dynamically binarized (fresh Bernoulli bits every batch;
the held-out images binarized once). mlp, latent 32, Adam 1e-3, batch 100, up to 100
epochs with early stopping on the validation D + βR (patience 10, from epoch 20; the
sweep recorded on 2026-11-23 watched the −ELBO: add --config.early_stopping.monitor=neg_elbo
to reproduce it). Records and the plot name the subset; with the full training set, use
configs/mnist_*.py.

    python experiments/sweep.py --config=configs/mnist_bundled_sweep.py --workdir=runs/mnist_bundled_sweep
"""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "mnist"
    config.train_split = "test"
    config.test_split = "test"
    config.test_size = 2000
    config.validation_size = 1000
    config.train_size = 0
    config.binarize = "dynamic"
    config.architecture = "mlp"
    config.epochs = 100
    config.early_stopping.patience = 10
    config.early_stopping.min_epochs = 20
    config.early_stopping.min_delta = 0.05
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]
    config.sweep.seeds = [0]
    return config
