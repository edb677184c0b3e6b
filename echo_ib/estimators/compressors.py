"""Compressors for mutual-information estimation through lossy compression.

Butakov, Tolmachev, Malanchuk, Neopryatnaya, Frolov, Andreev, "Information Bottleneck
Analysis of Deep Neural Networks via Lossy Compression", ICLR 2024: a high-dimensional
variable that lies near a low-dimensional manifold is mapped onto it by an autoencoder's
encoder g, and a conventional estimator is applied to the codes. MI is invariant under an
injective smooth g (I(ξ; η) = I(g(ξ); η)); a lossy g gives I(g(X); Y) ≤ I(X; Y).

* `Autoencoder`: a dense Keras autoencoder on centred inputs scaled by their overall
  standard deviation (one scale for all features, so that rarely active features, such as
  an image's border pixels, are not blown up), encoder d → 256 → 128 → latent (LeakyReLU,
  linear code), decoder the mirror, mean squared error, Adam; training can be resumed
  (`fit` again), so one compressor can follow a layer along a training run.
* `PCACompressor`: the linear baseline, the top principal components.
* `IdentityCompressor`: for arguments already low-dimensional.

Each implements the `Compressor` contract: `fit(data, ...)` (returns self),
`encode(data) -> [n, latent]`, `reconstruct(data) -> [n, features]` (in the data's units)
and `reconstruction_error(data)` (mean squared error per standardised feature: 0 for a
perfect reconstruction, 1 for one no better than the mean), all float64.
"""

import itertools

import keras
import numpy as np
import tensorflow as tf

from echo_ib import seeding

__all__ = ["Autoencoder", "Compressor", "IdentityCompressor", "PCACompressor",
           "make_compressor"]

COMPRESSORS = ("autoencoder", "pca")


def _flat(data):
    data = np.asarray(data.numpy() if hasattr(data, "numpy") else data, np.float64)
    if data.ndim < 2 or len(data) == 0:
        raise ValueError(f"data must be [n, ...] with n >= 1, got shape {data.shape}.")
    return data.reshape(len(data), -1)


class Compressor:
    """The contract of a compressor (module docstring); subclasses implement `fit`,
    `encode` and `reconstruct`. `reconstruction_error` standardises each feature by the
    spread of the data the compressor was fitted on (`_fit_spread`)."""

    latent_dim = None
    _spread_mean = _spread_scale = None

    def fit(self, data, **kwargs):
        raise NotImplementedError

    def encode(self, data):
        raise NotImplementedError

    def reconstruct(self, data):
        raise NotImplementedError

    def _fit_spread(self, data):
        self._spread_mean = data.mean(axis=0)
        self._spread_scale = np.maximum(data.std(axis=0), 1e-8)

    def reconstruction_error(self, data):
        """Mean squared error per standardised feature, 0 = perfect, 1 = the mean."""
        if self._spread_mean is None:
            raise ValueError(f"{type(self).__name__}.reconstruction_error before fit.")
        data = _flat(data)
        return float(np.mean(((self.reconstruct(data) - data) / self._spread_scale) ** 2))


class IdentityCompressor(Compressor):
    """No compression (the argument is low-dimensional already): codes and
    reconstructions are the data, the reconstruction error 0."""

    def fit(self, data, **unused):
        del unused
        data = _flat(data)
        self.latent_dim = data.shape[1]
        self._fit_spread(data)
        return self

    def encode(self, data):
        return _flat(data)

    def reconstruct(self, data):
        return _flat(data)


class PCACompressor(Compressor):
    """Projection on the top `latent_dim` principal components (the linear baseline)."""

    def __init__(self, latent_dim):
        self.latent_dim = int(latent_dim)
        self.mean = self.components = None

    def fit(self, data, **unused):
        del unused
        data = _flat(data)
        if self.latent_dim > min(data.shape):
            raise ValueError(f"latent_dim {self.latent_dim} exceeds the data's rank bound "
                             f"min(n, d) = {min(data.shape)}.")
        self.mean = data.mean(axis=0)
        _, _, vt = np.linalg.svd(data - self.mean, full_matrices=False)
        self.components = vt[:self.latent_dim]
        self._fit_spread(data)
        return self

    def encode(self, data):
        if self.components is None:
            raise ValueError("PCACompressor.encode before fit.")
        return (_flat(data) - self.mean) @ self.components.T

    def reconstruct(self, data):
        """The projection on the principal subspace, in the data's units."""
        return self.encode(data) @ self.components + self.mean


