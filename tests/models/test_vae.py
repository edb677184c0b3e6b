"""Tests of the VAE: shapes, ELBO bookkeeping, the IWAE bound, serialization, errors."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from echo_ib.models import methods, vae
from tests.helpers import settings_it_reads


def _binary_images(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n, 28, 28, 1)) < 0.3).astype(np.float32)


@pytest.mark.parametrize("method", vae.METHODS)
def test_train_step_metrics_add_up(method):
    model = vae.build_vae(method, "mlp", latent_dim=3, beta=0.5,
                          **settings_it_reads(method, vamp_components=10, iaf_hidden_units=16))
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    logs = model.train_on_batch(_binary_images(20), return_dict=True)
    assert set(logs) == {"loss", "rate", "distortion", "elbo"}
    assert logs["elbo"] == pytest.approx(-(logs["rate"] + logs["distortion"]), rel=1e-5)
    expected_loss = logs["distortion"] + 0.5 * logs["rate"]
    if methods.METHODS[method].mmd:
        assert logs["loss"] != pytest.approx(expected_loss, rel=1e-6)  # + λ·MMD
    else:
        assert logs["loss"] == pytest.approx(expected_loss, rel=1e-5)


def test_conv_shapes():
    model = vae.build_vae("echo", "conv", latent_dim=32)
    logits, z, rate = model(_binary_images(4))
    assert logits.shape == (4, 28, 28, 1) and z.shape == (4, 32) and rate.shape == (4,)


def test_importance_weighted_bound_is_tighter_than_the_elbo():
    keras.utils.set_random_seed(0)  # the weights too, whatever ran before in this process
    model = vae.build_vae("vae", "mlp", latent_dim=4)
    x = _binary_images(64, seed=1)
    iwae_1 = vae.importance_weighted_nll(model, x, num_samples=1, seed=0).numpy()
    iwae_50 = vae.importance_weighted_nll(model, x, num_samples=50, seed=0).numpy()
    distortion, rate, _ = model.compute_terms(x)
    neg_elbo = (distortion + rate).numpy()
    # k = 1 is an unbiased estimate of −ELBO; k = 50 is lower (Burda et al., Thm. 1).
    diff = iwae_1 - neg_elbo
    assert abs(diff.mean()) < 4 * diff.std() / np.sqrt(len(diff))
    assert np.mean(iwae_50) < np.mean(neg_elbo)
    with pytest.raises(ValueError, match=r"density q\(z\|x\) at its draws; EchoNoise has none"):
        vae.importance_weighted_nll(vae.build_vae("echo", "mlp", latent_dim=2), x)


def test_the_compiled_iwae_bound_is_its_formula_over_every_pass():
    """k = 7 draws in passes of 3 (two full passes and one of 1), pass p drawn with the
    stateless seed (seed, 3p): the bound is −log (1/k) Σ p(x|z) N(z; 0, I) / N(z; μ, σ)
    computed in NumPy float64 from those draws, to float32 accuracy; the graph reads the
    model's weights at each call."""
    keras.utils.set_random_seed(0)
    model = vae.build_vae("vae", "mlp", latent_dim=3)
    x = _binary_images(5, seed=2)
    bound = vae.importance_weighted_nll_fn(model, num_samples=7, samples_per_pass=3)

    def numpy_bound():
        mean, log_scale = np.split(model.encoder(x).numpy().astype(np.float64), 2, axis=-1)
        noise = np.concatenate([
            tf.random.stateless_normal([k, 5, 3], [11, start]).numpy()
            for start, k in ((0, 3), (3, 3), (6, 1))]).astype(np.float64)  # [7, 5, 3]
        z = mean + np.exp(log_scale) * noise
        logits = model.decoder(z.reshape(-1, 3).astype(np.float32)).numpy().astype(np.float64)
        logits = logits.reshape(7, 5, -1)
        target = x.reshape(1, 5, -1)
        log_lik = np.sum(target * logits - np.logaddexp(0.0, logits), axis=-1)
        log_prior = np.sum(-0.5 * z**2 - 0.5 * np.log(2 * np.pi), axis=-1)
        log_q = np.sum(-0.5 * noise**2 - log_scale - 0.5 * np.log(2 * np.pi), axis=-1)
        log_w = log_lik + log_prior - log_q
        top = log_w.max(axis=0)
        return -(top + np.log(np.mean(np.exp(log_w - top), axis=0)))

    np.testing.assert_allclose(bound(x, 11).numpy(), numpy_bound(), rtol=1e-5)
    np.testing.assert_allclose(vae.importance_weighted_nll(model, x, 7, seed=11,
                                                           samples_per_pass=3).numpy(),
                               bound(x, 11).numpy(), rtol=1e-6)
    before = bound(x, 11).numpy()
    for weight in model.decoder.trainable_weights:
        weight.assign(0.5 * weight)
    np.testing.assert_allclose(bound(x, 11).numpy(), numpy_bound(), rtol=1e-5)
    assert np.all(np.abs(bound(x, 11).numpy() - before) > 1e-2)


