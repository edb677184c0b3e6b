"""Supervised information-bottleneck classifiers.

* `NoisyMLP` (Goldfeld et al., ICML 2019, §2): every hidden layer adds isotropic Gaussian
  noise, T_ℓ = f_ℓ(T_{ℓ−1}) + Z_ℓ, Z_ℓ ~ N(0, σ² I), at training *and* when measured, so
  I(X; T_ℓ) is finite and meaningful. `twelve_bit_network` is Shwartz-Ziv & Tishby's
  12-10-7-5-4-3-2 tanh net. `NoisyConvNet` is the same construction on an MNIST conv net.
* `BottleneckClassifier` with an echo channel (loss = CE + β·exact rate) or a Gaussian one,
  the Variational Information Bottleneck (Alemi, Fischer, Dillon, Murphy, ICLR 2017, eq. 5:
  loss = CE + β·KL(q(z|x) ‖ N(0, I))).
"""

import keras
import tensorflow as tf

from echo_ib import channels, seeding
from echo_ib.models import _validation

__all__ = ["BottleneckClassifier", "NoisyConvNet", "NoisyMLP", "build_bottleneck_classifier",
           "twelve_bit_network"]


class _NoisyNetwork(keras.Model):
    """Hidden layers with additive Gaussian noise after each, then a linear head.

    ```none
    T_0 = x;   T_ℓ = f_ℓ(T_{ℓ−1}) + σ Z_ℓ,  Z_ℓ ~ N(0, I)  (ℓ = 1..L);   logits = head(T_L)
    ```

    `call` returns logits; `layer_means(x, layer, seed)` returns f_ℓ(T_{ℓ−1}) with the
    noise of the earlier layers drawn afresh (what the estimators need), flattened to
    [n, d]; `activations(x, noise=False)` every hidden layer's output.
    """

    def __init__(self, sigma, seed, **kwargs):
        super().__init__(**kwargs)
        self.sigma = _validation.nonnegative(sigma, "sigma")
        self._seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def _noise(self, t, seed):
        if self.sigma == 0:
            return t
        if seed is None:
            seed = self.seed_generator.next()
        return t + self.sigma * tf.random.stateless_normal(tf.shape(t), seed, dtype=t.dtype)

    def activations(self, x, noise=True, seed=None, num_layers=None):
        """[T_1, …, T_L] (the first `num_layers`), each [batch, ...]; noiseless means
        when noise=False; with `seed` (an int), layer k's noise uses the stateless seed
        [seeding.derive(seed, 'layer noise', k), 0]."""
        t = tf.convert_to_tensor(x, self.compute_dtype)
        outputs = []
        for k, layer in enumerate(self.hidden[:num_layers]):
            t = layer(t)
            if noise:
                t = self._noise(t, None if seed is None else tf.constant(
                    [seeding.derive(int(seed), "layer noise", k), 0]))
            outputs.append(t)
        return outputs

    def layer_means(self, x, layer, seed=0):
        """f_ℓ(T_{ℓ−1}) for ℓ = `layer` (0-based), earlier layers noisy with `seed`; NumPy
        [n, d] (convolutional maps flattened)."""
        if not 0 <= layer < len(self.hidden):
            raise ValueError(f"layer must be in [0, {len(self.hidden)}), got {layer}.")
        inputs = self.activations(x, noise=True, seed=seed, num_layers=layer)
        previous = inputs[-1] if inputs else tf.convert_to_tensor(x, self.compute_dtype)
        means = self.hidden[layer](previous).numpy()
        return means.reshape(len(means), -1)

    def call(self, x, training=False):
        return self.head(self.activations(x, noise=True)[-1])


@keras.saving.register_keras_serializable(package="echo_ib")
class Orthonormal(keras.constraints.Constraint):
    """Projects a kernel W [in, out] onto the nearest matrix with orthonormal columns (rows
    when out > in): W ← U Vᵀ for W = U S Vᵀ, the polar factor (Higham 1986), after every
    update. With orthonormal weights a layer cannot scale its input up, so tanh units do
    not saturate and representations do not cluster (the Parseval networks of Cisse et al.,
    ICML 2017, keep W near this set by a retraction; this is the exact projection)."""

    def __call__(self, w):
        s, u, v = tf.linalg.svd(w, full_matrices=False)
        del s
        return tf.matmul(u, v, transpose_b=True)

    def get_config(self):
        return {}


