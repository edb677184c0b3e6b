"""Gaussian noise channel: the β-VAE's encoder q(z|x) = N(μ(x), diag σ(x)²).

The rate is the variational upper bound on I(X; Z) (Kingma & Welling 2014, app. B):

```none
rate(x) = KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − 1) − Σ_j log σ_j     nats
```

With a learned prior p(z) (a flow, `echo_ib.models.flows`; the VampPrior,
`echo_ib.models.vamp_prior`) or a flow on the posterior (`echo_ib.models.iaf`, volume-
preserving, so log q(z|x) at the drawn z is the base density at its z_0) the KL has no
closed form and the single-sample Monte Carlo estimate `log q(z|x) − log p(z)` at the drawn
z is used.
"""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from echo_ib.channels import base

__all__ = ["GaussianNoise", "diagonal_gaussian_log_prob", "gaussian_kl_per_dimension",
           "gaussian_kl_to_standard_normal"]

tfd = tfp.distributions


def gaussian_kl_per_dimension(mean, log_scale):
    """KL(N(mean_j, exp(log_scale_j)²) ‖ N(0, 1)) of each dimension, nats. [..., D] -> [..., D].

    = ½ (mean_j² + exp(2 log_scale_j) − 1) − log_scale_j, computed by TFP's Normal–Normal
    KL (as fast as the closed form written out: benchmarks/library_formulas.py).
    """
    mean = tf.convert_to_tensor(mean)
    log_scale = tf.convert_to_tensor(log_scale, mean.dtype)
    standard = tfd.Normal(tf.zeros([], mean.dtype), tf.ones([], mean.dtype))
    return tfd.kl_divergence(tfd.Normal(mean, tf.exp(log_scale)), standard)


def gaussian_kl_to_standard_normal(mean, log_scale):
    """KL(N(mean, exp(log_scale)²) ‖ N(0, I)) summed over the last axis, nats. [..., D] -> [...]."""
    return tf.reduce_sum(gaussian_kl_per_dimension(mean, log_scale), axis=-1)


def diagonal_gaussian_log_prob(z, mean, log_scale):
    """log N(z; mean, diag exp(log_scale)²), summed over the last axis. [..., D] -> [...]
    (TFP's Normal.log_prob)."""
    z = tf.convert_to_tensor(z)
    mean = tf.convert_to_tensor(mean, z.dtype)
    return tf.reduce_sum(
        tfd.Normal(mean, tf.exp(tf.convert_to_tensor(log_scale, z.dtype))).log_prob(z), axis=-1)


