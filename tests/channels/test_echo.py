"""Tests of the echo noise channel against closed forms and Monte Carlo theory."""

import math

import keras
import numpy as np
import pytest
import scipy.stats
import tensorflow as tf

from echo_ib.channels import echo, echo_series, truncation

SEED = 20261122


def _stateless(seed):
    return tf.constant([seed, 0], tf.int32)


def _constant_scale_logits(shape):
    # log_sigmoid(40) = -4e-18: S = clip to float32 precision.
    return np.full(shape, 40.0, np.float32)


class TestDefaultClip:

    @pytest.mark.parametrize("num_terms,f_bound", [(1, 1.0), (10, 1.0), (100, 1.0), (100, 4.0),
                                                   (500, 0.5)])
    def test_solves_the_tail_equation(self, num_terms, f_bound):
        clip = truncation.default_clip(num_terms, f_bound)
        assert 0.0 < clip < 1.0
        assert truncation.tail_bound(clip, num_terms, f_bound) == pytest.approx(2.0**-23, rel=1e-9)

    def test_paper_setting(self):
        # M c^100 / (1 - c) = 2^-23 has its root at c = 0.83729...
        clip = truncation.default_clip(100, 1.0)
        assert clip**100 / (1 - clip) == pytest.approx(2.0**-23, rel=1e-9)
        assert EchoLayer().clip == clip

    def test_more_terms_allow_a_larger_clip(self):
        clips = [truncation.default_clip(k) for k in (10, 50, 100, 400)]
        assert clips == sorted(clips)


def EchoLayer(**kwargs):
    return echo.EchoNoise(**kwargs)


class TestSamplingPattern:

    def test_each_example_reads_every_other_member_once_and_never_itself(self):
        batch = 17
        s = 0.5
        # f(x_i) = c e_i: coordinate j of eps_i is c s^{l} where l is the term that read j.
        f = np.eye(batch, dtype=np.float32) * 0.5
        log_s = np.full((batch, batch), math.log(s), np.float32)
        eps = echo_series.echo_noise(f, log_s, batch - 1, _stateless(SEED)).numpy()
        assert np.all(np.diag(eps) == 0.0)
        for i in range(batch):
            others = np.delete(eps[i], i)
            exponents = np.log(others / 0.5) / math.log(s)
            np.testing.assert_allclose(np.sort(exponents), np.arange(batch - 1), atol=1e-4)

    def test_truncated_pattern_is_a_prefix_without_repeats(self):
        batch, terms = 40, 7
        perm, pos, offsets = (t.numpy() for t in echo_series.echo_permutations(batch, terms,
                                                                        _stateless(SEED)))
        idx = perm[(pos[None, :] + offsets[:, None]) % batch]  # [K, B]
        for i in range(batch):
            assert len(set(idx[:, i])) == terms
            assert i not in idx[:, i]
        for row in idx:  # each term is a permutation of the batch
            assert sorted(row) == list(range(batch))


class TestTruncation:

    def test_tail_bound_is_attained_by_the_extremal_input(self):
        # The default bound is float32's resolution: measure it in float64.
        layer = EchoLayer(max_terms=30, dtype="float64")
        batch = 64
        f_x = np.full((batch, 3), 1e4)  # f = M
        z, _ = layer((f_x, _constant_scale_logits((batch, 3))), seed=_stateless(SEED))
        c, m = layer.clip, layer.f_bound
        infinite_z = m / (1 - c)  # z = f + c eps_K = M (1 - c^{K+1}) / (1 - c)
        truncated = infinite_z - z.numpy()
        np.testing.assert_allclose(truncated / c, layer.tail_bound, rtol=1e-6)

    def test_tail_bound_holds_for_random_inputs(self):
        rng = np.random.default_rng(SEED)
        batch, terms = 256, 20
        clip = truncation.default_clip(terms)
        f = np.tanh(rng.normal(size=(batch, 8)) * 3).astype(np.float32)
        log_s = (math.log(clip) + np.log(rng.uniform(0.5, 1.0, size=(batch, 8)))).astype(
            np.float32)
        seed = _stateless(SEED)
        short = echo_series.echo_noise(f, log_s, terms, seed).numpy()
        long = echo_series.echo_noise(f, log_s, batch - 1, seed).numpy()
        assert np.max(np.abs(long - short)) <= truncation.tail_bound(clip, terms)
        assert np.max(np.abs(long - short)) > 0


