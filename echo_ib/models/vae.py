"""Variational autoencoders with a pluggable noise channel: echo VAE and its baselines.

The training objective is the rate–distortion Lagrangian (Alemi et al., "Fixing a Broken
ELBO", ICML 2018, eq. 8; Brekelmans et al. 2019, eq. 9):

```none
loss = D + β R,    D = E −log p(x | z)  (nats/image),   R = rate of the channel (nats)
−ELBO = D + R      (at β = 1 the loss; an upper bound on −log p(x))
```

Methods (`build_vae(method=...)`, the registry `METHODS` in `echo_ib.models.methods`):
* `echo`: `EchoNoise` channel, R = −E log|det S(x)| = I(X;Z) exactly.
* `vae`: `GaussianNoise`, R = KL(q(z|x) ‖ N(0, I)) (β-VAE, Higgins et al. 2017).
* `infovae`: as `vae` plus λ·MMD(q(z), N(0, I)) (Zhao et al. 2019, the MMD-VAE).
* `flow`: `GaussianNoise` with a masked-autoregressive-flow prior (`flows.MAFPrior`), R the
  Monte Carlo KL to the learned prior.
* `vamp`: the VampPrior (`vamp_prior.VampPrior`, Tomczak & Welling 2018).
* `iaf`, `iaf_maf`, `iaf_vamp`, `iaf_mmd`: an inverse autoregressive flow on the posterior
  (`iaf.InverseAutoregressiveFlow`, Kingma et al. 2016) with the standard normal, MAF or
  VampPrior prior, or the standard normal and the MMD term: the echo authors' `iaf_prior`,
  `iaf_maf`, `iaf_vamp` and `iaf_prior_mmd`.

Architectures (`make_encoder`, `make_decoder`):
* `mlp`: 784-512-256-(2·latent) and its mirror, softplus hidden units.
* `conv`: after the echo paper's encoder (Alemi et al. 2018): Conv 32,32,64,64,256 with
  kernels 5,5,5,5,7 and strides 1,2,1,2,1 (the last one 'valid', down to 1×1), ELU, a
  dense head; the decoder mirrors it with Conv2DTranspose (64, 64, 32, 32, 32), ELU.
* `paper_conv`: the network of the authors' public code (brekelma/echo,
  experiments/configs/echo.json) exactly: ReLU everywhere; encoder Conv2D 32 k5 s1, 32 k5
  s2, 64 k5 s1, 64 k5 s2 ('same'), 256 k7 s1 'valid' (1×1×256), a linear head; decoder
  Conv2DTranspose 64 k7 'valid', 64 k5 s1, 64 k5 s2, 32 k5 s1, 32 k5 s2, 32 k4 s1 ('same'),
  then Conv2D 1 k5 (the Bernoulli logits; the paper's sigmoid is inside the loss).

Under a mixed-precision policy (`keras.mixed_precision.set_global_policy("mixed_float16")`)
the encoder and decoder compute in float16 while the channel and the loss stay in float32
(the echo series multiplies up to 100 scales; its rate sums logs), and `compile` wraps the
optimizer in Keras's dynamic loss scaling, which `train_step` applies.
"""


import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from echo_ib import channels
from echo_ib.models import _validation, methods
from echo_ib.models import mmd as mmd_lib

__all__ = [
    "ARCHITECTURES",
    "METHODS",
    "VAE",
    "build_vae",
    "importance_weighted_nll",
    "make_decoder",
    "make_encoder",
]

ARCHITECTURES = ("mlp", "conv", "paper_conv")
METHODS = tuple(methods.METHODS)


