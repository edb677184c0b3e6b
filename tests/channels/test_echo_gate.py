"""Echo's on/off dimensions: the fixed mask, the hard-concrete gate and their exact rates.

The closed forms (docs/design.md, "Switching echo dimensions off"): a masked coordinate is
exactly 0 and pays 0 nats; the active coordinates are the ungated channel's under the same
seed; the training rate of the gate is Σ_j P(g_j ≠ 0) R_j(x) with
P(g ≠ 0) = sigmoid(log α − τ log(−γ/ζ)); at evaluation the rate is −Σ_{ĝ_j > 0} log S_j(x).
"""

import math

import keras
import numpy as np
import pytest
import scipy.special
import tensorflow as tf

from echo_ib.channels import echo, gates

SEED = 20261130


def _inputs(batch=12, latent=5, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(batch, latent)).astype(np.float32),
            rng.normal(size=(batch, latent)).astype(np.float32))


def _neg_log_s(layer, s_logits):
    """−log S_j(x) in float64 from the closed form log S = log(clip) + log_sigmoid(logits)."""
    logits = np.asarray(s_logits, np.float64)
    return -(math.log(layer.clip) - np.logaddexp(0.0, -logits))


def test_a_masked_coordinate_is_exactly_zero_and_pays_nothing():
    f_x, s_logits = _inputs()
    layer = echo.EchoNoise(seed=0)
    layer((f_x, s_logits))
    mask = np.array([1, 0, 1, 1, 0], np.float32)
    layer.set_mask(mask)
    z, rate = layer((f_x, s_logits), seed=tf.constant([SEED, 1]))
    z = np.asarray(z)
    assert np.all(z[:, mask == 0] == 0.0)
    expected = np.sum(_neg_log_s(layer, s_logits)[:, mask == 1], axis=1)
    np.testing.assert_allclose(np.asarray(rate), expected, rtol=1e-5)
    assert list(layer.active_dimensions()) == [True, False, True, True, False]


@pytest.mark.parametrize("gate", ["none", "hard_concrete"])
def test_active_coordinates_equal_the_ungated_channel_under_the_same_seed(gate):
    f_x, s_logits = _inputs()
    plain, masked = echo.EchoNoise(seed=0), echo.EchoNoise(seed=0, gate=gate, gate_init=10.0)
    seed = tf.constant([SEED, 2])
    z_plain, _ = plain((f_x, s_logits), seed=seed)
    masked((f_x, s_logits))
    masked.set_mask([0, 1, 1, 0, 1])
    # log α = 10 puts the deterministic gate at exactly 1.
    z_masked, _ = masked((f_x, s_logits), seed=seed, training=False)
    active = np.array([False, True, True, False, True])
    np.testing.assert_array_equal(np.asarray(z_masked)[:, active],
                                  np.asarray(z_plain)[:, active])


def test_hard_concrete_open_probability_matches_its_draws():
    """P(g ≠ 0) in closed form against the frequency of g > 0 in 200,000 draws, within
    4 binomial standard errors; g ∈ [0, 1] and is exactly 1 with positive probability."""
    log_alpha = np.array([-3.0, -1.0, 0.0, 1.5, 4.0], np.float32)
    n = 200_000
    u = tf.random.stateless_uniform([n, 5], [SEED, 3], minval=1e-6, maxval=1 - 1e-6)
    g = np.asarray(gates.hard_concrete_sample(log_alpha, u))
    assert g.min() == 0.0 and g.max() == 1.0
    p = np.asarray(gates.hard_concrete_open_probability(log_alpha))
    expected = scipy.special.expit(log_alpha - (2 / 3) * math.log(0.1 / 1.1))
    np.testing.assert_allclose(p, expected, rtol=1e-6)
    se = np.sqrt(p * (1 - p) / n)
    assert np.all(np.abs((g > 0).mean(axis=0) - p) < 4 * se)


def test_training_rate_is_the_open_probability_weighted_rate():
    f_x, s_logits = _inputs()
    layer = echo.EchoNoise(seed=0, gate="hard_concrete")
    layer((f_x, s_logits))
    log_alpha = np.array([-2.0, 0.0, 0.5, 2.0, 6.0], np.float32)
    layer.gate_log_alpha.assign(log_alpha)
    z, rate = layer((f_x, s_logits), training=True, seed=tf.constant([SEED, 4]))
    pi = scipy.special.expit(log_alpha.astype(np.float64) - (2 / 3) * math.log(0.1 / 1.1))
    np.testing.assert_allclose(np.asarray(rate), _neg_log_s(layer, s_logits) @ pi, rtol=1e-5)
    # Each example's z_j is the ungated coordinate times its own gate draw in [0, 1].
    z_plain, _ = echo.EchoNoise(seed=0)((f_x, s_logits), seed=tf.constant([SEED, 4]))
    ratio = np.asarray(z) / np.asarray(z_plain)
    assert np.all((ratio >= -1e-6) & (ratio <= 1 + 1e-6))
    assert len(np.unique(np.round(ratio[:, 2], 5))) > 1  # drawn per example


