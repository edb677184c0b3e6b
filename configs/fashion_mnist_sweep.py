"""The main job: echo noise against the β-VAE on the real FashionMNIST, sized for 2 cores.

Five β values × two methods, the mlp architecture, 20,000 training images for 5 epochs
and the full 10,000-image test set: about ten minutes on a 2-core machine. For the
paper-scale comparison use `--config.train_size=0 --config.epochs=50` (or the conv net).
"""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "fashion_mnist"
    config.architecture = "mlp"
    config.train_size = 20000
    config.epochs = 5
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]
    config.sweep.seeds = [0]
    return config