class Autoencoder(Compressor):
    """Dense autoencoder compressor (module docstring).

    Args:
      latent_dim: code size.
      hidden: widths of the encoder's hidden layers (mirrored in the decoder).
        Default value: (256, 128).
      seed: weight initialisation and shuffling seed.
    """

    def __init__(self, latent_dim, hidden=(256, 128), seed=0):
        self.latent_dim = int(latent_dim)
        self.hidden = tuple(int(h) for h in hidden)
        self.seed = int(seed)
        self.encoder = self.model = None
        self.mean = self.scale = None
        self.history = []

    def _build(self, dim):
        seeds = (seeding.derive(self.seed, "dense layer", k) for k in itertools.count())

        def dense(units, activation=None):
            return keras.layers.Dense(units, activation=activation,
                                      kernel_initializer=keras.initializers.GlorotUniform(
                                          seed=next(seeds)))

        leaky = keras.layers.LeakyReLU(0.2)
        self.encoder = keras.Sequential(
            [keras.Input((dim,))] + [dense(h, leaky) for h in self.hidden]
            + [dense(self.latent_dim)], name="encoder")
        decoder = keras.Sequential(
            [keras.Input((self.latent_dim,))] + [dense(h, leaky) for h in self.hidden[::-1]]
            + [dense(dim)], name="decoder")
        self.model = keras.Sequential([self.encoder, decoder], name="autoencoder")
        self.model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")

    def fit(self, data, epochs=300, batch_size=128, patience=20, verbose=0):
        """Trains (or keeps training, from the current weights) on `data`, centred and
        scaled by its own statistics; stops when the loss on a 10 % held-out part has not
        improved for `patience` epochs, keeping the best weights. Returns self."""
        data = _flat(data)
        if self.model is None:
            self._build(data.shape[1])
        # Re-centred and re-scaled at every fit: a layer followed along a training run
        # drifts (its activations grew 10–100× over 30 epochs of the MNIST conv net), and
        # weights fitted to the old scale are a better start than fresh ones.
        self.mean = data.mean(axis=0)
        self.scale = max(float(np.sqrt(np.mean((data - self.mean) ** 2))), 1e-12)
        standard = ((data - self.mean) / self.scale).astype(np.float32)
        rng = np.random.default_rng(seeding.derive(self.seed, "held-out part", len(self.history)))
        order = rng.permutation(len(standard))
        held = max(1, len(standard) // 10)
        valid, train = standard[order[:held]], standard[order[held:]]
        stop = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
        batches = (tf.data.Dataset.from_tensor_slices((train, train))
                   .shuffle(len(train), seed=self.seed, reshuffle_each_iteration=True)
                   .batch(batch_size))
        history = self.model.fit(batches, validation_data=(valid, valid), epochs=epochs,
                                 verbose=verbose, callbacks=[stop], shuffle=False)
        self.history.append(history.history)
        return self

    def encode(self, data):
        if self.model is None:
            raise ValueError("Autoencoder.encode before fit.")
        standard = ((_flat(data) - self.mean) / self.scale).astype(np.float32)
        return np.asarray(self.encoder.predict(standard, batch_size=1024, verbose=0), np.float64)

    def reconstruct(self, data):
        """The decoder's output for `data`, in the data's units, [n, features] float64."""
        if self.model is None:
            raise ValueError("Autoencoder.reconstruct before fit.")
        standard = ((_flat(data) - self.mean) / self.scale).astype(np.float32)
        out = np.asarray(self.model.predict(standard, batch_size=1024, verbose=0), np.float64)
        return out * self.scale + self.mean

    def reconstruction_error(self, data):
        """Mean squared error per scaled feature (1.0: no better than the mean image)."""
        standard = ((_flat(data) - self.mean) / self.scale).astype(np.float32)
        return float(self.model.evaluate(standard, standard, batch_size=1024, verbose=0))


def make_compressor(kind, latent_dim, seed=0):
    """'autoencoder' or 'pca' with `latent_dim` codes."""
    if kind == "autoencoder":
        return Autoencoder(latent_dim, seed=seed)
    if kind == "pca":
        return PCACompressor(latent_dim)
    raise ValueError(f"compressor must be one of {COMPRESSORS}, got {kind!r}.")
