"""Tests of the plug-in estimator against closed forms and independent quadrature."""

import math

import numpy as np
import pytest
import scipy.integrate
import scipy.special
import scipy.stats
import tensorflow as tf

from echo_ib import estimators as est
from echo_ib.estimators import _mixture


def _mixture_entropy_1d_by_quadrature(centres, sigma):
    """h of (1/n) Σ N(c_i, σ²) in 1-D by adaptive quadrature (independent of the estimator)."""
    def density(t):
        return np.mean(np.exp(-(t - centres) ** 2 / (2 * sigma**2))) / math.sqrt(
            2 * math.pi * sigma**2)

    def integrand(t):
        q = density(t)
        return -q * math.log(q) if q > 0 else 0.0

    lo, hi = centres.min() - 12 * sigma, centres.max() + 12 * sigma
    breaks = np.linspace(lo, hi, 200)
    return sum(scipy.integrate.quad(integrand, a, b, epsabs=1e-12)[0]
               for a, b in zip(breaks[:-1], breaks[1:]))


@pytest.mark.parametrize("sigma", [0.1, 0.5, 2.0])
def test_finite_input_set_gives_the_exact_mixture_entropy(sigma):
    # The noisy-network setting: X uniform on n points, so h(T) IS the mixture entropy.
    centres = np.random.default_rng(1).uniform(-1, 1, size=40)
    exact = _mixture_entropy_1d_by_quadrature(centres, sigma)
    estimate = est.plugin_entropy(centres, sigma, num_mc=20000, seed=2)
    assert abs(estimate.value - exact) < 3 * estimate.stderr
    assert estimate.stderr < 0.01


def test_gaussian_ground_truth_within_the_design_accuracy():
    # S ~ N(0, Σ), T = S + N(0, I): I(S; T) = ½ log det(I + Σ/σ²) (DESIGN: ≤ 0.02 nats at d ≤ 5,
    # n = 4096; the plug-in bias is O(n^-1/2) on top of the Monte Carlo error).
    rng = np.random.default_rng(3)
    a = 0.7 * rng.normal(size=(2, 2))
    cov = a @ a.T
    samples = rng.multivariate_normal(np.zeros(2), cov, size=4096)
    truth_mi = 0.5 * np.linalg.slogdet(np.eye(2) + cov)[1]
    h = est.plugin_entropy(samples, 1.0, num_mc=40000, seed=4)
    truth_h = 0.5 * np.linalg.slogdet(2 * math.pi * math.e * (np.eye(2) + cov))[1]
    assert abs(h.value - truth_h) < 0.02
    mi = est.mixture_information(samples, 1.0, num_mc=40000, seed=4)
    assert abs(mi.value - truth_mi) < 0.02
    assert h.value == pytest.approx(_mixture.gaussian_entropy(2, 1.0) + mi.value, abs=1e-12)


def test_well_separated_points_carry_log_n_nats():
    grid = np.stack(np.meshgrid(np.arange(4), np.arange(4)), -1).reshape(-1, 2) * 50.0
    mi = est.mixture_information(grid, 1.0, num_mc=5000, seed=0)
    assert mi.value == pytest.approx(math.log(16), abs=1e-9)
    assert mi.stderr < 1e-9  # every posterior is a point mass: no Monte Carlo noise left


def _two_centre_information(delta):
    """I(C; T) of ½N(0, 1) + ½N(δ, 1) by 1-D quadrature: log 2 − E H(p(c | t)), where the
    posterior log-odds of the far centre for a draw u of the near one is δu − δ²/2."""
    def integrand(u):
        p = scipy.special.expit(delta * u - delta**2 / 2)
        return scipy.special.entr([p, 1 - p]).sum() * math.exp(-u * u / 2) / math.sqrt(2 * math.pi)

    value, _ = scipy.integrate.quad(integrand, -12, 12 + delta, points=[delta / 2], limit=400,
                                    epsabs=1e-14, epsrel=1e-12)
    return math.log(2) - value


@pytest.mark.parametrize("delta,num_mc", [(1.0, 2000), (3.0, 2000), (8.0, 200_000)])
def test_standard_errors_cover(delta, num_mc):
    """Over 200 seeds, ±2 standard errors cover the truth as often as theory says.

    With 20 independent replicates the standardised error is Student-t with 19 degrees of
    freedom: P(|t₁₉| ≤ 2) = 0.940. 200 seeds give a binomial standard deviation of 0.017:
    the coverage must lie within 3 of them. Overlapping (Δ/σ = 1), intermediate (3) and
    nearly separated (8) components; the truth by quadrature.
    """
    truth = _two_centre_information(delta)
    centres = np.array([[0.0], [delta]])
    nominal = 2 * scipy.stats.t.cdf(2, df=19) - 1
    covered = [abs(e.value - truth) <= 2 * e.stderr for e in (
        est.mixture_information(centres, 1.0, num_mc=num_mc, seed=seed) for seed in range(200))]
    spread = 3 * math.sqrt(nominal * (1 - nominal) / 200)
    assert nominal - spread <= np.mean(covered) <= min(1.0, nominal + spread)