def make_encoder(architecture, latent_dim, input_shape=(28, 28, 1), name="encoder",
                 scale_bias_init=0.0):
    """x [batch, *input_shape] -> channel parameters [batch, 2·latent].

    The head is one linear layer whose first `latent` outputs feed the channel's mean
    (echo: f(x)) and the last `latent` its scale (echo: the logits of S(x); Gaussian: log σ);
    `scale_bias_init` is the initial bias of the scale half. Default value: 0.
    """
    if architecture == "mlp":
        layers = [keras.layers.Flatten(),
                  keras.layers.Dense(512, activation="softplus"),
                  keras.layers.Dense(256, activation="softplus")]
    elif architecture == "conv":
        layers = []
        for filters, kernel, stride in ((32, 5, 1), (32, 5, 2), (64, 5, 1), (64, 5, 2)):
            layers.append(keras.layers.Conv2D(filters, kernel, stride, padding="same",
                                              activation="elu"))
        layers += [keras.layers.Conv2D(256, 7, 1, padding="valid", activation="elu"),
                   keras.layers.Flatten()]
    elif architecture == "paper_conv":
        layers = [keras.layers.Conv2D(filters, kernel, stride, padding="same", activation="relu")
                  for filters, kernel, stride in ((32, 5, 1), (32, 5, 2), (64, 5, 1), (64, 5, 2))]
        layers += [keras.layers.Conv2D(256, 7, 1, padding="valid", activation="relu"),
                   keras.layers.Flatten()]
    else:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}.")
    bias = np.concatenate([np.zeros(latent_dim), np.full(latent_dim, float(scale_bias_init))])
    layers.append(keras.layers.Dense(
        2 * latent_dim, bias_initializer=keras.initializers.Constant(bias.astype(np.float32))))
    return keras.Sequential([keras.Input(input_shape)] + layers, name=name)


def make_decoder(architecture, latent_dim, output_shape=(28, 28, 1), name="decoder"):
    """z [batch, latent] -> Bernoulli logits [batch, *output_shape]."""
    size = int(np.prod(output_shape))
    if architecture == "mlp":
        layers = [keras.layers.Dense(256, activation="softplus"),
                  keras.layers.Dense(512, activation="softplus"),
                  keras.layers.Dense(size),
                  keras.layers.Reshape(output_shape)]
    elif architecture == "conv":
        if tuple(output_shape[:2]) != (28, 28):
            raise ValueError(f"the conv decoder makes 28x28 images, not {output_shape}.")
        layers = [keras.layers.Reshape((1, 1, latent_dim)),
                  keras.layers.Conv2DTranspose(64, 7, 1, padding="valid", activation="elu")]
        for filters, stride in ((64, 2), (32, 1), (32, 2), (32, 1)):
            layers.append(keras.layers.Conv2DTranspose(filters, 5, stride, padding="same",
                                                       activation="elu"))
        layers.append(keras.layers.Conv2D(output_shape[-1], 5, 1, padding="same"))
    elif architecture == "paper_conv":
        if tuple(output_shape[:2]) != (28, 28):
            raise ValueError(f"the paper_conv decoder makes 28x28 images, not {output_shape}.")
        layers = [keras.layers.Reshape((1, 1, latent_dim)),
                  keras.layers.Conv2DTranspose(64, 7, 1, padding="valid", activation="relu")]
        for filters, kernel, stride in ((64, 5, 1), (64, 5, 2), (32, 5, 1), (32, 5, 2),
                                        (32, 4, 1)):
            layers.append(keras.layers.Conv2DTranspose(filters, kernel, stride, padding="same",
                                                       activation="relu"))
        layers.append(keras.layers.Conv2D(output_shape[-1], 5, 1, padding="same"))
    else:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}.")
    return keras.Sequential([keras.Input((latent_dim,))] + layers, name=name)


def _bernoulli_distortion(x, logits):
    """D = −log p(x | z) = Σ over pixels of the Bernoulli cross-entropy, [batch] nats.

    TF's `sigmoid_cross_entropy_with_logits` (also right for grey-scale targets);
    `tfd.Bernoulli(logits).log_prob` gives the same numbers 3.7× slower with its gradient
    (benchmarks/library_formulas.py)."""
    return tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits),
                         axis=tf.range(1, tf.rank(x)))