def test_evaluation_rate_counts_exactly_the_dimensions_that_pass():
    f_x, s_logits = _inputs()
    layer = echo.EchoNoise(seed=0, gate="hard_concrete")
    layer((f_x, s_logits))
    # sigmoid(log α)·1.2 − 0.1 ≤ 0 ⇔ log α ≤ −log 11: the first two are off.
    log_alpha = np.array([-5.0, -math.log(11.0) - 0.01, -2.0, 0.0, 5.0], np.float32)
    layer.gate_log_alpha.assign(log_alpha)
    z, rate = layer((f_x, s_logits), training=False, seed=tf.constant([SEED, 5]))
    gate = np.clip(scipy.special.expit(log_alpha) * 1.2 - 0.1, 0, 1)
    np.testing.assert_allclose(np.asarray(layer.evaluation_gate()), gate, rtol=1e-6, atol=1e-7)
    on = gate > 0
    assert list(on) == [False, False, True, True, True]
    np.testing.assert_allclose(np.asarray(rate),
                               _neg_log_s(layer, s_logits)[:, on].sum(axis=1), rtol=1e-5)
    z_plain, _ = echo.EchoNoise(seed=0)((f_x, s_logits), seed=tf.constant([SEED, 5]))
    np.testing.assert_allclose(np.asarray(z), np.asarray(z_plain) * gate, rtol=1e-6, atol=1e-7)


def test_rate_is_one_number_per_example_for_a_convolutional_latent():
    rng = np.random.default_rng(1)
    f_x = rng.normal(size=(4, 3, 2, 5)).astype(np.float32)
    s_logits = rng.normal(size=(4, 3, 2, 5)).astype(np.float32)
    layer = echo.EchoNoise(seed=0)
    z, rate = layer((f_x, s_logits))
    assert z.shape == (4, 3, 2, 5) and rate.shape == (4,)
    np.testing.assert_allclose(np.asarray(rate),
                               _neg_log_s(layer, s_logits).sum(axis=(1, 2, 3)), rtol=1e-5)
    layer.set_mask([1, 1, 0, 1, 0])
    z, rate = layer((f_x, s_logits))
    assert np.all(np.asarray(z)[..., [2, 4]] == 0.0)
    np.testing.assert_allclose(np.asarray(rate), _neg_log_s(layer, s_logits)[..., [0, 1, 3]]
                               .sum(axis=(1, 2, 3)), rtol=1e-5)


def test_mask_and_gate_serialise_with_the_layer(tmp_path):
    inputs = keras.Input((5,)), keras.Input((5,))
    layer = echo.EchoNoise(seed=0, gate="hard_concrete", gate_init=1.5)
    model = keras.Model(inputs, layer(inputs))
    layer.set_mask([1, 1, 0, 1, 1])
    layer.gate_log_alpha.assign([0.1, 0.2, 0.3, -4.0, 0.5])
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    channel = [lay for lay in loaded.layers if isinstance(lay, echo.EchoNoise)][0]
    assert channel.gate == "hard_concrete" and channel.get_config()["gate_init"] == 1.5
    np.testing.assert_array_equal(channel.mask.numpy(), [1, 1, 0, 1, 1])
    np.testing.assert_allclose(channel.gate_log_alpha.numpy(), [0.1, 0.2, 0.3, -4.0, 0.5])
    assert list(channel.active_dimensions()) == [True, True, False, False, True]


@pytest.mark.parametrize("kwargs,message", [
    ({"gate": "dropout"}, "gate must be one of"),
    ({"gate_init": float("nan")}, "gate_init must be a finite number"),
])
def test_bad_gate_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        echo.EchoNoise(**kwargs)


def test_set_mask_refuses_a_wrong_shape_or_non_binary_values():
    layer = echo.EchoNoise()
    layer(_inputs())
    with pytest.raises(ValueError, match=r"\[5\] array of 0s and 1s"):
        layer.set_mask([1, 0, 1])
    with pytest.raises(ValueError, match=r"only 0s and 1s \(off / on\), got 0.5, 2\.$"):
        layer.set_mask([1, 0.5, 1, 2, 1])


def test_one_tensor_instead_of_two_is_named():
    with pytest.raises(ValueError, match=r"two tensors; got one input of shape \(8, 5\)"):
        echo.EchoNoise()(np.zeros((8, 5), np.float32))