@keras.saving.register_keras_serializable(package="echo_ib")
class NoisyMLP(_NoisyNetwork):
    """MLP classifier with additive Gaussian noise on every hidden layer.

    ```none
    T_0 = x;   T_ℓ = act(W_ℓ T_{ℓ−1} + b_ℓ) + σ Z_ℓ  (ℓ = 1..L);   logits = W T_L + b
    ```

    Args:
      widths: hidden widths, e.g. (10, 7, 5, 4, 3).
      activation: hidden activation. Default value: 'tanh'.
      sigma: noise standard deviation σ ≥ 0 (0: a deterministic net). Default value: 0.1.
      num_classes: output classes. Default value: 2.
      seed: seed of the noise stream.
      orthonormal: keep every hidden kernel orthonormal (`Orthonormal`, orthogonal
        initialisation). Default value: False.

    See `_NoisyNetwork` for `call`, `layer_means` and `activations`.
    """

    def __init__(self, widths, activation="tanh", sigma=0.1, num_classes=2, seed=None,
                 orthonormal=False, **kwargs):
        super().__init__(sigma, seed, **kwargs)
        if not widths or any(int(w) < 1 for w in widths):
            raise ValueError(f"widths must be a non-empty list of positive ints, got {widths!r}.")
        self.widths = [int(w) for w in widths]
        self.num_classes = int(num_classes)
        self.activation = activation
        self.orthonormal = bool(orthonormal)
        extra = ({"kernel_constraint": Orthonormal(), "kernel_initializer": "orthogonal"}
                 if self.orthonormal else {})
        self.hidden = [keras.layers.Dense(w, activation=activation, name=f"hidden_{k}", **extra)
                       for k, w in enumerate(self.widths)]
        self.head = keras.layers.Dense(self.num_classes, name="logits")

    def get_config(self):
        config = super().get_config()
        config.update({"widths": self.widths, "num_classes": self.num_classes,
                       "activation": self.activation, "sigma": self.sigma, "seed": self._seed,
                       "orthonormal": self.orthonormal})
        return config


@keras.saving.register_keras_serializable(package="echo_ib")
class NoisyConvNet(_NoisyNetwork):
    """A small MNIST conv classifier with Gaussian noise after every hidden layer.

    The classifier of the information-bottleneck analyses of close-to-real networks
    (Butakov et al., ICLR 2024): Conv2D 8, 16, 32 with 3 × 3 kernels, stride 2, 'same'
    padding and LeakyReLU(0.01) (28² → 14² → 7² → 4²), then Dense 32 (LeakyReLU) and a
    Dense 10 head; T_1 … T_4 are the four hidden layers, each plus σ Z.

    Args:
      sigma: noise standard deviation σ ≥ 0. Default value: 0.1.
      num_classes: classes. Default value: 10.
      seed: seed of the noise stream.
    """

    def __init__(self, sigma=0.1, num_classes=10, seed=None, **kwargs):
        super().__init__(sigma, seed, **kwargs)
        self.num_classes = int(num_classes)

        def leaky():
            return keras.layers.LeakyReLU(negative_slope=0.01)

        self.hidden = [keras.layers.Conv2D(f, 3, 2, padding="same", activation=leaky(),
                                           name=f"conv_{k}")
                       for k, f in enumerate((8, 16, 32))]
        self.hidden.append(keras.Sequential([keras.layers.Flatten(),
                                             keras.layers.Dense(32, activation=leaky())],
                                            name="dense_0"))
        self.head = keras.layers.Dense(self.num_classes, name="logits")

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes, "sigma": self.sigma,
                       "seed": self._seed})
        return config


