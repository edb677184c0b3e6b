"""A noisy tanh MLP on 2,000 real MNIST test images (bundled in data/, found without
configuration)."""

from configs import info_plane_twelve_bit


def get_config():
    config = info_plane_twelve_bit.get_config()
    config.task = "mnist"
    config.num_examples = 2000
    config.num_test_examples = 1000
    config.widths = (64, 32, 16)  # a tuple: --config.widths=(64,32) works
    config.sigma = 0.2
    config.epochs = 50
    config.batch_size = 128
    config.learning_rate = 1e-3
    return config