class TestRate:

    def test_rate_is_minus_sum_log_scale(self):
        rng = np.random.default_rng(SEED)
        layer = EchoLayer(clip=0.9)
        logits = rng.normal(scale=4.0, size=(32, 6)).astype(np.float32)
        _, rate = layer((rng.normal(size=(32, 6)).astype(np.float32), logits))
        expected = -np.sum(np.log(0.9) - np.logaddexp(0.0, -logits.astype(np.float64)), -1)
        np.testing.assert_allclose(rate.numpy(), expected, rtol=1e-6)

    def test_isotropic_and_shared_scales_broadcast(self):
        layer = EchoLayer(clip=0.8)
        f_x = np.zeros((10, 5), np.float32)
        for logits in (np.zeros((10, 1), np.float32), np.zeros((), np.float32)):
            with_noise, rate = layer((f_x, logits))
            assert with_noise.shape == (10, 5) and rate.shape == (10,)
            np.testing.assert_allclose(rate.numpy(), -5 * math.log(0.4), rtol=1e-6)

    def test_deterministic_returns_the_bounded_mean(self):
        layer = EchoLayer(f_bound=2.0, f_scale=3.0)
        f_x = np.linspace(-20, 20, 24, dtype=np.float32).reshape(4, 6)
        z, _ = layer((f_x, np.zeros_like(f_x)), deterministic=True)
        np.testing.assert_allclose(z.numpy(), 2.0 * np.tanh(f_x / 3.0), rtol=1e-6)
        z_eval, _ = layer((f_x, np.zeros_like(f_x)), training=False)
        assert not np.allclose(z_eval.numpy(), z.numpy())  # noise stays on at evaluation


class TestEchoProperty:
    """z = f(x) + s ε has the law of ε (paper §3): checked over iid latent columns.

    For a constant S = s, the latent coordinates are independent given the sampling
    pattern, so row 0 of a [B, N] batch gives N iid draws of z (and of ε).
    """

    columns = 20000
    batch = 48
    s = 0.6

    def _draws(self, x, seed, **layer_kwargs):
        layer = EchoLayer(clip=self.s, **layer_kwargs)
        f_x = tf.constant(x, tf.float32)
        logits = _constant_scale_logits(x.shape)
        z, _ = layer((f_x, logits), seed=_stateless(seed))
        f = layer.bounded_mean(f_x)
        return f.numpy()[0], z.numpy()[0], ((z - f) / self.s).numpy()[0]

    def test_z_and_eps_have_the_same_law_for_skewed_data(self):
        rng = np.random.default_rng(SEED)
        x = rng.exponential(size=(self.batch, self.columns)).astype(np.float32)
        _, z, _ = self._draws(x, 1, f_scale=2.0)
        x_other = rng.exponential(size=(self.batch, self.columns)).astype(np.float32)
        _, _, eps = self._draws(x_other, 2, f_scale=2.0)
        assert scipy.stats.ks_2samp(z, eps).pvalue > 1e-3
        # ...while f(x) alone is clearly not distributed like z.
        assert scipy.stats.ks_2samp(np.tanh(x[0] / 2.0), z).pvalue < 1e-6

    def test_variance_of_z_is_var_f_over_one_minus_s_squared(self):
        rng = np.random.default_rng(SEED + 1)
        x = rng.exponential(size=(self.batch, self.columns)).astype(np.float32)
        _, z, _ = self._draws(x, 3, f_scale=2.0)
        # Population moments of f(X) = tanh(X/2), X ~ Exp(1), by quadrature.
        grid = np.linspace(0, 60, 600001)
        w = np.exp(-grid) * (grid[1] - grid[0])
        f_mean = np.sum(np.tanh(grid / 2) * w)
        f_var = np.sum((np.tanh(grid / 2) - f_mean) ** 2 * w)
        expected_var = f_var / (1 - self.s**2)
        # Standard error of a sample variance: sqrt((mu4 - sigma^4) / n).
        centred = z - z.mean()
        se = np.sqrt((np.mean(centred**4) - np.var(z) ** 2) / z.size)
        assert abs(np.var(z, ddof=1) - expected_var) < 4 * se
        assert abs(z.mean() - f_mean / (1 - self.s)) < 4 * np.sqrt(expected_var / z.size)

    def test_gaussian_input_has_exact_mutual_information(self):
        # f ≈ identity (M = a = 1e3): z | x ~ N(x, s²/(1-s²)), z ~ N(0, 1/(1-s²)),
        # so I(X; Z) = ½ log(Var z / Var(z | x)) = -log s, the layer's rate.
        rng = np.random.default_rng(SEED + 2)
        x = rng.normal(size=(self.batch, self.columns)).astype(np.float32)
        f, z, eps = self._draws(x, 4, f_bound=1e3, f_scale=1e3)
        n = z.size
        np.testing.assert_allclose(f, x[0], atol=1e-4)
        assert abs(np.var(z) - 1 / (1 - self.s**2)) < 4 * math.sqrt(2 / n) / (1 - self.s**2)
        assert abs(np.corrcoef(x[0], eps)[0, 1]) < 4 / math.sqrt(n)
        assert scipy.stats.kstest(z * math.sqrt(1 - self.s**2), "norm").pvalue > 1e-3
        mi = 0.5 * math.log(np.var(z) / np.var(z - f))
        # delta method: Var(log sample variance) ≈ 2/n for each of the two variances.
        assert abs(mi - (-math.log(self.s))) < 4 * 0.5 * math.sqrt(4 / n)
        _, rate = EchoLayer(clip=self.s)((x[:, :1], _constant_scale_logits((self.batch, 1))))
        np.testing.assert_allclose(rate.numpy(), -math.log(self.s), rtol=1e-6)

    def test_marginal_draws_have_the_law_of_z(self):
        # marginal_sample returns ε built from a batch of codes: the law of z under the data.
        rng = np.random.default_rng(SEED + 3)
        x = rng.exponential(size=(self.batch, self.columns)).astype(np.float32)
        _, z, _ = self._draws(x, 5, f_scale=2.0)
        layer = EchoLayer(clip=self.s, f_scale=2.0)
        x_other = rng.exponential(size=(self.batch, self.columns)).astype(np.float32)
        eps = layer.marginal_sample((x_other, _constant_scale_logits(x_other.shape)), seed=6)
        assert eps.shape == x_other.shape
        assert scipy.stats.ks_2samp(z, eps.numpy()[0]).pvalue > 1e-3


