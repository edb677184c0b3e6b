r"""Accuracy, speed and memory of the plug-in estimator (Goldfeld et al. 2019).

    python benchmarks/estimators.py [--quick]

Ground truth: S ~ N(0, Σ), Σ = AAᵀ with A ~ 0.7·N(0, 1) (seeded), T = S + N(0, σ² I), σ = 1:
I(S; T) = ½ log det(I + Σ/σ²). The estimate is `mixture_information(samples, σ)`
= h(P̂_n * N_σ) − h(N_σ). Tables (markdown) for BENCHMARKS.md:

1. error, reported standard error, wall time, peak RSS growth for d ∈ {2, 5, 10},
   n ∈ {1,024, 4,096, 16,384} (and 65,536 at d = 10, where the bias c^d n^{-1/2} shows);
2. speed at equal accuracy against a plain NumPy Monte Carlo reference (40,000 draws,
   iid components, no control variate) and against the bare pairwise products m·n·d;
3. the noisy-network setting: X uniform on n inputs, where the plug-in *is* the mixture
   entropy: agreement with an independent 400,000-draw reference evaluation;
4. bounded memory at n = 50,000.
"""

import math
import platform
import sys
import time

import numpy as np
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from echo_ib.estimators import _mixture, plugin  # noqa: E402

_QUICK = flags.DEFINE_boolean("quick", False, "Smaller grid (for a smoke run).")
_NUM_MC = flags.DEFINE_integer("num_mc", plugin.DEFAULT_NUM_MC,
                               "Monte Carlo draws of echo_ib's estimator.")


def _rss(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _measure(fn):
    """(result, seconds, peak RSS growth in bytes) of fn()."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = _rss("VmRSS")
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start, max(0, _rss("VmHWM") - base)


def _problem(d, n, seed=0):
    rng = np.random.default_rng(seed)
    a = 0.7 * rng.normal(size=(d, d))
    cov = a @ a.T
    samples = rng.multivariate_normal(np.zeros(d), cov, size=n)
    return samples, 0.5 * np.linalg.slogdet(np.eye(d) + cov)[1]


def reference_numpy(samples, sigma, num_mc, seed=0, block=256):
    """Plain Monte Carlo of h(P̂_n * N_σ) − h(N_σ) in NumPy: iid components, −log q(t)."""
    rng = np.random.default_rng(seed)
    n, d = samples.shape
    draws = samples[rng.integers(0, n, num_mc)] + sigma * rng.normal(size=(num_mc, d))
    values = np.empty(num_mc)
    for start in range(0, num_mc, block):
        t = draws[start:start + block]
        d2 = ((t[:, None, :] - samples[None, :, :]) ** 2).sum(-1)
        a = -d2 / (2 * sigma**2)
        peak = a.max(1, keepdims=True)
        log_q = (peak[:, 0] + np.log(np.exp(a - peak).sum(1)) - math.log(n)
                 - 0.5 * d * math.log(2 * math.pi * sigma**2))
        values[start:start + block] = -log_q
    h_noise = _mixture.gaussian_entropy(d, sigma)
    return values.mean() - h_noise, values.std(ddof=1) / math.sqrt(num_mc)


def _pairwise_products(samples, num_mc, block_bytes=64 * 2**20):
    """The unavoidable work: m·n inner products, in the same float64 blocks, no exp."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    queries = tf.constant(rng.normal(size=(num_mc, samples.shape[1])))
    centres = tf.constant(samples)
    rows = max(1, block_bytes // (8 * len(samples)))
    start = time.perf_counter()
    for s in range(0, num_mc, rows):
        tf.matmul(queries[s:s + rows], centres, transpose_b=True).numpy()
    return time.perf_counter() - start


def main(argv):
    del argv
    print(f"# estimators, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{len(__import__('os').sched_getaffinity(0))} cores; σ = 1, "
          f"{_NUM_MC.value} Monte Carlo draws")
    ns = (1024, 4096) if _QUICK.value else (1024, 4096, 16384)
    print("\n| d | n | truth I (nats) | estimate | error | reported s.e. | time (s) | "
          "peak RSS growth (MiB) |")
    print("|---|---|---|---|---|---|---|---|")
    for d in (2, 5, 10):
        for n in ns + ((65536,) if d == 10 and not _QUICK.value else ()):
            samples, truth = _problem(d, n)
            plugin.mixture_information(samples[:64], 1.0, num_mc=64)  # warm the kernels
            est, seconds, peak = _measure(
                lambda: plugin.mixture_information(samples, 1.0, num_mc=_NUM_MC.value, seed=1))
            print(f"| {d} | {n} | {truth:.4f} | {est.value:.4f} | {est.value - truth:+.4f} | "
                  f"{est.stderr:.4f} | {seconds:.2f} | {peak / 2**20:.0f} |")

    print("\n| d | n | reference: 40,000 plain draws, s.e. | reference time (s) | echo_ib draws "
          "for that s.e. | echo_ib s.e. | echo_ib time (s) | speed-up | bare m·n·d products (s) "
          "| echo_ib / products |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in ((4096,) if _QUICK.value else (4096, 16384)):
        samples, _ = _problem(10, n)
        (ref_value, ref_se), ref_seconds, _ = _measure(
            lambda: reference_numpy(samples, 1.0, 40_000))
        pilot = plugin.mixture_information(samples, 1.0, num_mc=2000, seed=5)
        draws = max(2, int(math.ceil((pilot.stderr * math.sqrt(2000) / ref_se) ** 2)))
        est, seconds, _ = _measure(
            lambda: plugin.mixture_information(samples, 1.0, num_mc=draws, seed=1))
        products = _pairwise_products(samples, draws)
        print(f"| 10 | {n} | {ref_se:.4f} (value {ref_value:.4f}) | {ref_seconds:.1f} | {draws} "
              f"| {est.stderr:.4f} (value {est.value:.4f}) | {seconds:.2f} | "
              f"{ref_seconds / seconds:.0f}× | {products:.3f} | {seconds / products:.1f}× |")

    print("\n| setting | n | d | σ | plug-in (nats) | s.e. | independent 400k-draw value | "
          "its s.e. | difference / combined s.e. |")
    print("|---|---|---|---|---|---|---|---|---|")
    rng = np.random.default_rng(11)
    weights = rng.normal(size=(12, 5))
    inputs = ((np.arange(4096)[:, None] >> np.arange(12)) & 1).astype(float)
    centres = np.tanh(inputs @ weights)
    for sigma in (0.1, 0.3):
        est = plugin.mixture_information(centres, sigma, num_mc=_NUM_MC.value, seed=2)
        ref, ref_se = reference_numpy(centres, sigma, 100_000 if _QUICK.value else 400_000,
                                      seed=3)
        z = (est.value - ref) / math.hypot(est.stderr, ref_se)
        print(f"| 12-bit inputs, tanh layer | 4096 | 5 | {sigma} | {est.value:.4f} | "
              f"{est.stderr:.4f} | {ref:.4f} | {ref_se:.4f} | {z:+.2f} |")

    samples, truth = _problem(10, 50_000, seed=4)
    est, seconds, peak = _measure(
        lambda: plugin.mixture_information(samples, 1.0, num_mc=_NUM_MC.value, seed=1))
    print(f"\nn = 50,000, d = 10: estimate {est.value:.4f} (truth {truth:.4f}, s.e. "
          f"{est.stderr:.4f}) in {seconds:.1f} s, peak RSS growth {peak / 2**20:.0f} MiB "
          f"(an n×n float64 distance matrix would be {50_000**2 * 8 / 2**30:.0f} GiB)")


if __name__ == "__main__":
    app.run(main)
