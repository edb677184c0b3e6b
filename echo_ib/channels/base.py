"""The contract every noise channel implements, as tensorflow_compression's entropy models
share one: what a model, the trainer, evaluation and the records ask of a channel, so
that none of them branches on which channel it holds.

```none
z, rate = channel((a, b), training=..., seed=...)     # rate: [batch] nats, summed over
                                                       # every axis but the batch's
```

A channel is a Keras layer taking the encoder's two halves `(a, b)` (echo: f(x) and S's
logits; Gaussian: mean and log σ) and answering:

* `rate_per_dimension(a, b)`: each dimension's share of the rate, [batch, D], or
  ValueError where the rate does not split (a learned prior couples the dimensions);
* `latent_sample(num, seed, params)`: exact draws of the latent the decoder is trained
  on; `samples_need_codes` says whether `params` (the codes of ≥ num + 1 images) are
  needed (echo: its marginal is built from data codes) and `sample_description` what the
  draws are;
* `has_posterior_density`: whether log q(z|x) is known at a draw (where an IWAE bound
  applies);
* `active_dimensions()`: the dimensions that pass at evaluation, a [D] bool array, or
  None for a channel that cannot switch dimensions off; `rate_floor`: the least rate an
  active dimension pays (echo: −log clip), or None;
* `min_batch_size`: the smallest batch it takes (echo: 2);
* `input_names`: what `(a, b)` are, in the messages of `checked_inputs` and
  `check_input_shapes`, which every channel's `build` and `call` use, so that every
  channel refuses the same mistakes with the same words (one tensor instead of two, a
  rank-1 `a`, a `b` that does not broadcast to `a`);
* `settings`: the `build_vae` keywords it reads, each with the training config field that
  holds it and its default, `{keyword: (config field, default)}` (echo: max_terms from
  `echo.max_terms`, …); nothing else lists a channel's settings;
* `from_settings(settings, method, latent_dim, input_shape, seed)`: the channel a VAE
  method builds from those settings' values (`build_vae` calls it).

`CHANNELS` (in `echo_ib.channels`) maps names to classes; a new channel is one module with
a subclass and one registry line.
"""

import keras
import tensorflow as tf

__all__ = ["Channel"]


class Channel(keras.layers.Layer):
    """Base of the noise channels (module docstring)."""

    min_batch_size = 1
    input_names = ("a", "b")
    settings = {}  # {build_vae keyword: (training config field, default)}
    samples_need_codes = False
    sample_description = "decoded draws of the latent"
    has_posterior_density = False

    @property
    def rate_floor(self):
        return None

    def active_dimensions(self):
        return None

    def rate_per_dimension(self, a, b, training=False):
        raise ValueError(f"{type(self).__name__}: the rate does not split over dimensions.")

    def latent_sample(self, num, seed=0, params=None):
        raise NotImplementedError

    @classmethod
    def from_settings(cls, settings, method, latent_dim, input_shape, seed):
        """The channel a VAE method asks for: `settings` holds every `build_vae` keyword
        (echo's max_terms, the flows' sizes, …), `method` the registry entry
        (`echo_ib.models.methods.Method`). Default: the class with its defaults."""
        del settings, method, latent_dim, input_shape
        return cls(seed=seed, dtype="float32")

    def _pair_error(self, got):
        a, b = self.input_names
        return ValueError(f"{type(self).__name__} takes inputs=({a}, {b}), two tensors; got "
                          f"{got}. Split the encoder's output: {a}, {b} = "
                          "keras.ops.split(params, 2, axis=-1).")

    def check_input_shapes(self, input_shape):
        """Refuses, at build, anything but a pair of shapes."""
        if (not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2
                or not isinstance(input_shape[0], (tuple, list))):
            raise self._pair_error(f"one input of shape {tuple(input_shape)}")

    def checked_inputs(self, inputs):
        """`(a, b)` cast to the compute dtype, their structure and shapes checked: two
        tensors, `a` of rank ≥ 2 ([batch, ..., latent]), `b` broadcastable to `a` (the same
        shape, [batch, 1] or a scalar)."""
        if not isinstance(inputs, (tuple, list)) or len(inputs) != 2:
            raise self._pair_error(type(inputs).__name__)
        name_a, name_b = self.input_names
        a = tf.cast(inputs[0], self.compute_dtype)
        b = tf.cast(inputs[1], self.compute_dtype)
        if a.shape.rank is not None and a.shape.rank < 2:
            raise ValueError(
                f"{type(self).__name__}: {name_a} must be [batch, latent] (rank >= 2), got "
                f"shape {a.shape}; a 1-D input would make the batch the latent axis and sum "
                "the rate over it.")
        if a.shape.rank is not None and b.shape.rank is not None:
            broadcastable = b.shape.rank <= a.shape.rank and all(
                y in (1, None) or y == x
                for x, y in zip(a.shape[::-1], b.shape[::-1]))
            if not broadcastable:
                raise ValueError(
                    f"{type(self).__name__}: {name_b} of shape {b.shape} does not broadcast to "
                    f"{name_a}'s shape {a.shape}; expected the same shape, [batch, 1] or [] / "
                    "[1] (one shared value).")
        return a, b
