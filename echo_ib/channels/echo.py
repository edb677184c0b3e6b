"""Echo noise: an exact-rate, data-driven noise channel.

Brekelmans, Moyer, Galstyan and Ver Steeg, "Exact Rate-Distortion in Autoencoders
via Echo Noise", NeurIPS 2019 (arXiv:1904.07199).

The channel maps an input `x` to

```none
z = f(x) + S(x) ε,      ε = Σ_{l=0}^{K-1} (Π_{l'<l} S(x^(l'))) f(x^(l))       (paper eq. 4)
```

where the `x^(l)` are drawn without replacement from the *other* members of the batch.
Because `ε` has the same distribution as `z` (in the limit K → ∞), the rate is exact:

```none
I(X; Z) = −E_x log |det S(x)|                                          (paper eq. 7)
```

For a diagonal `S(x) = diag(s_1(x), …, s_D(x))` that is `−E_x Σ_j log s_j(x)` nats.

**On/off dimensions.** Coordinate j of the series uses only coordinate j of f and S, so a
fixed mask m ∈ {0,1}^D gives `z = m ⊙ (f(x) + S(x)ε)`, the echo channel on the active set A
plus constants, with `I(X;Z) = −E Σ_{j∈A} log s_j(x)`: an off dimension costs 0 nats. A
learned hard-concrete gate g ∈ [0, 1]^D (Louizos, Welling and Kingma, ICLR 2018), drawn per
example independently of x and ε, multiplies z during training; `g ⊙ Z` is processing of
`(g, Z)` that never looks at x, so `I(X; g⊙Z) ≤ Σ_j P(g_j ≠ 0) R_j` with
`R_j = −E log s_j(x)`, the training rate. At evaluation the gate is deterministic and the
rate is exact again. Proofs: docs/design.md, "Switching echo dimensions off".

The series is truncated at `K = min(max_terms, B − 1)` terms. With `|f| ≤ M` and
`s_j ≤ clip < 1` the left-over tail is bounded by `M clip^K / (1 − clip)`; by default `clip`
is chosen so that this bound equals `2^-23`, float32's relative precision.
"""

import math

import math

import keras
import numpy as np
import tensorflow as tf

from echo_ib import seeding
from echo_ib.channels import base
from echo_ib.channels.echo_series import echo_noise
from echo_ib.channels.gates import (GATES, hard_concrete_deterministic,
                                    hard_concrete_open_probability, hard_concrete_sample)
from echo_ib.channels.truncation import default_clip, tail_bound

__all__ = ["EchoNoise"]


def _is_number(value):
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))


