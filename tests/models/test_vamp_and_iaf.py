"""The VampPrior and the posterior IAF against closed forms; every method saves and reloads."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import echo_ib  # noqa: F401  (registers the layers for load_model)
from echo_ib.channels import gaussian
from echo_ib.models import iaf, methods, vae
from tests.helpers import settings_it_reads

pytestmark = pytest.mark.slow  # trains models or starts processes


def _images(n, seed=0):
    return (np.random.default_rng(seed).random((n, 28, 28, 1)) < 0.3).astype(np.float32)


def _numpy_gaussian_log_prob(z, mean, log_scale):
    return np.sum(-0.5 * ((z - mean) / np.exp(log_scale)) ** 2 - log_scale
                  - 0.5 * np.log(2 * np.pi), axis=-1)


def test_a_one_component_vamp_prior_is_the_posterior_of_its_pseudo_input():
    """K = 1: log p(z) = log N(z; μ(u), σ(u)²) (NumPy), K copies of u give the same p, and
    an image equal to u has rate log q(z|u) − log p(z) = 0 for every draw."""
    model = vae.build_vae("vamp", "mlp", latent_dim=3, vamp_components=1)
    prior = model.channel.prior
    u = prior.pseudo_inputs().numpy()
    mean, log_scale = np.split(model.encoder(u).numpy().astype(np.float64), 2, axis=-1)
    z = np.random.default_rng(1).normal(size=(64, 3))
    expected = _numpy_gaussian_log_prob(z, mean, log_scale)
    np.testing.assert_allclose(prior.log_prob(z.astype(np.float32)).numpy(), expected,
                               rtol=1e-5, atol=1e-4)
    _, _, rate = model(np.repeat(u, 50, axis=0), training=True)
    np.testing.assert_allclose(rate.numpy(), 0.0, atol=1e-4)
    tripled = vae.build_vae("vamp", "mlp", latent_dim=3, vamp_components=3)
    tripled.encoder.set_weights(model.encoder.get_weights())
    tripled.channel.prior.pseudo_logits.assign(np.repeat(prior.pseudo_logits.numpy(), 3, 0))
    np.testing.assert_allclose(tripled.channel.prior.log_prob(z.astype(np.float32)).numpy(),
                               expected, rtol=1e-5, atol=1e-4)


def test_the_vamp_prior_is_its_mixture_in_closed_form_far_from_its_components():
    """K = 6 components with scales from about e^−6 to e^8 and z up to 9,000 σ from a
    component: log p(z) = logsumexp_k log N(z; μ_k, σ_k) − log K in NumPy float64, to the
    float32 rounding of the answer (the matrix-product form in float64 loses nothing to the
    (z/σ)² terms it subtracts; a float32 [batch, K, D] sum misses this tolerance 30-fold)."""
    keras.utils.set_random_seed(0)
    model = vae.build_vae("vamp", "mlp", latent_dim=4, vamp_components=6)
    prior = model.channel.prior
    last = model.encoder.layers[-1]  # spread the components' means and scales apart
    kernel, bias = last.get_weights()
    last.set_weights([5.0 * kernel, bias - np.repeat([0.0, 1.0], 4)])
    mean, log_scale = np.split(model.encoder(prior.pseudo_inputs()).numpy().astype(np.float64),
                               2, axis=-1)
    assert log_scale.min() < -5.0 and log_scale.max() > 5.0
    z = np.random.default_rng(2).normal(0.0, 6.0, size=(200, 4)).astype(np.float32)
    per_component = _numpy_gaussian_log_prob(z[:, None, :], mean[None], log_scale[None])
    top = per_component.max(axis=1)
    expected = top + np.log(np.mean(np.exp(per_component - top[:, None]), axis=1))
    assert np.max(np.abs(expected)) > 1e3  # far from every component, small σ included
    np.testing.assert_allclose(prior.log_prob(z).numpy(), expected, rtol=2**-23)
    np.testing.assert_array_equal(prior.log_prob_fn()(z).numpy(), prior.log_prob(z).numpy())


def test_an_untrained_iaf_is_the_gaussian_posterior():
    """The flow's output layers start at zero: z and log q(z|x) equal the diagonal
    Gaussian's for the same noise, and the IWAE bound equals the β-VAE's."""
    with_iaf = vae.build_vae("iaf", "mlp", latent_dim=4, iaf_hidden_units=16)
    plain = vae.build_vae("vae", "mlp", latent_dim=4)
    plain.encoder.set_weights(with_iaf.encoder.get_weights())
    plain.decoder.set_weights(with_iaf.decoder.get_weights())
    rng = np.random.default_rng(2)
    mean, log_scale = rng.normal(size=(2, 10, 4)).astype(np.float32)
    noise = rng.normal(size=(10, 4)).astype(np.float32)
    z, log_q = with_iaf.channel.posterior_sample(mean, log_scale, noise)
    np.testing.assert_allclose(z.numpy(), mean + np.exp(log_scale) * noise, rtol=1e-6)
    np.testing.assert_allclose(log_q.numpy(), _numpy_gaussian_log_prob(
        mean + np.exp(log_scale) * noise, mean, log_scale), rtol=1e-5)
    x = _images(8)
    np.testing.assert_allclose(vae.importance_weighted_nll(with_iaf, x, 20).numpy(),
                               vae.importance_weighted_nll(plain, x, 20).numpy(), rtol=1e-5)


def test_a_trained_iaf_step_is_autoregressive_and_preserves_volume():
    """With random weights the Jacobian ∂z_T/∂z_0 is a permuted unit-triangular matrix:
    det = 1, so log q(z_T|x) = log q_0(z_0|x) is exact."""
    flow = iaf.InverseAutoregressiveFlow(num_steps=3, hidden_units=12, hidden_layers=2)
    flow.build(((None, 5), (None, 10)))
    rng = np.random.default_rng(3)
    flow.set_weights([rng.normal(scale=0.5, size=w.shape).astype(np.float32)
                      for w in flow.get_weights()])
    z0 = tf.constant(rng.normal(size=(6, 5)).astype(np.float32))
    context = tf.constant(rng.normal(size=(6, 10)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(z0)
        z = flow((z0, context))
    jacobian = tape.batch_jacobian(z, z0).numpy()
    assert np.abs(jacobian - np.eye(5)).max() > 0.1  # the flow does something
    np.testing.assert_allclose(np.linalg.det(jacobian.astype(np.float64)), 1.0, atol=1e-4)
    # One step alone: output i depends on inputs < i only (strictly lower triangular shift).
    with tf.GradientTape() as tape:
        tape.watch(z0)
        shift = flow.shift(0, z0, context)
    np.testing.assert_array_equal(np.triu(tape.batch_jacobian(shift, z0).numpy()), 0.0)


@pytest.mark.parametrize("method", ["vamp", "iaf_vamp", "iaf_maf"])
def test_new_methods_save_reload_and_reproduce_their_numbers(method, tmp_path):
    model = vae.build_vae(method, "mlp", latent_dim=3,
                          **settings_it_reads(method, vamp_components=5, iaf_hidden_units=8))
    # Eager: what is saved does not depend on how the step ran, and compiling this step
    # with XLA costs more than the rest of the test (test_vae.py compiles every method's).
    model.compile(optimizer=keras.optimizers.Adam(1e-3), run_eagerly=True)
    x = _images(40)
    model.fit(x, batch_size=20, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    reloaded = keras.saving.load_model(tmp_path / "m.keras")
    assert reloaded.evaluate_seeded(x, 20, 7) == model.evaluate_seeded(x, 20, 7)
    np.testing.assert_allclose(vae.importance_weighted_nll(reloaded, x[:4], 5).numpy(),
                               vae.importance_weighted_nll(model, x[:4], 5).numpy(), rtol=1e-6)
    assert reloaded.sample_latents(6, seed=1).shape == (6, 3)


def test_the_registry_names_what_each_method_reads():
    assert methods.reads("vamp.") == ("vamp", "iaf_vamp")
    assert methods.reads("iaf.") == ("iaf", "iaf_maf", "iaf_vamp", "iaf_mmd")
    assert methods.reads("mmd_weight") == ("infovae", "iaf_mmd")


def test_a_setting_the_method_does_not_read_is_refused():
    with pytest.raises(ValueError, match="vamp_components not read by method 'iaf'"):
        vae.build_vae("iaf", "mlp", latent_dim=3, vamp_components=5)
    with pytest.raises(ValueError, match="max_terms not read by method 'vae'"):
        vae.build_vae("vae", "mlp", latent_dim=3, max_terms=10)


def test_every_part_default_is_the_training_config_default():
    """A setting has one default whether a model is built in code or from a config."""
    from echo_ib.training import config_schema

    config = config_schema.default_config()
    for method in methods.METHODS:
        read = methods.settings_from_config(method, config)
        for name, (field, default) in methods.settings(method).items():
            assert read[name] == default, (method, name, field)
    assert set(methods.METHODS) == set(vae.METHODS)
    assert gaussian.GaussianNoise().has_closed_form_rate