def test_distances_are_exact_far_from_the_origin():
    """Two copies of a cloud 1e9 σ apart (and 1e10 σ from the origin): the mixture entropy
    is the cloud's plus log 2, and the pairwise bounds gain exactly log 2."""
    rng = np.random.default_rng(8)
    sigma = 0.1
    # On a 2^-16 grid, so that the shifted copies are exactly representable in float64.
    cloud = np.round(rng.normal(scale=sigma, size=(200, 3)) * 2**16) / 2**16
    far = np.concatenate([cloud, cloud + [1e8, 0, 0]]) + 1e9
    for bound in (est.kde_entropy_lower, est.kde_entropy_upper):
        assert bound(far, sigma).value == pytest.approx(bound(cloud, sigma).value + math.log(2),
                                                        abs=1e-9)
    near = est.plugin_entropy(cloud, sigma, num_mc=20000, seed=1)
    apart = est.plugin_entropy(far, sigma, num_mc=40000, seed=1)
    assert abs(apart.value - (near.value + math.log(2))) < 3 * math.hypot(near.stderr,
                                                                          apart.stderr)
    # A centre's distance to itself is 0: one point far away has log-mean-kernel 0.
    point = np.full((1, 4), 3e12)
    assert _mixture.log_mean_gaussian_kernel(point, point, 1e-4)[0] == 0.0


