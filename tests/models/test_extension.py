"""A new channel, data set and prior, registered from this file alone, train a point
through the ordinary config path: no library file names them."""

import keras
import numpy as np
import tensorflow as tf

from echo_ib import channels, data
from echo_ib.channels import base
from echo_ib.models import methods
from echo_ib.training import config_schema, trainer
from tests.helpers import tiny_config


@keras.saving.register_keras_serializable(package="echo_ib_tests")
class UnitNoise(base.Channel):
    """z = a + n, n ~ N(0, I); rate = KL(N(a, I) ‖ N(0, I)) = ½ Σ a² (b is unused)."""

    has_posterior_density = False
    sample_description = "decoded standard normal draws"

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._seed = seed

    def build(self, input_shape):
        self.latent = int(input_shape[0][-1])

    def call(self, inputs, training=None, seed=None):
        a, _ = inputs
        noise = tf.random.stateless_normal(tf.shape(a), self.seed_generator.next()
                                           if seed is None else seed)
        return a + noise, 0.5 * tf.reduce_sum(a * a, axis=-1)

    def rate_per_dimension(self, a, b, training=False):
        return 0.5 * tf.square(a)

    def latent_sample(self, num, seed=0, params=None):
        return tf.random.stateless_normal([num, self.latent], [seed, 9])

    def get_config(self):
        return {**super().get_config(), "seed": self._seed}


def test_a_toy_channel_and_a_toy_data_set_train_through_the_config_path(tiny_data_dir,
                                                                         tmp_path, monkeypatch):
    monkeypatch.setitem(channels.CHANNELS, "unit", UnitNoise)
    monkeypatch.setitem(methods.METHODS, "unit", methods.Method("unit noise", channel="unit"))
    rng = np.random.default_rng(0)
    squares = (rng.random((300, 16, 16, 1)) < 0.2).astype(np.float32)  # not 28×28
    monkeypatch.setitem(data.LOADERS, "squares",
                        lambda split, data_dir=None, download=True: (squares, np.zeros(300)))
    monkeypatch.setitem(config_schema.SPLITS, "squares", ("train",))
    config = tiny_config(tmp_path, method="unit", dataset="squares", data_dir="",
                         train_split="train", test_split="train")
    record = trainer.train_and_evaluate(config, tmp_path / "point", verbose=0)
    assert record["method"] == "unit" and record["dataset"] == "squares"
    assert record["test_examples"] == 100 and np.isfinite(record["test_neg_elbo"])
    assert record["test_iwae_nll"] is None and record["active_dimensions"] is None
    reloaded = keras.saving.load_model(tmp_path / "point" / "model.keras")
    assert isinstance(reloaded.channel, UnitNoise)
    assert reloaded.encoder.input_shape == (None, 16, 16, 1)


@keras.saving.register_keras_serializable(package="echo_ib_tests")
class ShiftedNormal(keras.layers.Layer):
    """p(z) = N(c·1, I) with a learned shift c."""

    def build(self, input_shape):
        self.shift = self.add_weight(shape=(), initializer="zeros", name="shift")

    def log_prob(self, z):
        d = tf.cast(tf.shape(z)[-1], z.dtype)
        return (-0.5 * tf.reduce_sum(tf.square(z - self.shift), axis=-1)
                - 0.5 * d * np.log(2 * np.pi))

    def sample(self, num, seed=0):
        return tf.random.stateless_normal([num, 4], [seed, 3]) + self.shift


def test_a_toy_prior_trains_through_the_config_path_with_its_iwae_bound(tiny_data_dir,
                                                                        tmp_path, monkeypatch):
    from echo_ib.models import priors
    monkeypatch.setitem(priors.PRIORS, "shifted", priors.Prior(
        lambda settings, latent_dim, input_shape: ShiftedNormal(dtype="float32")))
    monkeypatch.setitem(methods.METHODS, "shifted",
                        methods.Method("VAE, shifted prior", prior="shifted"))
    config = tiny_config(tiny_data_dir, method="shifted")
    record = trainer.train_and_evaluate(config, tmp_path / "point", verbose=0)
    assert record["method"] == "shifted" and np.isfinite(record["test_neg_elbo"])
    # The Gaussian posterior has a density, so the IWAE bound applies with the toy prior's
    # log-density in its weights.
    assert record["iwae_samples"] == 20 and np.isfinite(record["test_iwae_nll"])
    reloaded = keras.saving.load_model(tmp_path / "point" / "model.keras")
    assert isinstance(reloaded.channel.prior, ShiftedNormal)
