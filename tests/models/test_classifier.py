"""Tests of the noisy MLP and the echo / VIB bottleneck classifiers."""

import keras
import numpy as np
import pytest

from echo_ib.models import classifier


def test_noise_stays_on_when_measuring_and_off_at_sigma_zero():
    x = np.random.default_rng(0).normal(size=(8, 12)).astype(np.float32)
    noisy = classifier.twelve_bit_network(sigma=0.1, seed=1)
    assert noisy.widths == [10, 7, 5, 4, 3]
    assert not np.allclose(noisy(x).numpy(), noisy(x).numpy())
    plain = classifier.NoisyMLP([4], sigma=0.0)
    np.testing.assert_array_equal(plain(x).numpy(), plain(x).numpy())


def test_noise_has_the_stated_scale():
    model = classifier.NoisyMLP([50], sigma=0.3, seed=0)
    x = np.zeros((4000, 3), np.float32)
    t = model.activations(x, noise=True)[0].numpy()
    mean = model.activations(x, noise=False)[0].numpy()
    residual = (t - mean).ravel()
    assert abs(residual.std() - 0.3) < 4 * 0.3 / np.sqrt(2 * residual.size)


def test_layer_means_follow_the_noisy_chain():
    model = classifier.NoisyMLP([6, 5, 4], sigma=0.2, num_classes=3, seed=0)
    x = np.random.default_rng(1).normal(size=(10, 7)).astype(np.float32)
    first = model.layer_means(x, 0, seed=3)
    np.testing.assert_allclose(first, model.hidden[0](x).numpy(), rtol=1e-6)
    np.testing.assert_array_equal(model.layer_means(x, 2, seed=3), model.layer_means(x, 2, seed=3))
    assert not np.allclose(model.layer_means(x, 2, seed=3), model.layer_means(x, 2, seed=4))
    with pytest.raises(ValueError, match="layer"):
        model.layer_means(x, 3)