class TestGradients:

    def _naive_series(self, f, log_s, perm, pos, offsets):
        batch = f.shape[0]
        idx = tf.gather(perm, (pos[None, :] + offsets[:, None]) % batch)
        log_prod = tf.math.cumsum(tf.gather(log_s, idx), axis=0, exclusive=True)
        return tf.reduce_sum(tf.exp(log_prod) * tf.gather(f, idx), axis=0)

    def test_lean_adjoint_matches_autodiff_of_the_naive_series(self):
        rng = np.random.default_rng(SEED)
        f = tf.constant(np.tanh(rng.normal(size=(30, 5))), tf.float64)
        log_s = tf.constant(math.log(0.8) + np.log(rng.uniform(0.3, 1, (30, 5))), tf.float64)
        weights = tf.constant(rng.normal(size=(30, 5)), tf.float64)
        pattern = echo_series.echo_permutations(30, 29, _stateless(SEED))
        grads = []
        # The compiled series, called eagerly under the tape, with and without XLA.
        for series in (self._naive_series, echo_series._series_xla, echo_series._series_graph):
            with tf.GradientTape() as tape:
                tape.watch([f, log_s])
                eps = series(f, log_s, *pattern)
                loss = tf.reduce_sum(weights * tf.sin(eps))
            grads.append(tape.gradient(loss, [f, log_s]))
        for naive, lean in (pair for g in grads[1:] for pair in zip(grads[0], g)):
            np.testing.assert_allclose(tf.convert_to_tensor(lean).numpy(),
                                       tf.convert_to_tensor(naive).numpy(), rtol=1e-10, atol=1e-12)

    def test_gradients_reach_both_inputs(self):
        rng = np.random.default_rng(SEED)
        f_x = tf.Variable(rng.normal(size=(16, 4)).astype(np.float32))
        logits = tf.Variable(rng.normal(size=(16, 4)).astype(np.float32))
        layer = EchoLayer(seed=1)
        with tf.GradientTape() as tape:
            z, rate = layer((f_x, logits))
            loss = tf.reduce_sum(z**2) + tf.reduce_sum(rate)
        for grad in tape.gradient(loss, [f_x, logits]):
            assert grad is not None
            assert np.all(np.isfinite(grad.numpy()))
            assert np.count_nonzero(grad.numpy()) == grad.numpy().size


