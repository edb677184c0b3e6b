"""What the distribution checks share: a VAE whose step is a deterministic function of the
batch however it is split across replicas or workers, and the batch. Import it after the
devices are configured."""

import keras
import numpy as np
import tensorflow as tf

from echo_ib.channels import gaussian
from echo_ib.models import vae


class InputDeterminedNoise(gaussian.GaussianNoise):
    """Gaussian channel whose 'noise' is a fixed function of the mean, so that a step is a
    deterministic function of the batch however it is split across replicas."""

    def call(self, inputs, training=None, deterministic=False, seed=None):
        mean, log_scale = inputs
        noise = tf.sin(1234.5 * mean)
        return (mean + tf.exp(log_scale) * noise,
                gaussian.gaussian_kl_to_standard_normal(mean, log_scale))


def build(strategy):
    with strategy.scope():
        keras.utils.set_random_seed(0)
        model = vae.VAE(vae.make_encoder("mlp", 4), InputDeterminedNoise(),
                        vae.make_decoder("mlp", 4), beta=0.7)
        model(tf.zeros((2, 28, 28, 1)))
        model.compile(optimizer=keras.optimizers.SGD(0.05), jit_compile=False)
    return model


x = (np.random.default_rng(0).random((16, 28, 28, 1)) < 0.3).astype(np.float32)
