"""Supervised bottlenecks on real MNIST, in any clone: echo against the variational
information bottleneck (VIB, Alemi et al., ICLR 2017) over β, on the bundled MNIST test
set split 7,000 / 1,000 / 2,000 (the full training set is not bundled: data/README.md).

Both: a 784-512-512 ReLU encoder, a 32-dimensional bottleneck (echo's exact rate, or the
Gaussian's KL to N(0, I)), a softmax head; loss = cross-entropy + β·rate (nats); Adam
1e-3, batch 100, 20 epochs, the final epoch evaluated.

    python experiments/classifier_curve.py --config=configs/classifier_mnist.py \\
        --workdir=runs/classifier_mnist
"""

import ml_collections


def get_config():
    config = ml_collections.ConfigDict()
    config.dataset = "mnist"
    config.data_dir = ""
    config.train_split = "test"
    config.test_split = "test"
    config.test_size = 2000
    config.validation_size = 1000
    config.num_classes = 10
    config.hidden = (512, 512)
    config.latent_dim = 32
    config.epochs = 20
    config.batch_size = 100
    config.learning_rate = 1e-3
    config.methods = ("echo", "vib")
    config.betas = (1e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
    config.seeds = (0,)
    return config
