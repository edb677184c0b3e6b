r"""Accuracy, coverage, speed and memory of the plug-in estimators (Goldfeld et al. 2019).

    .venv/bin/pip install scikit-learn   # only for the KernelDensity comparison
    python benchmarks/estimators.py [--quick] [--sections=accuracy,coverage,labels,speed,memory]

Markdown tables for BENCHMARKS.md:

1. accuracy: S ~ N(0, Σ), Σ = AAᵀ, A ~ 0.7·N(0, 1) (seeded), σ = 1, truth
   I(S; S + Z) = ½ log det(I + Σ/σ²); `mixture_information` = h(P̂_n * N_σ) − h(N_σ);
2. coverage: two centres Δ/σ apart (truth by 1-D quadrature), over many seeds: the share of
   estimates within 2 reported standard errors and the scatter of (estimate − truth)/s.e.,
   for echo_ib's estimator (Rao–Blackwellised terms, batch-means s.e.) and the textbook
   one (terms log N(t; s_C, σ²) − log q(t), iid s.e.), with the same draws budget;
3. labels: I(Y; T) of a noisy tanh layer on the 12-bit inputs, posterior form against the
   difference of separately estimated entropies, same draws budget, over seeds;
4. speed at equal standard error, d = 10: echo_ib against plain NumPy (a matrix product
   and scipy's logsumexp over the same stratified draws, −log q(t) averaged) and against
   `sklearn.neighbors.KernelDensity(bandwidth=σ).score_samples` (exact, tree-based; timed on
   a subset of the draws and scaled, as it is slow); each method gets the number of draws
   that gives the standard error of 40,000 plain draws (echo_ib's found by rescaling until
   its reported s.e. is within 5 % of it);
5. memory: peak RSS growth at n = 50,000 (d = 10) and at d = 2,000 (n = 500).
"""

import math
import os
import platform
import sys
import time

import numpy as np
import scipy.integrate
import scipy.special
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from echo_ib.estimators import plugin  # noqa: E402

_QUICK = flags.DEFINE_boolean("quick", False, "Smaller grids and fewer seeds (a smoke run).")
_SECTIONS = flags.DEFINE_list("sections", ["accuracy", "coverage", "labels", "speed", "memory"],
                              "Which tables to produce.")


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


def _draws(samples, sigma, num_mc, seed):
    rng = np.random.default_rng(seed)
    components = plugin._stratified_components(len(samples), num_mc, rng)
    return samples[components] + sigma * rng.standard_normal((num_mc, samples.shape[1]))


def plain_numpy(samples, sigma, draws, block_bytes=64 * 2**20):
    """−log q(t) per draw, q the mixture density: a matrix product and logsumexp in NumPy."""
    n, d = samples.shape
    norms = np.sum(samples**2, 1)
    rows = max(1, block_bytes // (8 * n))
    out = np.empty(len(draws))
    for start in range(0, len(draws), rows):
        t = draws[start:start + rows]
        d2 = np.maximum(np.sum(t**2, 1)[:, None] + norms[None] - 2 * t @ samples.T, 0.0)
        out[start:start + rows] = -(scipy.special.logsumexp(-d2 / (2 * sigma**2), axis=1)
                                    - math.log(n) - 0.5 * d * math.log(2 * math.pi * sigma**2))
    return out


def sklearn_kde(samples, sigma, draws):
    from sklearn.neighbors import KernelDensity

    return -KernelDensity(kernel="gaussian", bandwidth=sigma).fit(samples).score_samples(draws)


def _two_centre_truth(delta):
    def integrand(u):
        p = scipy.special.expit(delta * u - delta**2 / 2)
        return scipy.special.entr([p, 1 - p]).sum() * math.exp(-u * u / 2) / math.sqrt(2 * math.pi)

    value, _ = scipy.integrate.quad(integrand, -12, 12 + delta, points=[delta / 2], limit=400,
                                    epsabs=1e-14, epsrel=1e-12)
    return math.log(2) - value


def _textbook_two_centres(delta, num_mc, seed):
    """log N(t; s_C) − log q(t) with C, t drawn iid; iid standard error."""
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 2, num_mc)
    u = rng.standard_normal(num_mc)  # t = s_C + u along the axis
    other = np.where(c == 0, delta, -delta)
    # log N(t; s_C) − log ½(N(t; s_C) + N(t; s_other)) = log 2 − log(1 + exp(−((u−o)² − u²)/2))
    terms = math.log(2) - np.logaddexp(0.0, -((u - other) ** 2 - u**2) / 2)
    return terms.mean(), terms.std(ddof=1) / math.sqrt(num_mc)


