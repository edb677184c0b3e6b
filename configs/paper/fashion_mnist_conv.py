"""The echo paper's FashionMNIST protocol, as the authors' public code has it.

brekelma/echo, experiments/configs/echo.json and vae.json, run with `--dataset fmnist`:

* data: grey-scale intensities (x/255, not binarized) scored by the Bernoulli
  cross-entropy summed over the 784 pixels; the first 50,000 training images (the last
  10,000 are echo_ib's validation split, which the paper did not use); the 10,000 test
  images evaluated in batches of 100, so a test example's echo noise comes from the other
  test examples of its batch;
* model: the authors' conv net, ReLU everywhere (`paper_conv`), latent 32; echo with
  f = tanh(a/16), log S = log(clip) + log_sigmoid(b), 100 terms (99 at batch 100) drawn
  without replacement from the other batch members, clip solved for a 2^-23 tail
  (0.8373; the authors hand-set 0.8359, the root for 1e-7); the β-VAE with linear
  mean/log-scale heads and the analytic KL to N(0, I); objective D + β R, rate summed over
  the 32 dimensions;
* optimisation: Adam, batch 100, 200 epochs, learning rate 3e-4 for 100 epochs and then a
  linear decay to 0 at epoch 200 (`lr_schedule='paper'`). The authors' `alemi_lr_sched`
  returns 3e-4·(1 − (200 − epoch)/100), which drops to 3e-6 at epoch 101 and climbs back to
  3e-4 at epoch 200; echo_ib implements the decay the schedule's shape intends;
* the final-epoch model is evaluated (no early stopping), as in the paper.

    python experiments/sweep.py --config=configs/paper/fashion_mnist_conv.py \\
        --workdir=runs/paper_conv

On 2 CPU cores one conv epoch takes about 2.5 minutes (BENCHMARKS.md), so this sweep is a
GPU job: about 8 hours per point on 2 cores.
"""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "fashion_mnist"
    config.binarize = "none"
    config.train_size = 0  # all 50,000 left after the validation split
    config.validation_size = 10000
    config.test_size = 0
    config.architecture = "paper_conv"
    config.latent_dim = 32
    config.echo.max_terms = 100
    config.echo.f_scale = 16.0
    config.batch_size = 100
    config.epochs = 200
    config.learning_rate = 3e-4
    config.lr_schedule = "paper"
    config.lr_decay_start = 100
    config.early_stopping.patience = 0
    config.iwae_samples = 100
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.1, 0.25, 0.5, 1.0, 2.0, 4.0]
    config.sweep.seeds = [0]
    return config
