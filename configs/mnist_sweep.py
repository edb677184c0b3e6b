"""Echo noise against the β-VAE on the full MNIST (LeCun, Cortes & Burges): the 60,000
training images (the last 10,000 held out for validation, so 50,000 / 10,000) and the
10,000 test images, dynamically binarized, downloaded and checksum-verified on first use
when they are in none of the searched places (README, "Data"). The protocol of
`configs/mnist_bundled_sweep.py` (mlp, latent 32, Adam 1e-3, batch 100, up to 100 epochs,
early stopping on the validation D + βR with patience 10 from epoch 20).

    python experiments/sweep.py --config=configs/mnist_sweep.py --workdir=runs/mnist_sweep
"""

from configs import mnist_bundled_sweep


def get_config():
    config = mnist_bundled_sweep.get_config()
    config.train_split = "train"
    config.test_split = "test"
    config.validation_size = 10000
    config.test_size = 0
    return config