def test_keras_file_round_trip(tmp_path):
    model = vae.build_vae("vae", "mlp", latent_dim=3, beta=2.0)
    path = tmp_path / "vae.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path)
    assert reloaded.beta == 2.0
    x = _binary_images(5)
    np.testing.assert_allclose(reloaded.encoder(x).numpy(), model.encoder(x).numpy(), rtol=1e-6)


@pytest.mark.parametrize("kwargs,message", [
    ({"method": "echo", "beta": -1.0}, "beta"),
    ({"method": "echo", "beta": float("nan")}, "beta"),
    ({"method": "gan"}, "method"),
    ({"method": "vae", "architecture": "resnet"}, "architecture"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        vae.build_vae(**kwargs)


def test_negative_mmd_weight_is_named():
    with pytest.raises(ValueError, match="mmd_weight must be a finite number >= 0"):
        vae.build_vae("infovae", mmd_weight=-1.0)


@pytest.mark.parametrize("method", ["echo", "vae"])
def test_mixed_precision_training(method):
    """float16 encoder and decoder, float32 channel and loss, dynamic loss scaling."""
    policy = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_float16")
    keras.utils.set_random_seed(0)  # initial weights and shuffling: the same run every time
    try:
        model = vae.build_vae(method, "mlp", latent_dim=8)
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
        history = model.fit(_binary_images(64), batch_size=16, epochs=2, verbose=0).history
        assert model.encoder.compute_dtype == "float16"
        assert model.channel.compute_dtype == "float32"
        assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
        assert all(v.dtype == "float32" for v in model.trainable_variables)
        assert np.isfinite(history["loss"]).all()
        assert history["loss"][-1] < history["loss"][0]
        x = _binary_images(8)
        distortion, rate, _ = model.compute_terms(x)
        assert distortion.dtype == tf.float32 and rate.dtype == tf.float32
    finally:
        keras.mixed_precision.set_global_policy(policy)


@pytest.mark.parametrize("method", ["echo", "vae", "flow"])
def test_latent_samples(method):
    model = vae.build_vae(method, "mlp", latent_dim=3)
    z = model.sample_latents(5, seed=1, x=_binary_images(20))
    assert z.shape == (5, 3) and np.isfinite(z.numpy()).all()
    if method == "echo":
        with pytest.raises(ValueError, match="num \\+ 1"):
            model.sample_latents(5, x=_binary_images(5))


def test_scale_bias_init_sets_the_initial_scales():
    model = vae.build_vae("echo", "mlp", latent_dim=4, scale_bias_init=3.0)
    bias = model.encoder.layers[-1].bias.numpy()
    np.testing.assert_array_equal(bias, [0, 0, 0, 0, 3, 3, 3, 3])


@pytest.mark.parametrize("method", ["echo", "vae"])
def test_rate_per_dimension_splits_the_rate(method):
    model = vae.build_vae(method, "mlp", latent_dim=5, seed=3)
    x = _binary_images(16)
    per_dim = model.rate_per_dimension(x).numpy()
    _, _, rate = model(x)
    np.testing.assert_allclose(per_dim.sum(axis=-1), rate.numpy(), rtol=1e-5, atol=1e-5)
    a, b = np.split(model.encoder(x).numpy().astype(np.float64), 2, axis=-1)
    if method == "echo":
        clip = model.channel.clip
        expected = -(np.log(clip) - np.logaddexp(0.0, -b))  # −log(clip·sigmoid(b))
        assert (per_dim >= -np.log(clip) - 1e-6).all()
    else:
        expected = 0.5 * (a ** 2 + np.exp(2 * b) - 1) - b
    np.testing.assert_allclose(per_dim, expected, rtol=1e-5, atol=1e-5)


def test_rate_per_dimension_refuses_a_flow_prior():
    model = vae.build_vae("flow", "mlp", latent_dim=3)
    with pytest.raises(ValueError, match="does not split"):
        model.rate_per_dimension(_binary_images(4))


@pytest.mark.parametrize("method", ["echo", "vae"])
def test_rate_warmup_weighs_the_rate_by_beta_t(method):
    """β_t = β · min(1, t / W): the logged loss of step t is D + β_t R of that step."""
    model = vae.build_vae(method, "mlp", latent_dim=3, beta=2.0, rate_warmup_steps=4)
    model.compile(optimizer=keras.optimizers.SGD(0.0))  # weights fixed: steps comparable
    x = _binary_images(20)
    for t in (1, 2, 4, 6):
        model.reset_metrics()
        while int(model.optimizer.iterations) < t - 1:
            model.train_on_batch(x)
        logs = model.train_on_batch(x, return_dict=True)
        beta_t = 2.0 * min(1.0, t / 4)
        assert logs["loss"] == pytest.approx(logs["distortion"] + beta_t * logs["rate"],
                                             rel=1e-5)
    assert float(model.rate_weight(2)) == pytest.approx(1.0)
    assert vae.build_vae(method, latent_dim=3, beta=2.0).rate_weight(1) == 2.0
    with pytest.raises(ValueError, match="rate_warmup_steps must be an integer >= 0"):
        vae.build_vae(method, latent_dim=3, rate_warmup_steps=-1)


def test_evaluate_seeded_is_reproducible_and_adds_up():
    model = vae.build_vae("echo", "mlp", latent_dim=3)
    x = _binary_images(250)
    first = model.evaluate_seeded(x, batch_size=100, seed=7)
    assert first == model.evaluate_seeded(x, batch_size=100, seed=7)
    assert first["examples"] == 200  # the remainder is dropped
    assert first["neg_elbo"] == pytest.approx(first["rate"] + first["distortion"], rel=1e-6)
    assert first["distortion"] != model.evaluate_seeded(x, batch_size=100, seed=8)["distortion"]


def test_gated_echo_round_trips_and_reports_zero_rate_for_off_dimensions(tmp_path):
    model = vae.build_vae("echo", "mlp", latent_dim=4, gate="hard_concrete",
                          rate_warmup_steps=10)
    model.channel.set_mask([1, 0, 1, 1])
    model.channel.gate_log_alpha.assign([3.0, 3.0, -5.0, 3.0])
    x = _binary_images(8)
    per_dim = model.rate_per_dimension(x).numpy()
    assert np.all(per_dim[:, [1, 2]] == 0.0) and np.all(per_dim[:, [0, 3]] > 0.17)
    model.save(tmp_path / "gated.keras")
    loaded = keras.saving.load_model(tmp_path / "gated.keras")
    assert loaded.rate_warmup_steps == 10 and loaded.channel.gate == "hard_concrete"
    np.testing.assert_array_equal(loaded.channel.active_dimensions(), [True, False, False, True])
    np.testing.assert_array_equal(loaded.rate_per_dimension(x).numpy(), per_dim)


@pytest.mark.parametrize("images, message", [
    (_binary_images(20) * 255, r"intensities in \[0, 1\].*\[0, 255\]; divide 8-bit images by 255"),
    ((_binary_images(20) * 255).astype(np.uint8), r"\[0, 255\]"),
    (_binary_images(20).reshape(20, 784), r"shaped \[N, 28, 28, 1\], got shape \[20, 784\]; "
                                          r"reshape with x.reshape\(-1, 28, 28, 1\)"),
])
def test_images_outside_the_likelihood_are_refused_where_they_enter(images, message):
    model = vae.build_vae("vae", "mlp", latent_dim=2)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    for call in (lambda: model.evaluate(images, batch_size=10, verbose=0),
                 lambda: model.fit(images, batch_size=10, epochs=1, verbose=0),
                 lambda: model.evaluate_seeded(images, batch_size=10)):
        with pytest.raises(ValueError, match=message):
            call()


def test_echo_refuses_a_last_batch_of_one_and_the_gaussian_channel_takes_it():
    images = _binary_images(21)
    echo_model = vae.build_vae("echo", "mlp", latent_dim=2)  # eager: the checks are Python
    echo_model.compile(optimizer=keras.optimizers.Adam(1e-3), run_eagerly=True)
    with pytest.raises(ValueError, match=r"21 examples at batch_size 10 leave a last batch of "
                                         r"1.*at least 2.*x\[:20\]"):
        echo_model.fit(images, batch_size=10, epochs=1, verbose=0)
    echo_model.fit(images[:20], batch_size=10, epochs=1, verbose=0)
    gaussian = vae.build_vae("vae", "mlp", latent_dim=2)
    gaussian.compile(optimizer=keras.optimizers.Adam(1e-3), run_eagerly=True)
    gaussian.fit(images, batch_size=10, epochs=1, verbose=0)