@keras.saving.register_keras_serializable(package="echo_ib")
class GaussianNoise(base.Channel):
    """Additive Gaussian channel with KL rate: `z, rate = GaussianNoise()((mean, log_scale))`.

    ```none
    z    = mean + exp(log_scale) ⊙ n,   n ~ N(0, I)
    rate = KL(q(z|x) ‖ p(z))            nats per example, ≥ I(X; Z)
    ```

    Args:
      prior: optional layer with `log_prob(z) -> [batch]` and `sample(num, seed)` (a learned
        prior: `echo_ib.models.flows.MAFPrior`, `echo_ib.models.vamp_prior.VampPrior`; one
        with `attach_encoder(encoder)` is handed the VAE's encoder). Default value: `None`,
        the standard normal, with the closed-form KL.
      posterior_flow: optional volume-preserving flow layer `(z_0, context) -> z` applied to
        the Gaussian draw, with the context (mean, log_scale)
        (`echo_ib.models.iaf.InverseAutoregressiveFlow`). Default value: `None`.
      seed: int seed of the layer's noise stream. Default value: `None`.
      validate_args: check that inputs are finite. Default value: False.

    Call args:
      inputs: `(mean, log_scale)`, float tensors [batch, latent].
      deterministic: no noise: `z = mean` (through the posterior flow, if any). Default
        value: False.
      seed: optional stateless seed ([2] int tensor).

    Returns:
      `(z, rate)`: z shaped like the mean, rate [batch] in nats (summed over every axis
      but the batch's, for a latent of any rank).
    """

    min_batch_size = 1
    input_names = ("mean", "log_scale")
    has_posterior_density = True  # log q(z|x) at a draw: its base density (flows preserve volume)

    sample_description = "decoded prior draws"

    def latent_sample(self, num, seed=0, params=None):
        """`num` draws from the prior p(z), [num, D]; `params` is not needed."""
        del params
        return self.prior_sample(num, seed=seed)

    @classmethod
    def from_settings(cls, settings, method, latent_dim, input_shape, seed):
        """The Gaussian channel with the method's prior and posterior, built by their
        registries (`echo_ib.models.priors`, `echo_ib.models.posteriors`), in float32."""
        from echo_ib.models import posteriors, priors  # the parts live with the models
        prior = priors.PRIORS[method.prior].build(settings, latent_dim, input_shape)
        flow = posteriors.POSTERIORS[method.posterior].build(settings, latent_dim, input_shape)
        return cls(prior=prior, posterior_flow=flow, seed=seed, dtype="float32")

    def rate_per_dimension(self, mean, log_scale, training=False):
        """KL(q(z_j|x) ‖ N(0, 1)) per dimension, [batch, D]; ValueError where the rate does
        not split (a learned prior or a posterior flow couples the dimensions)."""
        del training
        if not self.has_closed_form_rate:
            raise ValueError("rate_per_dimension: with a learned prior or a posterior flow the "
                             "rate does not split over dimensions.")
        mean = tf.convert_to_tensor(mean)
        return gaussian_kl_per_dimension(mean, tf.broadcast_to(
            tf.convert_to_tensor(log_scale, mean.dtype), tf.shape(mean)))

    def __init__(self, prior=None, seed=None, validate_args=False, posterior_flow=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.prior = prior
        self.posterior_flow = posterior_flow
        self._seed = seed
        self._validate_args = bool(validate_args)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.check_input_shapes(input_shape)
        self._latent_dim = int(input_shape[0][-1])
        if isinstance(self.prior, keras.layers.Layer) and not self.prior.built:
            self.prior.build(input_shape[0])
        if self.posterior_flow is not None and not self.posterior_flow.built:
            latent = tuple(input_shape[0])
            self.posterior_flow.build((latent, latent[:-1] + (2 * latent[-1],)))
        self.built = True

    def attach_encoder(self, encoder):
        """Hands the VAE's encoder to a prior that needs it (the VampPrior)."""
        if hasattr(self.prior, "attach_encoder"):
            self.prior.attach_encoder(encoder)

    @property
    def has_closed_form_rate(self):
        """Whether the rate is the closed-form KL (standard normal prior, no posterior flow)."""
        return self.prior is None and self.posterior_flow is None

    def posterior_sample(self, mean, log_scale, noise):
        """(z, log q(z|x)) for the standard-normal `noise`; shapes [..., D] -> [..., D], [...].

        `mean` and `log_scale` broadcast against `noise` (e.g. [k, batch, D] draws)."""
        mean = tf.convert_to_tensor(mean)
        log_scale = tf.convert_to_tensor(log_scale, mean.dtype)
        z0 = mean + tf.exp(log_scale) * noise
        log_q = diagonal_gaussian_log_prob(z0, mean, log_scale)
        if self.posterior_flow is None:
            return z0, log_q
        shape = tf.shape(z0)
        flat = tf.reshape(z0, [-1, shape[-1]])
        context = tf.reshape(tf.concat([tf.broadcast_to(mean, shape),
                                        tf.broadcast_to(log_scale, shape)], -1),
                             [-1, 2 * shape[-1]])
        z = tf.reshape(self.posterior_flow((flat, context)), shape)
        return z, log_q  # the flow preserves volume

    def prior_log_prob(self, z):
        """log p(z), [...] for z [..., D]: the standard normal or the learned prior."""
        return self.prior_log_prob_fn()(z)

    def prior_log_prob_fn(self):
        """`prior_log_prob` with the prior's work that does not depend on z done once, now
        (its `log_prob_fn`, where it has one): for many calls at fixed weights."""
        if self.prior is None:
            return lambda z: diagonal_gaussian_log_prob(z, 0.0, 0.0)
        make = getattr(self.prior, "log_prob_fn", None)
        log_prob = self.prior.log_prob if make is None else make()

        def prior_log_prob(z):
            shape = tf.shape(z)
            return tf.reshape(log_prob(tf.reshape(z, [-1, shape[-1]])), shape[:-1])

        return prior_log_prob

    def compute_output_spec(self, inputs, **kwargs):
        mean = inputs[0]
        return (keras.KerasTensor(mean.shape, dtype=self.compute_dtype),
                keras.KerasTensor(mean.shape[:1], dtype=self.compute_dtype))

    def prior_sample(self, num, seed=0):
        """`num` draws from the prior p(z): the standard normal, or the flow prior. [num, D]."""
        if self.prior is None:
            if not self.built:
                raise ValueError("GaussianNoise.prior_sample needs a built layer (call it once).")
            return tf.random.stateless_normal([num, self._latent_dim], [int(seed), 2])
        return self.prior.sample(num, seed=seed)

    def call(self, inputs, training=None, deterministic=False, seed=None):
        mean, log_scale = self.checked_inputs(inputs)
        log_scale = tf.broadcast_to(log_scale, tf.shape(mean))
        if self._validate_args:
            mean = tf.debugging.assert_all_finite(mean, "GaussianNoise: mean is not finite.")
            log_scale = tf.debugging.assert_all_finite(
                log_scale, "GaussianNoise: log_scale is not finite.")
        if deterministic:
            noise = tf.zeros_like(mean)
        else:
            if seed is None:
                seed = self.seed_generator.next()
            noise = tf.random.stateless_normal(tf.shape(mean), seed, dtype=mean.dtype)
        if self.has_closed_form_rate:
            z = mean + tf.exp(log_scale) * noise
            # One number per example for a latent of any rank ([B, D] or [B, H, W, C]).
            rate = tf.reduce_sum(gaussian_kl_per_dimension(mean, log_scale),
                                 axis=tf.range(1, tf.rank(mean)))
        else:
            z, log_q = self.posterior_sample(mean, log_scale, noise)
            rate = log_q - self.prior_log_prob(z)
        return z, rate

    def get_config(self):
        config = super().get_config()
        config.update({
            "prior": None if self.prior is None else keras.saving.serialize_keras_object(self.prior),
            "seed": self._seed,
            "validate_args": self._validate_args,
            "posterior_flow": None if self.posterior_flow is None else
            keras.saving.serialize_keras_object(self.posterior_flow),
        })
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in ("prior", "posterior_flow"):
            if config.get(name) is not None:
                config[name] = keras.saving.deserialize_keras_object(config[name])
        return cls(**config)
