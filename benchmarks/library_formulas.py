r"""Our closed forms against the TFP / SciPy functions that provide them.

    python benchmarks/library_formulas.py [--repeats=7] [--calls=200]

For each formula, both versions are compiled the same way (tf.function with XLA, as the mlp
train step runs; forward and gradient where it trains) on the shapes of a training step
(B = 100, D = 32, 28×28 images; the IWAE's 100 samples), checked to agree, and timed
interleaved for `--repeats` blocks of `--calls` calls; the table gives medians over
blocks and the ratio library / ours. The label entropy is NumPy against SciPy on 4,096
labels.
"""

import platform
import subprocess
import time

import numpy as np
import scipy.stats
import tensorflow as tf
import tensorflow_probability as tfp
from absl import app, flags

tfd = tfp.distributions

_REPEATS = flags.DEFINE_integer("repeats", 7, "Interleaved timing blocks.")
_CALLS = flags.DEFINE_integer("calls", 200, "Calls per block.")


def _cpu():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        return next(l.split(":", 1)[1].strip() for l in out.splitlines()
                    if l.startswith("Model name"))
    except Exception:  # noqa: BLE001
        return platform.processor() or "unknown"


def _with_grad(fn, *args):
    @tf.function(jit_compile=True)
    def step():
        with tf.GradientTape() as tape:
            tape.watch(args)
            value = tf.reduce_mean(fn(*args))
        return value, tape.gradient(value, args)
    return step


def _time(fn, calls):
    fn()  # compiled and warm
    start = time.perf_counter()
    for _ in range(calls):
        out = fn()
    tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, out)
    return (time.perf_counter() - start) / calls * 1e3


def main(_):
    rng = np.random.default_rng(0)
    x = tf.constant((rng.random((100, 28, 28, 1)) < 0.3).astype(np.float32))
    logits = tf.constant(rng.normal(size=(100, 28, 28, 1)).astype(np.float32))
    mean = tf.constant(rng.normal(size=(100, 32)).astype(np.float32))
    log_scale = tf.constant(rng.normal(-1, 0.5, size=(100, 32)).astype(np.float32))
    z = tf.constant(rng.normal(size=(100, 32)).astype(np.float32))
    log_w = tf.constant(rng.normal(-100, 5, size=(100, 100)).astype(np.float32))

    pairs = {
        "Bernoulli log-likelihood [B]": (
            lambda x, l: -tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(
                labels=x, logits=l), axis=[1, 2, 3]),
            lambda x, l: tfd.Independent(tfd.Bernoulli(logits=l, dtype=tf.float32),
                                         reinterpreted_batch_ndims=3).log_prob(x),
            (x, logits)),
        "Gaussian KL to N(0, I) [B]": (
            lambda m, s: tf.reduce_sum(0.5 * (tf.square(m) + tf.exp(2.0 * s) - 1.0) - s, -1),
            lambda m, s: tf.reduce_sum(tfd.kl_divergence(
                tfd.Normal(m, tf.exp(s)), tfd.Normal(0.0, 1.0)), -1),
            (mean, log_scale)),
        "diagonal Gaussian log-density [B]": (
            lambda m, s: tf.reduce_sum(-0.5 * tf.square((z - m) * tf.exp(-s)) - s
                                       - 0.5 * np.log(2 * np.pi), -1),
            lambda m, s: tf.reduce_sum(tfd.Normal(m, tf.exp(s)).log_prob(z), -1),
            (mean, log_scale)),
        "log-mean-exp over 100 samples [B]": (
            lambda w: tf.reduce_logsumexp(w, axis=0) - np.log(100.0),
            lambda w: tfp.math.reduce_logmeanexp(w, axis=0),
            (log_w,)),
    }
    print(f"CPU: {_cpu()}; TF {tf.__version__}, TFP {tfp.__version__}")
    print("| formula | ours (ms) | library (ms) | library / ours | largest difference |")
    print("|---|---|---|---|---|")
    for name, (ours, library, args) in pairs.items():
        a, b = ours(*args).numpy(), library(*args).numpy()
        gap = float(np.max(np.abs(a - b)))
        f_ours, f_lib = _with_grad(ours, *args), _with_grad(library, *args)
        t_ours, t_lib = [], []
        for _ in range(_REPEATS.value):
            t_ours.append(_time(f_ours, _CALLS.value))
            t_lib.append(_time(f_lib, _CALLS.value))
        mo, ml = float(np.median(t_ours)), float(np.median(t_lib))
        print(f"| {name} | {mo:.4f} | {ml:.4f} | {ml / mo:.3f} | {gap:.2e} |")

    labels = rng.integers(0, 10, 4096)

    def ours_entropy():
        _, counts = np.unique(labels, return_counts=True)
        p = counts / counts.sum()
        return float(-np.sum(p * np.log(p)))

    def scipy_entropy():
        return float(scipy.stats.entropy(np.unique(labels, return_counts=True)[1]))

    t_ours, t_lib = [], []
    for _ in range(_REPEATS.value):
        for fn, out in ((ours_entropy, t_ours), (scipy_entropy, t_lib)):
            start = time.perf_counter()
            for _ in range(_CALLS.value):
                fn()
            out.append((time.perf_counter() - start) / _CALLS.value * 1e3)
    mo, ml = float(np.median(t_ours)), float(np.median(t_lib))
    print(f"| label entropy (4,096 labels, NumPy / SciPy) | {mo:.4f} | {ml:.4f} | "
          f"{ml / mo:.3f} | {abs(ours_entropy() - scipy_entropy()):.2e} |")


if __name__ == "__main__":
    app.run(main)
