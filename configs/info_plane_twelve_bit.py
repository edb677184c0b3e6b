"""The noisy 12-10-7-5-4-3-2 tanh network on the 12-bit task (Goldfeld et al. 2019, §5)."""

import ml_collections


def get_config():
    config = ml_collections.ConfigDict()
    config.task = "twelve_bit"  # twelve_bit | mnist | fashion_mnist
    config.data_dir = ""
    config.split = "test"
    config.num_examples = 4096  # mnist / fashion_mnist: images trained on and measured
    config.num_test_examples = 1000  # mnist / fashion_mnist: the next images, for accuracy
    config.widths = (10, 7, 5, 4, 3)  # tuples can be set as --config.widths=(10,7)
    config.sigma = 0.1  # the noise standard deviation at every hidden layer
    # Orthonormal hidden kernels (no saturation, no clustering): "compression is not
    # necessary for generalisation" (Goldfeld et al.); benchmarks/orthonormal_twelve_bit.py.
    config.orthonormal = False
    config.epochs = 300
    config.batch_size = 256
    config.learning_rate = 3e-3
    config.seed = 0
    config.schedule = "log"  # every | log | adaptive
    config.num_measurements = 20
    config.num_noise_draws = 4
    config.num_mc = 4000
    config.estimator = "plugin"  # plugin | compression
    config.architecture = "mlp"  # mnist / fashion_mnist: mlp | conv
    config.num_measured = 0  # mnist / fashion_mnist: images measured (0: all trained on)
    # The compression estimator's settings.
    config.knn_estimator = "wkl"  # wkl | kde | ksg | wkl-shuffled
    config.latent_dims = (4, 4)  # code sizes of X and of each layer
    config.compressor_epochs = 300
    config.compressor_refit_epochs = 60
    return config
