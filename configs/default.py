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
    config.test_split = "test"  # the same split as train_split: its last test_size examples
    config.train_size = 0  # 0: all the training examples left after validation
    config.test_size = 0  # 0: the whole test split
    # Held out from the *end* of the training split (FashionMNIST: train on the first 50,000
    # as the echo paper did, validate on the last 10,000); 0: no validation.
    config.validation_size = 10000

    # Model.
    config.method = "echo"  # echo | vae | infovae | flow
    config.architecture = "mlp"  # mlp | conv
    config.latent_dim = 32
    config.beta = 1.0
    config.echo = ml_collections.ConfigDict()
    config.echo.max_terms = 100
    config.echo.clip = config_dict.placeholder(float)  # None: solved for float32 precision
    config.echo.f_scale = 1.0  # f = tanh(a / f_scale); the paper's 16 is worse (BENCHMARKS.md)
    # Switching echo dimensions off (docs/design.md): none | hard_concrete (a learned gate
    # per dimension, trained on D + βR) | prune (switch a dimension off for good when the
    # validation D + βR is no worse without it, every prune_every epochs).
    config.echo.gate = "none"
    config.echo.gate_init = 3.0  # initial log α of the hard-concrete gate
    config.echo.prune_every = 10
    # Initial bias of the encoder's scale outputs (echo: S's logits; Gaussian: log σ).
    config.scale_bias_init = 0.0
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
    # constant | paper (constant for lr_decay_start epochs, then linear to 0) | cosine
    config.lr_schedule = "constant"
    config.lr_decay_start = 100
    # β_t rises linearly from 0 to β over this many epochs (every method); 0: β from the start.
    config.rate_warmup_epochs = 0
    # Stop when the validation −ELBO has not improved by min_delta nats for `patience`
    # epochs (never before min_epochs), then restore the best epoch; patience 0: off.
    config.early_stopping = ml_collections.ConfigDict()
    config.early_stopping.patience = 0
    config.early_stopping.min_epochs = 0
    config.early_stopping.min_delta = 0.0
    config.seed = 0
    config.strategy = "default"  # default | mirrored | multi_worker
    # XLA for the whole train step; None: on for mlp, off for conv (faster on CPU each way).
    config.jit_compile = config_dict.placeholder(bool)
    config.precision = "float32"  # float32 | mixed_float16 | mixed_bfloat16
    config.save_model = True  # <point>/model.keras
    config.tensorboard = True  # <point>/tensorboard

    # Sweep grid (experiments/sweep.py).
    config.sweep = ml_collections.ConfigDict()
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.25, 0.5, 1.0, 2.0, 4.0]
    config.sweep.seeds = [0]
    # Any other fields: [(dotted field, [values])] multiplied, and [((fields), [value
    # tuples])] that move together (echo_ib.training.grid); configs/studies/ has examples.
    config.sweep.grid = []
    config.sweep.zipped = []
    return config