@keras.saving.register_keras_serializable(package="echo_ib")
class EchoNoise(base.Channel):
    """Echo noise channel with exact rate: `z, rate = EchoNoise()((f_x, s_logits))`.

    ```none
    f(x)     = M tanh(f_x / a)                           |f| ≤ M (a: pre-activation scale)
    log S(x) = log(clip) + log_sigmoid(s_logits)         S(x) ∈ (0, clip)
    z        = f(x) + S(x) ε,  ε = Σ_{l<K} (Π_{l'<l} S(x^(l'))) f(x^(l))
    rate     = −Σ_j log S_j(x)        nats per example, = I(X;Z) in expectation
    ```

    `s_logits` may have the latent's shape (diagonal S(x)) or broadcast to it: shape
    [batch, 1] gives an isotropic S(x) = s(x)·I and shape [] or [1] one shared scalar S.
    The latent may have any rank ([batch, D] or a convolutional [batch, H, W, D]); the rate
    sums over every axis but the batch's, one number per example.

    **Switching dimensions off.** The layer holds a per-dimension on/off `mask` (a
    non-trainable weight over the last axis, all on at first, saved with the model) and, with
    `gate="hard_concrete"`, a learned gate location `gate_log_alpha` per dimension:

    ```none
    no gate:  z = m ⊙ (f + Sε)                    rate = −Σ_j m_j log S_j(x)         (exact)
    gate, training:  z = g ⊙ m ⊙ (f + Sε),  g ~ HardConcrete(log α) per example
                     rate = −Σ_j m_j P(g_j ≠ 0) log S_j(x)       (≥ I(X; Z), module docstring)
    gate, evaluation: z = ĝ ⊙ m ⊙ (f + Sε),  ĝ = hard_concrete_deterministic(log α)
                     rate = −Σ_j 1[m_j ĝ_j > 0] log S_j(x)      (exact: ĝ_j > 0 is invertible)
    ```

    An off dimension's z_j is exactly 0 and pays 0 nats; the active coordinates are the
    ungated channel's (same seed, same numbers) times their gate.

    Args:
      max_terms: K, the maximum number of series terms; each call uses
        `min(max_terms, batch − 1)`. Default value: 100 (the paper's).
      clip: upper bound on S, in (0, 1). Default value: `None`, solved from
        `M clip^K / (1 − clip) = 2^-23` (0.8373 for K = 100, M = 1; the authors hand-set
        0.8359, the root for a 1e-7 tolerance).
      f_bound: M, the bound on |f(x)|. Default value: 1.
      f_scale: a, the pre-activation scale inside the tanh. Default value: 1. The
        reference implementation divides by 16; measured on FashionMNIST (mlp, β = 1,
        latent 32, trained to convergence) f = tanh(f_x) reached a test −ELBO 0.26 nats
        lower than tanh(f_x / 16), and 0.7 nats lower after 30 epochs (BENCHMARKS.md).
      seed: int seed of the layer's noise stream. Default value: `None` (random).
      jit_compile: compile the series with XLA. Default value: True.
      validate_args: check at run time that inputs are finite and the batch holds at
        least two examples. Default value: False.
      gate: 'none' or 'hard_concrete'. Default value: 'none'.
      gate_init: initial log α of the hard-concrete gate. Default value: 0 (P(g ≠ 0) =
        0.83 at the start). Measured on FashionMNIST (latent 32, β = 1): from log α = 3
        (P(g ≠ 0) = 0.99) the rate's pull on a gate, β R_j π(1 − π), vanishes and no gate
        closed in 22 epochs; from 0, 18 of 32 had closed by epoch 18 (BENCHMARKS.md).

    Call args:
      inputs: `(f_x, s_logits)`, float tensors [batch, ..., latent] (s_logits broadcastable).
      training: draws the hard-concrete gate (training) or uses its deterministic value
        (evaluation); the echo noise itself is drawn either way (it is part of the model).
      deterministic: return `z = f(x)` without noise. Default value: False.
      seed: optional stateless seed ([2] int tensor) overriding the layer's stream.

    Returns:
      `(z, rate)`: z shaped like f_x and rate [batch] in nats.

    #### Examples

    ```python
    encoder_out = keras.layers.Dense(2 * latent)(h)
    f_x, s_logits = keras.ops.split(encoder_out, 2, axis=-1)
    z, rate = echo_ib.channels.EchoNoise(seed=0)((f_x, s_logits))
    loss = distortion + beta * keras.ops.mean(rate)
    ```
    """

    # Each example's noise is built from the *other* members of its batch.
    min_batch_size = 2
    input_names = ("f_x", "s_logits")
    samples_need_codes = True
    sample_description = "decoded echo noise from test codes (exact draws of q(z))"
    has_posterior_density = False  # q(z|x) is a shifted, scaled copy of q(z): no closed form
    settings = {"max_terms": ("echo.max_terms", 100), "clip": ("echo.clip", None),
                "f_scale": ("echo.f_scale", 1.0), "f_bound": ("echo.f_bound", 1.0),
                "gate": ("echo.gate", "none"), "gate_init": ("echo.gate_init", 0.0)}

    @classmethod
    def from_settings(cls, settings, method, latent_dim, input_shape, seed):
        """Echo noise from `build_vae`'s max_terms, clip, f_scale, f_bound, gate, gate_init;
        computing in float32 under any precision policy. The training config's gate
        'prune' is no gate of the layer: the trainer prunes dimensions by the measured
        objective (`echo_ib.models.pruning`) and the layer keeps its fixed mask."""
        del method, latent_dim, input_shape
        gate = "none" if settings["gate"] == "prune" else settings["gate"]
        return cls(max_terms=settings["max_terms"], clip=settings["clip"],
                   f_scale=settings["f_scale"], f_bound=settings["f_bound"], seed=seed,
                   gate=gate, gate_init=settings["gate_init"], dtype="float32")

    @property
    def rate_floor(self):
        """−log(clip): the least rate an active dimension pays, nats."""
        return -math.log(self._clip)

    def latent_sample(self, num, seed=0, params=None):
        """`num` exact draws of q(z) built from `params` = (f_x, s_logits) of ≥ num + 1
        images (`marginal_sample`)."""
        if params is None or int(params[0].shape[0]) < num + 1:
            raise ValueError("echo's latent marginal is drawn from data codes: pass the codes "
                             f"of at least num + 1 = {num + 1} images.")
        return self.marginal_sample(params, seed=seed)[:num]

    def __init__(self, max_terms=100, clip=None, f_bound=1.0, f_scale=1.0, seed=None,
                 jit_compile=True, validate_args=False, gate="none", gate_init=0.0, **kwargs):
        super().__init__(**kwargs)
        if gate is None:
            gate = "none"
        if gate not in GATES:
            raise ValueError(f"gate must be one of {GATES}, got {gate!r}.")
        if not (_is_number(gate_init) and np.isfinite(gate_init)):
            raise ValueError(f"gate_init must be a finite number, got {gate_init!r}.")
        self._gate = gate
        self._gate_init = float(gate_init)
        if not _is_number(max_terms) or int(max_terms) != max_terms or max_terms < 1:
            raise ValueError(f"max_terms must be an integer >= 1, got {max_terms!r}.")
        if not (_is_number(f_bound) and np.isfinite(f_bound) and f_bound > 0):
            raise ValueError(f"f_bound must be a finite number > 0, got {f_bound!r}.")
        if not (_is_number(f_scale) and np.isfinite(f_scale) and f_scale > 0):
            raise ValueError(f"f_scale must be a finite number > 0, got {f_scale!r}.")
        self._max_terms = int(max_terms)
        self._f_bound = float(f_bound)
        self._f_scale = float(f_scale)
        self._clip_arg = clip
        if clip is None:
            clip = default_clip(self._max_terms, self._f_bound)
        elif not (_is_number(clip) and 0.0 < clip < 1.0):
            raise ValueError(
                f"clip must be a number in (0, 1) so that S(x) has spectral radius < 1 and the "
                f"echo series converges; got clip={clip!r}.")
        self._clip = float(clip)
        self._seed = seed
        self._jit_compile = bool(jit_compile)
        self._validate_args = bool(validate_args)
        self.seed_generator = keras.random.SeedGenerator(seed)

    @property
    def max_terms(self):
        """K, the maximum number of series terms."""
        return self._max_terms

    @property
    def clip(self):
        """Upper bound on every entry of S(x)."""
        return self._clip

    @property
    def f_bound(self):
        """M, the bound on |f(x)|."""
        return self._f_bound

    @property
    def f_scale(self):
        """Pre-activation scale a in f = M tanh(f_x / a)."""
        return self._f_scale

    @property
    def tail_bound(self):
        """Bound M clip^K / (1 − clip) on the truncated tail for K = max_terms."""
        return tail_bound(self._clip, self._max_terms, self._f_bound)

    @property
    def gate(self):
        """'none' or 'hard_concrete'."""
        return self._gate

    def build(self, input_shape):
        # S(x) and f(x) come from the encoder; the layer's own state is the on/off mask and,
        # with a gate, the gate's locations, one per latent dimension (the last axis).
        self.check_input_shapes(input_shape)
        latent = input_shape[0][-1]
        if latent is None:
            raise ValueError("EchoNoise needs a known latent size (the last axis of f_x).")
        self.mask = self.add_weight(shape=(int(latent),), initializer="ones", trainable=False,
                                    name="mask", dtype="float32")
        if self._gate == "hard_concrete":
            self.gate_log_alpha = self.add_weight(
                shape=(int(latent),), initializer=keras.initializers.Constant(self._gate_init),
                trainable=True, name="gate_log_alpha", dtype="float32")
        self.built = True

    def compute_output_spec(self, inputs, **kwargs):
        f_x = inputs[0]
        return (keras.KerasTensor(f_x.shape, dtype=self.compute_dtype),
                keras.KerasTensor(f_x.shape[:1], dtype=self.compute_dtype))

    def set_mask(self, mask):
        """Switches dimensions on (1) or off (0) for good: a [D] array of 0s and 1s."""
        mask = np.asarray(mask, dtype=np.float32)
        if mask.shape != tuple(self.mask.shape):
            raise ValueError(f"mask must be a [{self.mask.shape[0]}] array of 0s and 1s, got "
                             f"shape {mask.shape}.")
        bad = sorted(set(mask[(mask != 0) & (mask != 1)].tolist()))
        if bad:
            raise ValueError(f"mask must hold only 0s and 1s (off / on), got "
                             f"{', '.join(f'{v:g}' for v in bad)}.")
        self.mask.assign(mask)

    def evaluation_gate(self):
        """ĝ ⊙ m, the multiplier of z at evaluation, [D] float32 (m without a gate)."""
        mask = tf.convert_to_tensor(self.mask)
        if self._gate == "hard_concrete":
            return mask * hard_concrete_deterministic(tf.convert_to_tensor(self.gate_log_alpha))
        return mask

    def active_dimensions(self):
        """Boolean [D] NumPy array: the dimensions that pass (and pay) at evaluation."""
        return self.evaluation_gate().numpy() > 0

    def open_probability(self):
        """P(m_j g_j ≠ 0) during training, [D] float32: the weight of R_j in the training rate."""
        mask = tf.convert_to_tensor(self.mask)
        if self._gate == "hard_concrete":
            return mask * hard_concrete_open_probability(
                tf.convert_to_tensor(self.gate_log_alpha))
        return mask

    def _rate_weight(self, training):
        """w_j, the weight of −log S_j(x) in the rate, [D]: P(m_j g_j ≠ 0) while a gate
        trains (its bound), else 1[m_j ĝ_j > 0] (exact)."""
        if self._gate == "hard_concrete" and training:
            return self.open_probability()
        return tf.cast(self.evaluation_gate() > 0, tf.float32)

    def rate_per_dimension(self, f_x, s_logits, training=False):
        """Each dimension's share of the rate, −w_j log S_j(x), shaped like f_x.

        w_j is the dimension's weight in the rate: at evaluation 1 for an active dimension
        and 0 for an off one (exact); in training P(g_j ≠ 0) (the gate's bound).
        """
        log_s = self.log_scale(s_logits)
        if f_x is not None:
            log_s = tf.broadcast_to(log_s, tf.shape(tf.convert_to_tensor(f_x)))
        return self._rate_terms(log_s, training)

    def _rate_terms(self, log_s, training):
        """−w_j log S_j(x): the one place the rate is computed (`call` sums it)."""
        return -log_s * tf.cast(self._rate_weight(training), log_s.dtype)

    def bounded_mean(self, f_x):
        """f(x) = M tanh(f_x / a)."""
        return self._f_bound * tf.tanh(tf.convert_to_tensor(f_x) / self._f_scale)

    def log_scale(self, s_logits):
        """log S(x) = log(clip) + log_sigmoid(s_logits), computed in log space."""
        return math.log(self._clip) + tf.math.log_sigmoid(tf.convert_to_tensor(s_logits))

    def marginal_sample(self, inputs, seed=0):
        """Draws of echo noise ε for a batch of codes: exact samples of the marginal q(z).

        By construction ε has the law of z = f(x) + S(x)ε under the data (paper §3), so
        these are draws of the latent marginal that the decoder is trained on.

        Args:
          inputs: `(f_x, s_logits)` of B ≥ 2 data examples, as for `call`.
          seed: int or stateless [2] seed.

        Returns:
          ε, [B, latent].
        """
        f_x, s_logits = self.checked_inputs(inputs)
        f = self.bounded_mean(f_x)
        log_s = tf.broadcast_to(self.log_scale(s_logits), tf.shape(f))
        if _is_number(seed):
            seed = tf.constant([seeding.derive(int(seed), "echo marginal"), 0], tf.int32)
        num_terms = tf.minimum(self._max_terms, tf.shape(f)[0] - 1)
        return echo_noise(f, log_s, num_terms, seed, jit_compile=self._jit_compile)

    def call(self, inputs, training=None, deterministic=False, seed=None):
        f_x, s_logits = self.checked_inputs(inputs)
        batch_size = f_x.shape[0]
        if batch_size is not None and batch_size < 2:
            raise ValueError(
                f"EchoNoise needs a batch of at least 2 examples (the noise for each example "
                f"is built from the others); got batch size {batch_size}.")
        if self._validate_args:
            f_x = tf.debugging.assert_all_finite(f_x, "EchoNoise: f_x has NaN or Inf entries.")
            s_logits = tf.debugging.assert_all_finite(
                s_logits, "EchoNoise: s_logits has NaN or Inf entries.")
        if batch_size is None:  # checked when the batch arrives
            with tf.control_dependencies([tf.debugging.assert_greater_equal(
                    tf.shape(f_x)[0], 2,
                    message="EchoNoise needs a batch of at least 2 examples.")]):
                f_x = tf.identity(f_x)

        f = self.bounded_mean(f_x)
        log_s = tf.broadcast_to(self.log_scale(s_logits), tf.shape(f))
        gated = self._gate == "hard_concrete" and bool(training)
        if seed is None and (gated or not deterministic):
            seed = self.seed_generator.next()
        if gated:  # one gate per example and dimension, independent of x and ε
            shape = tf.concat([tf.shape(f)[:1], tf.ones([tf.rank(f) - 2], tf.int32),
                               tf.shape(f)[-1:]], 0)
            uniform = tf.random.stateless_uniform(
                shape, tf.random.experimental.stateless_fold_in(seed, 1),
                minval=1e-6, maxval=1.0 - 1e-6, dtype=f.dtype)
            multiplier = tf.convert_to_tensor(self.mask) * hard_concrete_sample(
                tf.convert_to_tensor(self.gate_log_alpha), uniform)
        else:
            multiplier = self.evaluation_gate()
        multiplier = tf.cast(multiplier, f.dtype)
        rate = tf.reduce_sum(self._rate_terms(log_s, gated), axis=tf.range(1, tf.rank(log_s)))
        if deterministic:
            return multiplier * f, rate

        num_terms = tf.minimum(self._max_terms, tf.shape(f)[0] - 1)
        eps = echo_noise(f, log_s, num_terms, seed, jit_compile=self._jit_compile)
        return multiplier * (f + tf.exp(log_s) * eps), rate

    def get_config(self):
        config = super().get_config()
        config.update({
            "max_terms": self._max_terms,
            "clip": self._clip_arg,
            "f_bound": self._f_bound,
            "f_scale": self._f_scale,
            "seed": self._seed,
            "jit_compile": self._jit_compile,
            "validate_args": self._validate_args,
            "gate": self._gate,
            "gate_init": self._gate_init,
        })
        return config