@keras.saving.register_keras_serializable(package="echo_ib")
class VAE(keras.Model):
    """Encoder → noise channel → Bernoulli decoder, trained on distortion + β·rate.

    Args:
      encoder: layer x -> [batch, 2·latent], split into the channel's two inputs.
      channel: a layer `(a, b) -> (z, rate)` (`EchoNoise`, `GaussianNoise`).
      decoder: layer z -> Bernoulli logits shaped like x.
      beta: β ≥ 0, the weight of the rate. Default value: 1.
      likelihood: only 'bernoulli' (x in [0, 1]; binary or intensities).
      mmd_weight: λ ≥ 0 of the InfoVAE's MMD(q(z), N(0, I)) term. Default value: 0.
      rate_warmup_steps: W ≥ 0. The training loss weighs the rate by
        β_t = β · min(1, t / W) at optimizer step t = 1, 2, … (Sønderby et al. 2016, "How
        to train deep variational autoencoders", §2.3); 0: β throughout. Default value: 0.
        Evaluation and the reported −ELBO never depend on it.

    Metrics (nats per image, Mean over the epoch): `loss` = D + βR (+ λ MMD), `rate` R,
    `distortion` D, `elbo` = −(D + R).

    Under a `tf.distribute` strategy each replica runs the step on its B/R examples; the
    loss is divided by R before the gradients are summed across replicas, so the update is
    the global-batch one, and the Mean metrics aggregate over all replicas. Echo noise then
    draws each example's series from the other members of its *replica's* batch: those are
    iid draws from the data just as the global batch's are, so the noise has the same law,
    with the series capped at min(max_terms, B/R − 1) terms (keep B/R ≥ max_terms + 1 to
    lose nothing, e.g. B = 101·R for K = 100). The rate −log|det S(x)| is per example and
    does not depend on the batch at all.
    """

    def __init__(self, encoder, channel, decoder, beta=1.0, likelihood="bernoulli",
                 mmd_weight=0.0, rate_warmup_steps=0, **kwargs):
        super().__init__(**kwargs)
        if likelihood != "bernoulli":
            raise ValueError(f"likelihood must be 'bernoulli', got {likelihood!r}.")
        self.encoder = encoder
        self.channel = channel
        self.decoder = decoder
        if hasattr(channel, "attach_encoder"):  # a prior built from the encoder (VampPrior)
            channel.attach_encoder(encoder)
        self.beta = _validation.nonnegative(beta, "beta")
        self.likelihood = likelihood
        self.mmd_weight = _validation.nonnegative(mmd_weight, "mmd_weight")
        if (isinstance(rate_warmup_steps, bool) or int(rate_warmup_steps) != rate_warmup_steps
                or rate_warmup_steps < 0):
            raise ValueError(f"rate_warmup_steps must be an integer >= 0, got "
                             f"{rate_warmup_steps!r}.")
        self.rate_warmup_steps = int(rate_warmup_steps)
        self.prior_seed = keras.random.SeedGenerator(0)
        self.trackers = {name: keras.metrics.Mean(name=name)
                         for name in ("loss", "rate", "distortion", "elbo")}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, x, training=False, seed=None):
        """Returns `(logits, z, rate)`; `seed` (a stateless [2] seed) fixes the channel's noise."""
        params = self.encoder(tf.cast(x, self.compute_dtype), training=training)
        a, b = tf.split(params, 2, axis=-1)
        z, rate = self.channel((a, b), training=training, seed=seed)
        return self.decoder(z, training=training), z, rate

    def rate_weight(self, step):
        """β_t = β · min(1, t / W) at optimizer step t (1-based); β without a warm-up."""
        if not self.rate_warmup_steps:
            return tf.constant(self.beta, tf.float32)
        t = tf.cast(step, tf.float32)
        return self.beta * tf.minimum(1.0, t / float(self.rate_warmup_steps))

    def compute_terms(self, x, training=False, beta=None):
        """Per-example distortion [batch], rate [batch], and the scalar loss (float32).

        `beta` overrides the model's β in the loss (the warm-up's β_t); the terms do not
        depend on it."""
        x = tf.cast(x, tf.float32)
        logits, z, rate = self(x, training=training)
        logits, z, rate = (tf.cast(t, tf.float32) for t in (logits, z, rate))
        distortion = _bernoulli_distortion(x, logits)
        beta = self.beta if beta is None else beta
        loss = tf.reduce_mean(distortion) + beta * tf.reduce_mean(rate)
        if self.mmd_weight > 0:
            prior = tf.random.stateless_normal(tf.shape(z), self.prior_seed.next(), dtype=z.dtype)
            loss += self.mmd_weight * mmd_lib.maximum_mean_discrepancy(z, prior)
        if self.losses:
            loss += tf.add_n(self.losses)
        return distortion, rate, loss

    def _update(self, distortion, rate, loss):
        self.trackers["loss"].update_state(loss)
        self.trackers["rate"].update_state(rate)
        self.trackers["distortion"].update_state(distortion)
        self.trackers["elbo"].update_state(-(distortion + rate))
        results = {name: m.result() for name, m in self.trackers.items()}
        if isinstance(tf.distribute.get_strategy(), tf.distribute.MultiWorkerMirroredStrategy):
            # Keras 3.15 reduces step outputs across workers with reduce(MEAN, axis=0), which
            # fails on scalars; the trackers already hold the global means, so give each a
            # length-1 axis for that reduction to average away.
            results = {name: tf.reshape(value, [1]) for name, value in results.items()}
        return results

    @staticmethod
    def _images(data):
        return data[0] if isinstance(data, (tuple, list)) else data

    def train_step(self, data):
        x = self._images(data)
        with tf.GradientTape() as tape:
            beta = self.rate_weight(self.optimizer.iterations + 1)
            distortion, rate, loss = self.compute_terms(x, training=True, beta=beta)
            # Under a tf.distribute strategy each replica sees B / R examples and gradients
            # are summed across replicas: dividing by R makes the step the global-batch mean.
            replica_loss = loss / tf.distribute.get_strategy().num_replicas_in_sync
            # Dynamic loss scaling under mixed_float16 (identity otherwise); the
            # LossScaleOptimizer that `compile` wraps around the optimizer unscales.
            replica_loss = self.optimizer.scale_loss(replica_loss)
        grads = tape.gradient(replica_loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        return self._update(distortion, rate, loss)

    def sample_latents(self, num, seed=0, x=None):
        """`num` exact draws from the latent marginal the decoder is trained on, [num, D].

        Gaussian channel: draws from its prior p(z) (standard normal, or the flow prior).
        Echo: draws of ε built from the codes (f(x), S(x)) of the images `x` (at least
        num + 1 of them): ε has exactly the law of z under the data (paper eq. 4–5, up to
        the truncation tail bound), so decoding it samples the model's marginal q(z).
        """
        if not self.channel.samples_need_codes:
            return self.channel.latent_sample(num, seed=seed)
        if x is None or len(x) < num + 1:
            raise ValueError("this channel's latent marginal is drawn from data codes: pass "
                             f"at least num + 1 = {num + 1} images as x.")
        a, b = tf.split(self.encoder(tf.cast(x, self.compute_dtype)), 2, axis=-1)
        return self.channel.latent_sample(num, seed=seed, params=(a, b))

    def rate_per_dimension(self, x):
        """Each latent dimension's share of the rate, [batch, D] nats; sums to the rate.

        Echo: R_j(x) = −log S_j(x) ≥ −log(clip) for an active dimension, whose sum is
        −log|det S(x)| (the exact I(X; Z) in expectation); a dimension the decoder ignores
        still pays −log(clip) unless it is switched off (mask or gate), when it pays 0.
        Gaussian channel with the standard normal prior: R_j(x) = KL(q(z_j|x) ‖ N(0, 1)).
        A learned prior or a posterior flow couples the dimensions, so the rate does not
        split: ValueError.
        """
        a, b = tf.split(self.encoder(tf.cast(x, self.compute_dtype), training=False), 2, axis=-1)
        return self.channel.rate_per_dimension(tf.cast(a, tf.float32), tf.cast(b, tf.float32))

    def evaluate_seeded(self, images, batch_size=100, seed=0):
        """Rate, distortion and −ELBO of `images` at evaluation, with reproducible noise.

        Batch k (the images in order, the remainder after the last full batch dropped)
        draws its channel noise with the stateless seed [seed, k], so the same model, images
        and seed give the same numbers on one machine (and agree to float32 rounding on
        another): a reloaded `model.keras` reproduces the recorded test numbers. Echo draws
        each example's series from its batch, so the batch size is part of the estimate.

        Args:
          images: array [N, ...] in [0, 1], N ≥ batch_size.
          batch_size: B (≥ 2 for echo). Default value: 100.
          seed: int seed.

        Returns:
          A dict of Python floats `rate`, `distortion`, `neg_elbo` (nats per image, means
          over the evaluated images) and `examples`, the number evaluated.
        """
        images = np.asarray(images)
        _validation.check_images(images, self.encoder.input_shape[1:],
                                 name="evaluate_seeded: images")
        num = len(images) // int(batch_size) * int(batch_size)
        if num < 1:
            raise ValueError(f"evaluate_seeded: {len(images)} images make no batch of "
                             f"{batch_size}.")
        if getattr(self, "_seeded_terms", None) is None:
            @tf.function(autograph=False, reduce_retracing=True)
            def terms(x, noise_seed):
                x = tf.cast(x, tf.float32)
                logits, _, rate = self(x, training=False, seed=noise_seed)
                distortion = _bernoulli_distortion(x, tf.cast(logits, tf.float32))
                return tf.reduce_sum(distortion), tf.reduce_sum(tf.cast(rate, tf.float32))
            self._seeded_terms = terms
        distortion = rate = 0.0
        for k, start in enumerate(range(0, num, int(batch_size))):
            d, r = self._seeded_terms(tf.constant(images[start:start + int(batch_size)]),
                                      tf.constant([int(seed), k], tf.int32))
            distortion += float(d)
            rate += float(r)
        return {"rate": rate / num, "distortion": distortion / num,
                "neg_elbo": (rate + distortion) / num, "examples": num}

    def _check_array_input(self, x, batch_size, name):
        _validation.check_images(
            x, self.encoder.input_shape[1:], batch_size=batch_size,
            min_batch_size=getattr(self.channel, "min_batch_size", 1), name=name)

    def fit(self, x=None, y=None, batch_size=None, **kwargs):
        """`keras.Model.fit`, after checking arrays of images: their shape, their range
        [0, 1], and that no batch is smaller than the channel takes (echo: 2)."""
        self._check_array_input(x, batch_size or 32, "fit: x")
        return super().fit(x, y, batch_size=batch_size, **kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, **kwargs):
        """`keras.Model.evaluate`, after the checks of `fit`."""
        self._check_array_input(x, batch_size or 32, "evaluate: x")
        return super().evaluate(x, y, batch_size=batch_size, **kwargs)

    def test_step(self, data):
        distortion, rate, loss = self.compute_terms(self._images(data), training=False)
        return self._update(distortion, rate, loss)

    def get_config(self):
        config = super().get_config()
        config.update(_validation.serialize_parts(self, ("encoder", "channel", "decoder")))
        config.update({"beta": self.beta, "likelihood": self.likelihood,
                       "mmd_weight": self.mmd_weight,
                       "rate_warmup_steps": self.rate_warmup_steps})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**_validation.deserialize_parts(config, ("encoder", "channel", "decoder")))


