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
    deterministic function of the batch however it is split across replicas.

    The function, sin(mean), is 1-Lipschitz: it passes on the rounding differences between
    an 8-row and a 16-row matmul (which differ between CPUs' kernels) without amplifying
    them, so the single-device and the replicated steps agree to float32 rounding."""

    def call(self, inputs, training=None, deterministic=False, seed=None):
        mean, log_scale = inputs
        noise = tf.sin(mean)
        return (mean + tf.exp(log_scale) * noise,
                gaussian.gaussian_kl_to_standard_normal(mean, log_scale))


class UndividedLossVAE(vae.VAE):
    """The mutation the distribution tests must catch: a step that does not divide the loss
    by the number of replicas (so R replicas take R times the global-batch step)."""

    def train_step(self, data):
        x = self._images(data)
        with tf.GradientTape() as tape:
            distortion, rate, loss = self.compute_terms(x, training=True)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        return self._update(distortion, rate, loss)


def build(strategy, model_class=vae.VAE):
    with strategy.scope():
        keras.utils.set_random_seed(0)
        model = model_class(vae.make_encoder("mlp", 4), InputDeterminedNoise(),
                            vae.make_decoder("mlp", 4), beta=0.7)
        model(tf.zeros((2, 28, 28, 1)))
        model.compile(optimizer=keras.optimizers.SGD(0.05), jit_compile=False)
    return model


x = (np.random.default_rng(0).random((16, 28, 28, 1)) < 0.3).astype(np.float32)
