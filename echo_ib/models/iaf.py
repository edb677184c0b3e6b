"""An inverse autoregressive flow on the Gaussian posterior (Kingma, Salimans, Jozefowicz,
Chen, Sutskever, Welling, "Improved Variational Inference with Inverse Autoregressive
Flow", NeurIPS 2016), in the mean-only form of the echo authors' `iaf` configs.

```none
z_0 = μ(x) + σ(x) ⊙ ε,   ε ~ N(0, I)
z_t = z_{t−1} + m_t(z_{t−1}; c),    t = 1..T     (m_t autoregressive: m_{t,i} sees z_{t−1,<i})
log q(z_T | x) = log N(z_0; μ(x), σ(x)²) − Σ_t log|det ∂z_t/∂z_{t−1}| = log N(z_0; μ, σ²)
```

Each step's Jacobian is unit lower-triangular (a shift that depends only on earlier
coordinates), so the flow preserves volume and the density of the drawn z_T is the base
density at z_0: exact, which the rate's Monte Carlo estimate and the IWAE bound need. Each
m_t is a MADE (`made.autoregressive_masks`, ReLU hidden layers) whose hidden units also
see the context c = (μ(x), log σ(x)), so the flow is conditional on x; the dimensions are
reversed between steps. The output layer starts at zero: an untrained flow is the
identity and the posterior the diagonal Gaussian.
"""

import keras
import numpy as np
import tensorflow as tf

from echo_ib.models import made

__all__ = ["InverseAutoregressiveFlow"]


@keras.saving.register_keras_serializable(package="echo_ib")
class InverseAutoregressiveFlow(keras.layers.Layer):
    """z_0 -> z_T through T mean-only IAF steps conditioned on a context; volume-preserving.

    Args:
      num_steps: T. Default value: 4.
      hidden_units: width of each MADE hidden layer. Default value: 640.
      hidden_layers: hidden layers per MADE. Default value: 3 (the authors' [640, 640, 640]).

    Call args:
      z0: [batch, D]; context: [batch, C].

    Returns:
      z_T, [batch, D] (log q(z_T|x) = log q_0(z_0|x): the log-determinant is 0).
    """

    def __init__(self, num_steps=4, hidden_units=640, hidden_layers=3, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("num_steps", num_steps), ("hidden_units", hidden_units),
                            ("hidden_layers", hidden_layers)):
            if isinstance(value, bool) or int(value) != value or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}.")
        self.num_steps = int(num_steps)
        self.hidden_units = int(hidden_units)
        self.hidden_layers = int(hidden_layers)

    def build(self, input_shape):
        dim, context = int(input_shape[0][-1]), int(input_shape[1][-1])
        widths = [self.hidden_units] * self.hidden_layers
        self._masks = made.autoregressive_masks(dim, widths)  # NumPy: build may be in a graph
        self.steps = []
        for t in range(self.num_steps):
            sizes = [dim] + widths + [dim]
            kernels = [self.add_weight(shape=(a, b), name=f"step{t}_kernel{k}",
                                       initializer="zeros" if k == len(widths) else
                                       keras.initializers.GlorotUniform(seed=t * 10 + k))
                       for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]
            biases = [self.add_weight(shape=(b,), name=f"step{t}_bias{k}", initializer="zeros")
                      for k, b in enumerate(sizes[1:])]
            context_kernel = self.add_weight(
                shape=(context, widths[0]), name=f"step{t}_context",
                initializer=keras.initializers.GlorotUniform(seed=t * 10 + 9))
            self.steps.append((kernels, biases, context_kernel))
        self._reverse = np.arange(dim)[::-1].copy()

    def shift(self, step, z, context):
        """m_t(z; c), [batch, D]: output i depends on z_{<i} (and c) only."""
        kernels, biases, context_kernel = self.steps[step]
        h = z
        for k, (kernel, bias) in enumerate(zip(kernels, biases)):
            h = tf.matmul(h, kernel * self._masks[k]) + bias
            if k == 0:
                h += tf.matmul(context, context_kernel)
            if k < len(kernels) - 1:
                h = tf.nn.relu(h)
        return h

    def call(self, inputs):
        z, context = inputs
        z = tf.convert_to_tensor(z)
        context = tf.cast(context, z.dtype)
        for t in range(self.num_steps):
            if t:
                z = tf.gather(z, self._reverse, axis=-1)
            z = z + self.shift(t, z, context)
        if (self.num_steps - 1) % 2:  # undo the reversals: z_T in the order of z_0
            z = tf.gather(z, self._reverse, axis=-1)
        return z

    def compute_output_spec(self, inputs):
        return keras.KerasTensor(inputs[0].shape, dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"num_steps": self.num_steps, "hidden_units": self.hidden_units,
                       "hidden_layers": self.hidden_layers})
        return config