def build_vae(method, architecture="mlp", latent_dim=32, beta=1.0, input_shape=(28, 28, 1),
              seed=0, scale_bias_init=0.0, rate_warmup_steps=0, **settings):
    """Builds one of `METHODS` with the given architecture; shapes fixed, weights fresh.

    Args:
      method: a name in `METHODS` ('echo', 'vae', 'infovae', 'flow', 'vamp', 'iaf',
        'iaf_maf', 'iaf_vamp', 'iaf_mmd'; `echo_ib.models.methods`).
      architecture: 'mlp', 'conv' or 'paper_conv'.
      latent_dim: D. Default value: 32.
      beta: β ≥ 0.
      input_shape: one image's shape. Default value: (28, 28, 1).
      seed: seed of the channel's noise stream.
      scale_bias_init: initial bias of the encoder's scale outputs (echo: S's logits,
        Gaussian: log σ). Default value: 0.
      rate_warmup_steps: steps over which β_t rises linearly to β (every method; see `VAE`).
      **settings: the settings of the method's parts, each defaulting to its part's
        default (`echo_ib.models.methods.settings(method)` lists them): echo's max_terms,
        clip, f_scale, f_bound, gate, gate_init (`EchoNoise`); the MAF prior's
        flow_layers, flow_hidden_units; the VampPrior's vamp_components; the IAF's
        iaf_steps, iaf_hidden_units, iaf_hidden_layers; the MMD term's mmd_weight λ. A
        setting that no part of the method reads is refused.
    """
    beta = _validation.nonnegative(beta, "beta")
    if isinstance(latent_dim, bool) or int(latent_dim) != latent_dim or latent_dim < 1:
        raise ValueError(f"latent_dim must be an integer >= 1, got {latent_dim!r}.")
    if method not in methods.METHODS:
        raise ValueError(f"method must be one of {tuple(methods.METHODS)}, got {method!r}.")
    spec = methods.METHODS[method]
    known = methods.settings(method)
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise ValueError(f"build_vae: {', '.join(unknown)} not read by method {method!r} "
                         f"(it reads: {', '.join(sorted(known)) or 'no settings'}).")
    settings = {name: settings.get(name, default) for name, (_, default) in known.items()}
    # The registry names the channel, which builds itself from these settings (in float32
    # under any policy: see the module docstring).
    channel = channels.CHANNELS[spec.channel].from_settings(
        settings, spec, int(latent_dim), tuple(input_shape), seed)
    model = VAE(make_encoder(architecture, latent_dim, input_shape,
                             scale_bias_init=scale_bias_init),
                channel,
                make_decoder(architecture, latent_dim, input_shape),
                beta=beta, mmd_weight=settings.get("mmd_weight", 0.0),
                rate_warmup_steps=rate_warmup_steps, name=f"{method}_{architecture}_vae")
    model(tf.zeros((2,) + tuple(input_shape)))  # builds every layer, the flow prior too
    return model