def coverage_table(seeds):
    print(f"\n### Coverage of ±2 standard errors over {seeds} seeds (two centres, σ = 1)\n")
    print("| Δ/σ | truth I(C;T) (nats) | draws | estimator | within 2 s.e. | sd of (est − truth)/s.e. "
          "| reported s.e. / observed scatter |")
    print("|---|---|---|---|---|---|---|")
    for delta, num_mc in ((1.0, 2000), (3.0, 2000), (8.0, 200_000)):
        truth = _two_centre_truth(delta)
        centres = np.array([[0.0], [delta]])
        for name, run in (
                ("echo_ib (posterior terms, batch means)",
                 lambda s: plugin.mixture_information(centres, 1.0, num_mc=num_mc, seed=s)),
                ("textbook (log N − log q, iid s.e.)",
                 lambda s: _textbook_two_centres(delta, num_mc, s))):
            results = np.array([tuple(run(s)) for s in range(seeds)])
            z = (results[:, 0] - truth) / results[:, 1]
            print(f"| {delta:g} | {truth:.6f} | {num_mc} | {name} | {np.mean(np.abs(z) <= 2):.3f} "
                  f"| {np.std(z):.2f} | {np.mean(results[:, 1]) / np.std(results[:, 0]):.2f} |")


def labels_table(seeds):
    print(f"\n### I(Y;T) of a noisy tanh layer on the 12-bit inputs ({seeds} seeds)\n")
    from echo_ib import data

    x, y = data.load("twelve_bit", "all")
    weights = np.random.default_rng(11).normal(size=(12, 5))
    centres = np.tanh(x @ weights)
    h_y = math.log(2)
    print("| σ | draws | estimator | mean (nats) | sd over seeds | mean reported s.e. | "
          "max over seeds | H(Y) |")
    print("|---|---|---|---|---|---|---|---|")
    for sigma in (0.1, 0.5):
        num_mc = 20_000
        posterior = np.array([tuple(plugin.mutual_information_label(
            centres, None, y, 0, sigma, num_mc=num_mc, seed=s)) for s in range(seeds)])
        difference = []
        for s in range(seeds):
            whole = plugin.mixture_information(centres, sigma, num_mc=num_mc // 2, seed=s)
            parts = [plugin.mixture_information(centres[y == c], sigma, num_mc=num_mc // 4,
                                                seed=1000 + 2 * s + c) for c in (0, 1)]
            difference.append((whole.value - 0.5 * (parts[0].value + parts[1].value),
                               math.sqrt(whole.stderr**2 + 0.25 * sum(p.stderr**2 for p in parts))))
        difference = np.array(difference)
        for name, r in (("posterior E KL(p(y|t)‖p(y))", posterior),
                        ("difference I(C;T) − Σ p(y) I(C;T|y)", difference)):
            print(f"| {sigma} | {num_mc} | {name} | {r[:, 0].mean():.4f} | {r[:, 0].std(ddof=1):.4f} "
                  f"| {r[:, 1].mean():.4f} | {r[:, 0].max():.4f} | {h_y:.4f} |")
        ratio = difference[:, 0].var(ddof=1) / posterior[:, 0].var(ddof=1)
        print(f"| {sigma} | | variance ratio difference / posterior | {ratio:.1f}× | | | | |")


def speed_table(ns):
    print("\n### Speed at equal standard error, d = 10, σ = 1 "
          f"(TF intra-op threads: default; NumPy BLAS: default; {os.cpu_count()} cores)\n")
    print("| n | target s.e. (40,000 plain draws) | plain NumPy draws | NumPy (s) | sklearn "
          "KernelDensity (s, scaled) | echo_ib draws | echo_ib s.e. | echo_ib (s) | vs NumPy | "
          "vs sklearn |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in ns:
        samples, _ = _problem(10, n)
        plugin.mixture_information(samples[:64], 1.0, num_mc=128)  # warm the kernels
        draws = _draws(samples, 1.0, 40_000, seed=1)
        plain, plain_s, _ = _measure(lambda: plain_numpy(samples, 1.0, draws))
        target = plain.std(ddof=1) / math.sqrt(len(plain))
        subset = 2000
        _, sk_s, _ = _measure(lambda: sklearn_kde(samples, 1.0, draws[:subset]))
        sk_s *= 40_000 / subset  # same estimator as plain NumPy: same draws for that s.e.
        # echo_ib's draws for the target s.e.: from a 20,000-draw pilot's per-draw variance,
        # then rescaled until the achieved s.e. is within 5 % of the target.
        ours_mc = 20_000
        for _ in range(4):
            est, ours_s, _ = _measure(
                lambda: plugin.mixture_information(samples, 1.0, num_mc=ours_mc, seed=1))
            if abs(est.stderr / target - 1) <= 0.05:
                break
            ours_mc = max(40, int(math.ceil(ours_mc * (est.stderr / target) ** 2)))
        print(f"| {n} | {plain.std(ddof=1) / math.sqrt(len(plain)):.4f} | 40000 | {plain_s:.2f} | "
              f"{sk_s:.0f} | {ours_mc} | {est.stderr:.4f} | {ours_s:.2f} | "
              f"{plain_s / ours_s:.1f}× | {sk_s / ours_s:.0f}× |")


def accuracy_table(ns):
    print("\n### Accuracy against the Gaussian closed form (σ = 1, default 50,000 draws)\n")
    print("| d | n | truth I (nats) | estimate | error | reported s.e. | time (s) | "
          "peak RSS growth (MiB) |")
    print("|---|---|---|---|---|---|---|---|")
    for d in (2, 5, 10):
        for n in ns + ((65536,) if d == 10 and not _QUICK.value else ()):
            samples, truth = _problem(d, n)
            plugin.mixture_information(samples[:64], 1.0, num_mc=64)  # warm the kernels
            est, seconds, peak = _measure(
                lambda: plugin.mixture_information(samples, 1.0, seed=1))
            print(f"| {d} | {n} | {truth:.4f} | {est.value:.4f} | {est.value - truth:+.4f} | "
                  f"{est.stderr:.4f} | {seconds:.2f} | {peak / 2**20:.0f} |")


def memory_table():
    print("\n### Bounded memory\n")
    samples, truth = _problem(10, 50_000, seed=4)
    est, seconds, peak = _measure(lambda: plugin.mixture_information(samples, 1.0, seed=1))
    print(f"- n = 50,000, d = 10: estimate {est.value:.4f} (truth {truth:.4f}, s.e. "
          f"{est.stderr:.4f}) in {seconds:.1f} s, peak RSS growth {peak / 2**20:.0f} MiB (an n×n "
          f"float64 distance matrix would be {50_000**2 * 8 / 2**30:.0f} GiB)")
    wide = np.random.default_rng(9).normal(size=(500, 2000))
    est, seconds, peak = _measure(lambda: plugin.plugin_entropy(wide, 1.0, seed=0))
    print(f"- n = 500, d = 2,000, 50,000 draws: {seconds:.1f} s, peak RSS growth "
          f"{peak / 2**20:.0f} MiB (the draws alone would be {50_000 * 2000 * 8 / 2**20:.0f} MiB "
          "at once)")


def main(argv):
    del argv
    print(f"# estimators, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{len(os.sched_getaffinity(0))} cores, {platform.python_version()}")
    sections = set(_SECTIONS.value)
    quick = _QUICK.value
    if "accuracy" in sections:
        accuracy_table((1024, 4096) if quick else (1024, 4096, 16384))
    if "coverage" in sections:
        coverage_table(100 if quick else 1000)
    if "labels" in sections:
        labels_table(5 if quick else 20)
    if "speed" in sections:
        speed_table((4096,) if quick else (4096, 16384))
    if "memory" in sections:
        memory_table()


if __name__ == "__main__":
    app.run(main)
