"""The noisy MNIST conv classifier's information plane, through lossy compression.

`NoisyConvNet` (Conv 8, 16, 32, 3×3, stride 2, LeakyReLU(0.01); Dense 32; Dense 10; Gaussian
noise σ = 0.5 after every hidden layer) trained on the first 8,000 real MNIST test images (the
bundled set) and tested on the last 2,000; I(X;T_ℓ) and I(Y;T_ℓ) of the first 3,000
training images measured through compression (Butakov et al., ICLR 2024): autoencoders
with 4-dimensional codes for X and each layer, the shuffle-corrected weighted
Kozachenko–Leonenko estimator on the codes (the one that meets the rectangles benchmark at
low I); the plug-in beside it for the layers of at most 600 units. Each record says how
well the layer's compressor reconstructs its signal; those above the bar (20 % of the
signal's variance lost) are circled in the figures.

    python experiments/info_plane.py --config=configs/info_plane_mnist_conv.py \\
        --workdir=runs/info_plane_mnist_conv
"""

from configs import info_plane_twelve_bit


def get_config():
    config = info_plane_twelve_bit.get_config()
    config.task = "mnist"
    config.split = "test"
    config.architecture = "conv"
    config.num_examples = 8000
    config.num_test_examples = 2000
    config.num_measured = 3000
    config.sigma = 0.5  # at 0.1 the trained layers sit at the plug-in's log n ceiling
    config.epochs = 30
    config.batch_size = 128
    config.learning_rate = 1e-3
    config.schedule = "log"
    config.num_measurements = 7
    config.estimator = "compression"
    config.knn_estimator = "wkl-shuffled"  # meets the rectangles benchmark at low I
    config.latent_dims = (4, 4)
    config.compressor_epochs = 300
    config.compressor_refit_epochs = 60
    config.num_noise_draws = 4
    config.num_mc = 2000
    return config