@pytest.mark.parametrize("method", ["echo", "vib"])
def test_bottleneck_classifier_trains_and_reports(method):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 10)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = classifier.build_bottleneck_classifier(method, (10,), 2, latent_dim=4, beta=1e-2,
                                                   hidden=(32,))
    model.compile(optimizer="adam")
    history = model.fit(x, y, batch_size=50, epochs=3, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    assert set(logs) == {"loss", "cross_entropy", "rate", "accuracy"}
    assert logs["loss"] == pytest.approx(logs["cross_entropy"] + 1e-2 * logs["rate"], rel=1e-4)
    assert logs["rate"] > 0


def test_bad_arguments():
    with pytest.raises(ValueError, match="sigma"):
        classifier.NoisyMLP([3], sigma=-0.1)
    with pytest.raises(ValueError, match="beta"):
        classifier.build_bottleneck_classifier("echo", (4,), 2, beta=-1.0, hidden=(4,))
    with pytest.raises(ValueError, match="method"):
        classifier.build_bottleneck_classifier("dropout", (4,), 2, hidden=(4,))


def test_noisy_mlp_keras_file_round_trip(tmp_path):
    model = classifier.twelve_bit_network(sigma=0.05, seed=3)
    x = np.random.default_rng(0).integers(0, 2, size=(6, 12)).astype(np.float32)
    model(x)
    model.save(tmp_path / "net.keras")
    reloaded = keras.saving.load_model(tmp_path / "net.keras")
    assert (reloaded.widths, reloaded.sigma, reloaded.num_classes) == ([10, 7, 5, 4, 3], 0.05, 2)
    for a, b in zip(model.activations(x, noise=False), reloaded.activations(x, noise=False)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_noisy_conv_net_layers_and_noise():
    model = classifier.NoisyConvNet(sigma=0.5, seed=0)
    x = np.random.default_rng(0).random((6, 28, 28, 1)).astype(np.float32)
    assert model(x).shape == (6, 10)
    means = [model.layer_means(x, layer, seed=1) for layer in range(4)]
    assert [m.shape[1] for m in means] == [14 * 14 * 8, 7 * 7 * 16, 4 * 4 * 32, 32]
    # T_1 = f(x) + σ Z: the first layer's means are deterministic, its activations are not.
    np.testing.assert_array_equal(means[0], model.layer_means(x, 0, seed=2))
    noisy = model.activations(x, noise=True, seed=3)[0].numpy().reshape(6, -1)
    assert 0.4 < np.std(noisy - means[0]) < 0.6


@pytest.mark.parametrize("method", ["echo", "vib"])
def test_mixed_float16_step_is_the_float32_step(method):
    """Under mixed_float16 the loss is scaled before the gradient (the LossScaleOptimizer
    unscales): one SGD step moves the weights as the float32 step does, to float16
    precision. Without the scaling the step would be 2^15 times too small.

    The initial weights are seeded: drawn from whatever state earlier tests left, they
    decide how far float16 moves the step, and some draws move it far more than others
    (echo, over initial-weight seeds 0–11: the largest error at most 0.1% of the largest
    step for eleven, 2.1% for one; 9.5% once in a suite run)."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 10)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    steps = {}
    policy = keras.mixed_precision.global_policy()
    try:
        for name in ("float32", "mixed_float16"):
            keras.mixed_precision.set_global_policy(name)
            model = classifier.build_bottleneck_classifier(method, (10,), 2, latent_dim=4,
                                                           beta=1e-2, hidden=(32,), seed=0)
            if name == "float32":
                initial = model.get_weights()
            else:
                model.set_weights(initial)
            model.compile(optimizer=keras.optimizers.SGD(0.5), jit_compile=False)
            model.train_on_batch(x, y)
            steps[name] = [w - w0 for w, w0 in zip(model.get_weights(), initial)]
    finally:
        keras.mixed_precision.set_global_policy(policy)
    scale = max(np.max(np.abs(s)) for s in steps["float32"])
    assert scale > 1e-3
    error = max(np.max(np.abs(a - b)) for a, b in zip(steps["float32"], steps["mixed_float16"]))
    assert error < 0.05 * scale, (error, scale)


def test_orthonormal_kernels_stay_orthonormal_and_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.choice([-1.0, 1.0], size=(64, 12)).astype(np.float32)
    y = (x.sum(axis=1) > 0).astype(np.int64)
    model = classifier.twelve_bit_network(sigma=0.1, seed=0, orthonormal=True)
    model.compile(optimizer=keras.optimizers.Adam(0.05),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=3, verbose=0)
    for layer in model.hidden:  # WᵀW = I to float32 rounding after every update
        w = layer.kernel.numpy().astype(np.float64)
        np.testing.assert_allclose(w.T @ w, np.eye(w.shape[1]), atol=1e-5)
    model.save(tmp_path / "ortho.keras")
    loaded = keras.saving.load_model(tmp_path / "ortho.keras")
    assert loaded.orthonormal
    assert isinstance(loaded.hidden[0].kernel_constraint, classifier.Orthonormal)


@pytest.mark.parametrize("method", ["echo", "vib"])
def test_a_bottleneck_classifier_saves_and_reloads(method, tmp_path):
    """get_config carries the encoder, channel, head and β: the reloaded model gives the
    same logits and rate under the same channel noise (deterministic evaluation)."""
    import keras
    from echo_ib.models import classifier
    model = classifier.build_bottleneck_classifier(method, (6,), num_classes=3, latent_dim=2,
                                                   beta=0.01, hidden=(8,))
    x = np.random.default_rng(0).normal(size=(10, 6)).astype(np.float32)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    model.fit(x, np.arange(10) % 3, batch_size=5, epochs=1, verbose=0)
    model.save(tmp_path / "c.keras")
    reloaded = keras.saving.load_model(tmp_path / "c.keras")
    assert reloaded.beta == 0.01
    for original, loaded in zip(model.get_weights(), reloaded.get_weights()):
        np.testing.assert_array_equal(original, loaded)
    a, b = model.encoder(x), reloaded.encoder(x)
    np.testing.assert_array_equal(model.head(a[:, :2]).numpy(), reloaded.head(b[:, :2]).numpy())