def importance_weighted_nll(model, x, num_samples=100, seed=0, samples_per_pass=None):
    """IWAE bound −log p(x) ≤ −log (1/k) Σ_k p(x|z_k) p(z_k) / q(z_k|x), nats per example.

    Burda, Grosse, Salakhutdinov, ICLR 2016, eq. 8. Needs the density q(z|x) at its draws,
    so it applies to the Gaussian-channel models (every method but echo: with a posterior
    IAF the density of a draw is its base density, the flow preserving volume), not to
    echo noise, whose q(z|x) is a shifted and scaled copy of the marginal of z, which has
    no closed form. For many batches, build the bound once with
    `importance_weighted_nll_fn` (this traces it at every call).

    Args:
      model: a `VAE` whose channel is `GaussianNoise`.
      x: images [batch, ...].
      num_samples: k. Default value: 100.
      seed: int seed.
      samples_per_pass: draws decoded together (batch × this rows at once). Default: all k.

    Returns:
      [batch] float tensor.
    """
    return importance_weighted_nll_fn(model, num_samples, samples_per_pass)(x, seed)


def importance_weighted_nll_fn(model, num_samples=100, samples_per_pass=None):
    """`bound(x, seed) -> [batch]`: `importance_weighted_nll` as one TensorFlow graph.

    The graph encodes x once, asks the channel for its prior term once
    (`prior_log_prob_fn`: a VampPrior encodes its pseudo-inputs then, not at every pass),
    and loops over the passes of `samples_per_pass` draws; pass p draws its noise with the
    stateless seed (seed, p · samples_per_pass). Traced once per batch shape; the model's
    weights are read at each call.
    """
    if not model.channel.has_posterior_density:
        raise ValueError("importance_weighted_nll needs a channel with a density q(z|x) at its "
                         f"draws; {type(model.channel).__name__} has none.")
    num_samples = int(num_samples)
    per_pass = int(samples_per_pass or num_samples)
    if num_samples < 1 or per_pass < 1:
        raise ValueError(f"num_samples and samples_per_pass must be >= 1, got {num_samples} "
                         f"and {per_pass}.")
    num_passes = -(-num_samples // per_pass)

    @tf.function(reduce_retracing=True)
    def compiled(x, seed):
        mean, log_scale = tf.split(tf.cast(model.encoder(x), tf.float32), 2, axis=-1)
        prior_log_prob = model.channel.prior_log_prob_fn()  # at fixed weights: once

        def log_weights(start, k):  # [k, batch]
            noise = tf.random.stateless_normal(tf.concat([[k], tf.shape(mean)], 0),
                                               tf.stack([seed, tf.cast(start, tf.int64)]),
                                               dtype=mean.dtype)
            z, log_q = model.channel.posterior_sample(mean, log_scale, noise)  # [k, batch, D]
            flat_z = tf.reshape(z, [-1, tf.shape(mean)[-1]])
            logits = tf.cast(model.decoder(flat_z), tf.float32)
            targets = tf.reshape(tf.broadcast_to(x, tf.concat([[k], tf.shape(x)], 0)),
                                 tf.shape(logits))
            log_lik = -tf.reduce_sum(tf.reshape(
                tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits),
                [tf.shape(flat_z)[0], -1]), axis=-1)
            return tf.reshape(log_lik + prior_log_prob(flat_z), [k, -1]) - log_q

        passes = tf.TensorArray(tf.float32, size=num_passes, infer_shape=False)
        for p in tf.range(num_passes):  # the last pass holds what is left of k
            start = p * per_pass
            passes = passes.write(p, log_weights(start, tf.minimum(per_pass, num_samples - start)))
        return -tfp.math.reduce_logmeanexp(passes.concat(), axis=0)

    def bound(x, seed):
        return compiled(tf.cast(x, tf.float32), tf.constant(int(seed), tf.int64))

    return bound
