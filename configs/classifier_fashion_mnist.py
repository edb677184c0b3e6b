"""Supervised bottlenecks on FashionMNIST: echo against the variational information
bottleneck (VIB, Alemi et al., ICLR 2017) over β, with the networks, bottleneck and
optimiser of `configs/classifier_mnist.py`. What differs is the data — the 60,000
training images (the last 10,000 held out for validation, unused by the fixed-epoch
run) and the 10,000 test images — and 10 epochs instead of 20 (one FashionMNIST epoch is
seven bundled-MNIST epochs).

    python experiments/classifier_curve.py --config=configs/classifier_fashion_mnist.py \\
        --workdir=runs/classifier_fashion_mnist
"""

from configs import classifier_mnist


def get_config():
    config = classifier_mnist.get_config()
    config.dataset = "fashion_mnist"
    config.train_split = "train"
    config.test_split = "test"
    config.test_size = 0
    config.validation_size = 10000
    config.epochs = 10
    return config