class TestErrors:

    def test_batch_of_one(self):
        with pytest.raises(ValueError, match="at least 2"):
            EchoLayer()((np.zeros((1, 3), np.float32), np.zeros((1, 3), np.float32)))

    @pytest.mark.parametrize("clip", [0.0, 1.0, 1.5, -0.2])
    def test_clip_outside_unit_interval(self, clip):
        with pytest.raises(ValueError, match="clip"):
            EchoLayer(clip=clip)

    @pytest.mark.parametrize("max_terms", [0, -3, 2.5])
    def test_max_terms_below_one(self, max_terms):
        with pytest.raises(ValueError, match="max_terms"):
            EchoLayer(max_terms=max_terms)

    @pytest.mark.parametrize("f_shape,s_shape", [((8, 3), (8, 4)), ((8, 3), (4, 3)),
                                                 ((8, 3), (2, 8, 3))])
    def test_scales_that_do_not_broadcast_are_named(self, f_shape, s_shape):
        with pytest.raises(ValueError, match="does not broadcast to f_x's shape"):
            EchoLayer()((np.zeros(f_shape, np.float32), np.zeros(s_shape, np.float32)))

    def test_one_dimensional_input_is_refused(self):
        # A [batch] input would make the batch the latent axis and sum the rate over it.
        with pytest.raises(ValueError, match=r"\[batch, latent\]"):
            EchoLayer()((np.zeros(8, np.float32), np.zeros(8, np.float32)))

    @pytest.mark.parametrize("kwargs", [{"clip": "0.8"}, {"f_scale": "16"}, {"f_bound": None},
                                        {"max_terms": "100"}])
    def test_non_numeric_settings_are_named(self, kwargs):
        with pytest.raises(ValueError, match=next(iter(kwargs))):
            EchoLayer(**kwargs)

    def test_non_finite_inputs_with_validate_args(self):
        f_x = np.zeros((4, 2), np.float32)
        f_x[1, 1] = np.nan
        with pytest.raises(tf.errors.InvalidArgumentError, match="f_x"):
            EchoLayer(validate_args=True)((f_x, np.zeros((4, 2), np.float32)))
        logits = np.zeros((4, 2), np.float32)
        logits[0, 0] = np.inf
        with pytest.raises(tf.errors.InvalidArgumentError, match="s_logits"):
            EchoLayer(validate_args=True)((np.zeros((4, 2), np.float32), logits))


class TestSerialization:

    def test_get_config_round_trip(self):
        layer = EchoLayer(max_terms=12, clip=0.7, f_bound=2.0, f_scale=5.0, seed=4,
                          validate_args=True, name="echo")
        clone = echo.EchoNoise.from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
        assert (clone.clip, clone.max_terms, clone.f_bound, clone.tail_bound) == (
            layer.clip, layer.max_terms, layer.f_bound, layer.tail_bound)
        inputs = (np.ones((8, 3), np.float32), np.zeros((8, 3), np.float32))
        seed = _stateless(9)
        np.testing.assert_array_equal(layer(inputs, seed=seed)[0].numpy(),
                                      clone(inputs, seed=seed)[0].numpy())

    def test_keras_file_round_trip_gives_identical_outputs(self, tmp_path):
        def build():
            x = keras.Input((6,), batch_size=10)
            h = keras.layers.Dense(8)(x)
            f_x, logits = keras.ops.split(h, 2, axis=-1)
            z, rate = echo.EchoNoise(seed=7)((f_x, logits))
            return keras.Model(x, [z, rate])

        keras.utils.set_random_seed(SEED)
        model = build()
        path = tmp_path / "echo_model.keras"
        model.save(path)
        reloaded = keras.saving.load_model(path)
        data = np.random.default_rng(SEED).normal(size=(10, 6)).astype(np.float32)
        for a, b in zip(model(data), reloaded(data)):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
