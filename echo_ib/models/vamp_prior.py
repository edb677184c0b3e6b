"""The VampPrior: a mixture of the variational posteriors of learned pseudo-inputs.

Tomczak & Welling, "VAE with a VampPrior", AISTATS 2018, eq. 9:

```none
p(z) = (1/K) Σ_k q(z | u_k),        q(z | u) = N(z; μ(u), diag σ(u)²)
log p(z) = logsumexp_k log N(z; μ(u_k), σ(u_k)) − log K
```

The K pseudo-inputs u_k are trained with the model; they pass through the VAE's own
encoder, so the prior has to be attached to it (`attach_encoder`, which `VAE` calls). Here
u_k = sigmoid(w_k) keeps them in the data's range [0, 1]; w_k starts N(0, 1).

The K Gaussian log-densities of a batch of z are two matrix products, not a [batch, K, D]
tensor (with p_k = σ(u_k)^−2):

```none
log N(z; μ_k, σ_k) = z·(p_k ⊙ μ_k) − ½ z²·p_k − ½ μ_k·(p_k ⊙ μ_k) − Σ_j log σ_kj − (D/2) log 2π
```

computed in float64, since the expansion subtracts terms as large as (z/σ)².
"""

import math

import keras
import tensorflow as tf

__all__ = ["VampPrior"]


@keras.saving.register_keras_serializable(package="echo_ib")
class VampPrior(keras.layers.Layer):
    """p(z) = (1/K) Σ_k N(z; μ(u_k), σ(u_k)²); `log_prob(z) -> [batch]`, `log_prob_fn()`,
    `sample(n, seed)`.

    Args:
      num_components: K, the number of pseudo-inputs. Default value: 750 (the echo
        authors' vae_vamp).
      input_shape: the shape of one input image, e.g. (28, 28, 1).
    """

    def __init__(self, num_components=750, input_shape=(28, 28, 1), **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_components, bool) or int(num_components) != num_components \
                or num_components < 1:
            raise ValueError(f"num_components must be an integer >= 1, got {num_components!r}.")
        self.num_components = int(num_components)
        self.image_shape = tuple(int(d) for d in input_shape)
        self._encode = None  # set by attach_encoder; a function, so Keras does not track it
        self.pseudo_logits = self.add_weight(
            shape=(self.num_components,) + self.image_shape, name="pseudo_logits",
            initializer=keras.initializers.RandomNormal(0.0, 1.0, seed=0), dtype="float32")

    def attach_encoder(self, encoder):
        """Uses `encoder` (x -> [batch, 2·latent]: means, log-scales) for the components."""
        self._encode = lambda x: encoder(x, training=False)

    def pseudo_inputs(self):
        """u_k = sigmoid(w_k), [K, *input_shape] in (0, 1)."""
        return tf.sigmoid(tf.convert_to_tensor(self.pseudo_logits))

    def components(self):
        """(μ(u_k), log σ(u_k)), each [K, D] float32."""
        if self._encode is None:
            raise ValueError("VampPrior needs the encoder: call attach_encoder(encoder) (VAE "
                             "does this when it is built).")
        params = tf.cast(self._encode(self.pseudo_inputs()), tf.float32)
        return tuple(tf.split(params, 2, axis=-1))

    def log_prob(self, z):
        """log p(z), [batch] nats."""
        return self.log_prob_fn()(z)

    def log_prob_fn(self):
        """`log_prob` with the K pseudo-inputs encoded once, now: for many calls at fixed
        weights (the IWAE bound's passes), each of which would otherwise encode all K."""
        mean, log_scale = (tf.cast(t, tf.float64) for t in self.components())  # [K, D]
        precision = tf.exp(-2.0 * log_scale)
        scaled_mean = precision * mean
        dim = tf.cast(tf.shape(mean)[1], tf.float64)
        constant = (-0.5 * tf.reduce_sum(scaled_mean * mean, axis=1)
                    - tf.reduce_sum(log_scale, axis=1)
                    - 0.5 * dim * math.log(2 * math.pi) - math.log(self.num_components))  # [K]

        def log_prob(z):
            z = tf.cast(z, tf.float64)
            log_q = (tf.matmul(z, scaled_mean, transpose_b=True)
                     - 0.5 * tf.matmul(tf.square(z), precision, transpose_b=True) + constant)
            return tf.cast(tf.reduce_logsumexp(log_q, axis=1), tf.float32)  # [batch]

        return log_prob

    def sample(self, num, seed=0):
        """`num` draws, [num, D]: a component uniformly, then its Gaussian."""
        mean, log_scale = self.components()
        pick = tf.random.stateless_uniform([num], [int(seed), 5], 0, self.num_components,
                                           dtype=tf.int32)
        noise = tf.random.stateless_normal([num, tf.shape(mean)[1]], [int(seed), 6])
        return tf.gather(mean, pick) + tf.exp(tf.gather(log_scale, pick)) * noise

    def call(self, z):
        return self.log_prob(z)

    def get_config(self):
        config = super().get_config()
        config.update({"num_components": self.num_components,
                       "input_shape": list(self.image_shape)})
        return config
