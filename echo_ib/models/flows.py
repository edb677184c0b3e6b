"""A learned prior p(z) from masked autoregressive flows (TFP bijectors).

Papamakarios, Pavlakou, Murray, "Masked Autoregressive Flow for Density Estimation",
NeurIPS 2017. With u = f⁻¹(z) computed in one pass (eq. 4),

```none
log p(z) = log N(u; 0, I) − Σ_i log_scale_i(z_{<i})
```

Each flow is `tfp.bijectors.MaskedAutoregressiveFlow` driven by a MADE (Germain et al.
2015) written as a Keras 3 layer (TFP's own `AutoregressiveNetwork` is a tf-keras layer and
would not be tracked by a Keras 3 model); flows alternate with reversing permutations.
"""

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

__all__ = ["MADE", "MAFPrior"]

tfb = tfp.bijectors
tfd = tfp.distributions


def _made_masks(dim, hidden_units):
    """Masks of a one-hidden-layer MADE with degrees 1..D (inputs) and 1..D-1 (hidden)."""
    in_degrees = np.arange(1, dim + 1)
    hidden_degrees = (np.arange(hidden_units) % max(dim - 1, 1)) + 1
    in_mask = (hidden_degrees[None, :] >= in_degrees[:, None]).astype(np.float32)
    out_mask = (in_degrees[None, :] > hidden_degrees[:, None]).astype(np.float32)
    return in_mask, out_mask


@keras.saving.register_keras_serializable(package="echo_ib")
class MADE(keras.layers.Layer):
    """Autoregressive network z [batch, D] -> (shift, log_scale), output i sees z_{<i} only.

    log_scale is soft-clipped to (−3, 3) with 3·tanh(·/3) for stability.
    """

    def __init__(self, hidden_units=64, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = int(hidden_units)

    def build(self, input_shape):
        dim = int(input_shape[-1])
        in_mask, out_mask = _made_masks(dim, self.hidden_units)
        # NumPy, not tensors: build() may run inside a scratch graph.
        self._in_mask = in_mask
        self._out_mask = np.concatenate([out_mask, out_mask], axis=-1)
        self.w_in = self.add_weight(shape=(dim, self.hidden_units), name="w_in",
                                    initializer="glorot_uniform")
        self.b_in = self.add_weight(shape=(self.hidden_units,), name="b_in", initializer="zeros")
        self.w_out = self.add_weight(shape=(self.hidden_units, 2 * dim), name="w_out",
                                     initializer="zeros")
        self.b_out = self.add_weight(shape=(2 * dim,), name="b_out", initializer="zeros")

    def call(self, z):
        hidden = tf.nn.elu(tf.matmul(z, self.w_in * self._in_mask) + self.b_in)
        shift, raw = tf.split(tf.matmul(hidden, self.w_out * self._out_mask) + self.b_out, 2,
                              axis=-1)
        return shift, 3.0 * tf.tanh(raw / 3.0)

    def get_config(self):
        config = super().get_config()
        config["hidden_units"] = self.hidden_units
        return config


@keras.saving.register_keras_serializable(package="echo_ib")
class MAFPrior(keras.layers.Layer):
    """p(z) = MAF_K ∘ … ∘ MAF_1 pushed forward from N(0, I); `log_prob(z) -> [batch]`.

    Args:
      latent_dim: D.
      num_layers: number of MAF bijectors. Default value: 2.
      hidden_units: width of each MADE. Default value: 64.
    """

    def __init__(self, latent_dim, num_layers=2, hidden_units=64, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = int(latent_dim)
        self.num_layers = int(num_layers)
        self.hidden_units = int(hidden_units)
        self.mades = [MADE(hidden_units, name=f"made_{k}") for k in range(self.num_layers)]

    def build(self, input_shape=None):
        for made in self.mades:
            made.build((None, self.latent_dim))

    def distribution(self):
        """The flow prior as a `tfp.distributions.TransformedDistribution`."""
        bijectors = []
        reverse = tfb.Permute(np.arange(self.latent_dim)[::-1].copy())
        for made in self.mades:
            bijectors.append(tfb.MaskedAutoregressiveFlow(
                shift_and_log_scale_fn=lambda z, *a, made=made, **k: made(z)))
            bijectors.append(reverse)
        base = tfd.MultivariateNormalDiag(loc=tf.zeros([self.latent_dim]))
        return tfd.TransformedDistribution(base, tfb.Chain(bijectors[::-1][1:]))

    def log_prob(self, z):
        return self.distribution().log_prob(z)

    def sample(self, num, seed=0):
        """`num` draws from the flow prior, [num, D] (MAF sampling: D sequential passes)."""
        return self.distribution().sample(num, seed=tf.constant([int(seed), 3], tf.int32))

    def call(self, z):
        return self.log_prob(z)

    def get_config(self):
        config = super().get_config()
        config.update({"latent_dim": self.latent_dim, "num_layers": self.num_layers,
                       "hidden_units": self.hidden_units})
        return config
