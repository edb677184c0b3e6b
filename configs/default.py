"""Default VAE training config; the other configs import it and override a few fields.

Any field can be overridden on the command line, e.g. `--config.beta=0.5`.
"""

import ml_collections
from ml_collections import config_dict


def get_config():
    config = ml_collections.ConfigDict()
    # Data: echo_ib.data.load(dataset, split, data_dir); '' searches the standard places.
    config.dataset = "fashion_mnist"
    config.data_dir = ""
    config.binarize = "dynamic"  # fresh Bernoulli bits per batch; test set: one fixed draw
    config.train_split = "train"  # omniglot also: background_small1 / background_small2
    config.test_split = "test"
    config.train_size = 0  # 0: the whole training split
    config.test_size = 0

    # Model.
    config.method = "echo"  # echo | vae | infovae | flow
    config.architecture = "mlp"  # mlp | conv
    config.latent_dim = 32
    config.beta = 1.0
    config.echo = ml_collections.ConfigDict()
    config.echo.max_terms = 100
    config.echo.clip = config_dict.placeholder(float)  # None: solved for float32 precision
    config.echo.f_scale = 16.0
    config.mmd_weight = 100.0  # InfoVAE's λ
    config.flow = ml_collections.ConfigDict()
    config.flow.num_layers = 2
    config.flow.hidden_units = 64

    # Evaluation: IWAE bound on −log p(x) for the Gaussian-channel methods (0: skip).
    config.iwae_samples = 100

    # Optimisation (the echo paper: Adam, batch 100, remainder dropped).
    config.batch_size = 100
    config.epochs = 20
    config.learning_rate = 1e-3
    config.seed = 0
    config.strategy = "default"  # default | mirrored | multi_worker
    # XLA for the whole train step; None: on for mlp, off for conv (faster on CPU each way).
    config.jit_compile = config_dict.placeholder(bool)

    # Sweep grid (experiments/sweep.py).
    config.sweep = ml_collections.ConfigDict()
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]
    config.sweep.seeds = [0]
    return config