def twelve_bit_network(sigma=0.1, seed=None, orthonormal=False):
    """Shwartz-Ziv & Tishby's 12-10-7-5-4-3-2 tanh network, with Goldfeld's noise."""
    return NoisyMLP((10, 7, 5, 4, 3), activation="tanh", sigma=sigma, num_classes=2, seed=seed,
                    orthonormal=orthonormal, name="twelve_bit_noisy_mlp")


@keras.saving.register_keras_serializable(package="echo_ib")
class BottleneckClassifier(keras.Model):
    """encoder → channel → head, trained on cross-entropy + β·rate (nats).

    Metrics: `loss`, `cross_entropy`, `rate`, `accuracy`.
    """

    def __init__(self, encoder, channel, head, beta=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.channel, self.head = encoder, channel, head
        self.beta = _validation.nonnegative(beta, "beta")
        self.trackers = {n: keras.metrics.Mean(name=n) for n in ("loss", "cross_entropy", "rate")}
        self.accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")

    @property
    def metrics(self):
        return [*self.trackers.values(), self.accuracy]

    def call(self, x, training=False):
        a, b = tf.split(self.encoder(x, training=training), 2, axis=-1)
        z, rate = self.channel((a, b), training=training)
        return self.head(z, training=training), rate

    def _step(self, data, training):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        logits, rate = self(x, training=training)
        logits, rate = tf.cast(logits, tf.float32), tf.cast(rate, tf.float32)
        ce = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(y, tf.int32), logits=logits))
        loss = ce + self.beta * tf.reduce_mean(rate)
        return loss, ce, rate, logits, y

    def _update(self, loss, ce, rate, logits, y):
        for name, value in (("loss", loss), ("cross_entropy", ce), ("rate", rate)):
            self.trackers[name].update_state(value)
        self.accuracy.update_state(y, logits)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        with tf.GradientTape() as tape:
            outputs = self._step(data, training=True)
            replica_loss = outputs[0] / tf.distribute.get_strategy().num_replicas_in_sync
            # Dynamic loss scaling under mixed_float16 (identity otherwise): the
            # LossScaleOptimizer that `compile` wraps around the optimizer unscales.
            replica_loss = self.optimizer.scale_loss(replica_loss)
        grads = tape.gradient(replica_loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        return self._update(*outputs)

    def test_step(self, data):
        return self._update(*self._step(data, training=False))

    def get_config(self):
        config = super().get_config()
        config.update(_validation.serialize_parts(self, ("encoder", "channel", "head")))
        config["beta"] = self.beta
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**_validation.deserialize_parts(config, ("encoder", "channel", "head")))


# A bottleneck classifier's method names its channel (`echo_ib.channels.CHANNELS`): echo
# noise, or the Gaussian of the variational information bottleneck (Alemi et al. 2017).
CLASSIFIER_CHANNELS = {"echo": "echo", "vib": "gaussian"}


def build_bottleneck_classifier(method, input_shape, num_classes, latent_dim=32, beta=1e-3,
                                hidden=(1024, 1024), seed=0, **channel_kwargs):
    """An echo-bottleneck ('echo') or VIB ('vib') classifier with an MLP encoder.

    Alemi et al. used a 1024-1024 ReLU encoder, a 256-d bottleneck and a softmax head.
    The channel computes in float32 under any precision policy (as in `build_vae`).
    """
    channel_kwargs.setdefault("dtype", "float32")
    layers = [keras.Input(input_shape), keras.layers.Flatten()]
    layers += [keras.layers.Dense(w, activation="relu") for w in hidden]
    layers.append(keras.layers.Dense(2 * latent_dim))
    encoder = keras.Sequential(layers, name="encoder")
    if method not in CLASSIFIER_CHANNELS:
        raise ValueError(f"method must be one of {sorted(CLASSIFIER_CHANNELS)}, got {method!r}.")
    channel = channels.CHANNELS[CLASSIFIER_CHANNELS[method]](seed=seed, **channel_kwargs)
    head = keras.Sequential([keras.Input((latent_dim,)), keras.layers.Dense(num_classes)],
                            name="head")
    model = BottleneckClassifier(encoder, channel, head, beta=beta, name=f"{method}_classifier")
    model(tf.zeros((2,) + tuple(input_shape)))
    return model