def test_memory_stays_bounded_in_the_dimension():
    """d = 2,000, n = 500, 50,000 draws: the draws alone would be 800 MB at once."""
    import tracemalloc

    samples = np.random.default_rng(9).normal(size=(500, 2000))
    tracemalloc.start()
    est.plugin_entropy(samples, 1.0, num_mc=50_000, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200 * 2**20, peak


def test_invariant_to_sample_order_and_input_type():
    samples = np.random.default_rng(5).normal(size=(300, 3))
    reference = est.plugin_entropy(samples, 0.5, num_mc=3000, seed=9)
    shuffled = est.plugin_entropy(samples[::-1].copy(), 0.5, num_mc=3000, seed=9)
    as_tensor = est.plugin_entropy(tf.constant(samples, tf.float32), 0.5, num_mc=3000, seed=9)
    assert shuffled.value == pytest.approx(reference.value, abs=1e-12)
    assert as_tensor.value == pytest.approx(reference.value, abs=1e-5)


def test_bits():
    samples = np.random.default_rng(6).normal(size=(100, 2))
    nats = est.plugin_entropy(samples, 1.0, num_mc=1000, seed=1)
    bits = est.plugin_entropy(samples, 1.0, num_mc=1000, seed=1, base=2)
    assert bits.value == pytest.approx(nats.value / math.log(2), rel=1e-12)
    assert bits.stderr == pytest.approx(nats.stderr / math.log(2), rel=1e-12)


def test_memory_is_blocked():
    # 5,000 centres with a 1 MiB block: 26 rows at a time; same answer as one block.
    rng = np.random.default_rng(7)
    q, c = rng.normal(size=(300, 4)), rng.normal(size=(5000, 4))
    small = _mixture.log_mean_gaussian_kernel(q, c, 0.3, block_bytes=2**20)
    whole = _mixture.log_mean_gaussian_kernel(q, c, 0.3, block_bytes=2**40)
    d2 = ((q[:, None] - c[None]) ** 2).sum(-1)
    direct = np.log(np.mean(np.exp(-d2 / 0.6), axis=1))
    np.testing.assert_allclose(small, direct, rtol=1e-10)
    np.testing.assert_allclose(whole, direct, rtol=1e-10)


class TestNoisyNetworkInformation:

    def test_first_layer_uses_the_exact_conditional(self):
        x = np.random.default_rng(0).normal(size=(500, 1))
        direct = est.mixture_information(x * 2.0, 0.5, num_mc=8000, seed=1)
        via_fn = est.mutual_information_input(lambda inputs, layer, seed: inputs * 2.0, x,
                                              layer=0, sigma=0.5, num_mc=8000, seed=1)
        assert via_fn.value == pytest.approx(direct.value, abs=1e-12)

    def test_second_layer_by_sample_propagation_matches_the_gaussian_closed_form(self):
        # X ~ N(0,1) (n = 2000 points), T1 = X + Z1, T2 = T1 + Z2 with σ = 0.5:
        # I(X; T2) = ½ log(1 + 1 / (2σ²)) for Gaussian X.
        sigma = 0.5
        x = np.random.default_rng(1).normal(size=(2000, 1))

        def centres(inputs, layer, seed):
            noise = np.random.default_rng(seed).normal(scale=sigma, size=inputs.shape)
            return inputs + noise  # f_2(T1) = T1, with T1's noise drawn afresh

        mi = est.mutual_information_input(centres, x, layer=1, sigma=sigma, num_noise_draws=16,
                                          num_mc=20000, seed=3)
        truth = 0.5 * math.log(1 + 1 / (2 * sigma**2))
        # Monte Carlo error plus the plug-in's O(n^-1/2) bias in 1-D.
        assert abs(mi.value - truth) < 3 * mi.stderr + 2 / math.sqrt(len(x))

    def test_label_information_is_bounded_by_the_label_entropy(self):
        """I(Y;T) ∈ [0, H(Y)] by construction, balanced or not, separated or overlapping;
        and it agrees with the difference of separately estimated entropies."""
        rng = np.random.default_rng(4)
        for labels in (np.repeat([0, 1], 150), np.repeat([0, 1, 2], [30, 70, 200])):
            h_y = -sum(p * math.log(p) for p in np.bincount(labels) / len(labels))
            for scale in (0.05, 1.0, 30.0):  # overlapping ... separated classes
                centres = labels[:, None] * scale + rng.normal(size=(len(labels), 2))
                mi = est.mutual_information_label(centres, None, labels, 0, 1.0, num_mc=3000,
                                                  seed=1)
                assert 0.0 <= mi.value <= h_y + 1e-12
                # I(Y;T) = I(C;T) − Σ_y p(y) I(C;T | Y = y): separate estimates, summed errors.
                whole = est.mixture_information(centres, 1.0, num_mc=20000, seed=2)
                parts = [(np.mean(labels == y), est.mixture_information(
                    centres[labels == y], 1.0, num_mc=20000, seed=3 + y)) for y in set(labels)]
                difference = whole.value - sum(w * e.value for w, e in parts)
                stderr = math.sqrt(mi.stderr**2 + whole.stderr**2
                                   + sum((w * e.stderr) ** 2 for w, e in parts))
                assert abs(mi.value - difference) < 4 * stderr

    def test_input_information_is_bounded_by_log_n(self):
        x = np.random.default_rng(5).normal(size=(64, 3))
        for sigma in (1e-3, 1.0, 1e3):
            mi = est.mutual_information_input(x, None, 0, sigma, num_mc=640, seed=0)
            assert 0.0 <= mi.value <= math.log(64) + 1e-12

    def test_label_information_of_separated_classes_is_the_label_entropy(self):
        rng = np.random.default_rng(2)
        labels = np.repeat([0, 1, 2], [100, 100, 200])
        centres = labels[:, None] * 100.0 + rng.normal(size=(400, 2))
        mi = est.mutual_information_label(centres, None, labels, layer=0, sigma=1.0,
                                          num_mc=4000, seed=0)
        label_entropy = -np.sum([p * math.log(p) for p in (0.25, 0.25, 0.5)])
        assert abs(mi.value - label_entropy) < 3 * mi.stderr + 1e-9


@pytest.mark.parametrize("call,message", [
    (lambda: est.plugin_entropy(np.zeros((5, 2)), 0.0), "sigma"),
    (lambda: est.plugin_entropy(np.zeros((5, 2)), -1.0), "sigma"),
    (lambda: est.plugin_entropy(np.zeros((0, 2)), 1.0), "empty"),
    (lambda: est.plugin_entropy(np.array([[0.0, np.nan]]), 1.0), "NaN"),
    (lambda: est.plugin_entropy(np.zeros((5, 2)), 1.0, num_mc=1), "num_mc"),
    (lambda: est.mutual_information_label(np.zeros((5, 2)), None, [0, 1], 0, 1.0), "labels"),
    (lambda: est.mutual_information_label(np.zeros((2, 2)), None, [0.0, np.nan], 0, 1.0),
     "labels has NaN"),
    (lambda: est.mutual_information_input(lambda x, l, seed: x, np.zeros((0, 3)), 0, 1.0),
     "x must be the inputs"),
    (lambda: est.mutual_information_input(lambda x, l, seed: x, np.zeros(5), 0, 1.0),
     "x must be the inputs"),
    (lambda: est.mutual_information_input(np.zeros((5, 2)), None, 1, 1.0, num_noise_draws=0),
     "num_noise_draws"),
    (lambda: est.plugin_entropy(np.zeros((5, 2)), "1.0"), "sigma"),
    (lambda: est.plugin_entropy(np.zeros((5, 2)), 1.0, num_mc=10, num_batches=20), "num_mc"),
    (lambda: est.plugin_entropy(np.zeros((5, 2)), 1.0, base=0.5), "base"),
])
def test_bad_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call()
