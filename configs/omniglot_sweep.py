"""Echo noise against the β-VAE on Burda et al.'s 28×28 Omniglot (`chardata.mat`, the
IWAE paper's and the echo paper's Omniglot): 24,345 training images (the last 1,345 held
out for validation) and 8,070 test images, dynamically binarized,
downloaded and checksum-verified on first use when missing (README, "Data"). The
protocol of `configs/omniglot_bundled_sweep.py` (mlp, latent 32, Adam 1e-3, batch 100,
up to 200 epochs, early stopping with patience 15 from epoch 30).

    python experiments/sweep.py --config=configs/omniglot_sweep.py --workdir=runs/omniglot_sweep
"""

from configs import omniglot_bundled_sweep


def get_config():
    config = omniglot_bundled_sweep.get_config()
    config.dataset = "omniglot_chardata"
    config.train_split = "train"
    config.test_split = "test"
    config.validation_size = 1345
    config.test_size = 0
    return config
