r"""The IWAE bound: compiled into one graph against the same code run eagerly, in one run.

    python benchmarks/iwae_speed.py [--methods=vae,flow,vamp,iaf,iaf_vamp] [--samples=1000]

`importance_weighted_nll_fn` builds the bound as one TensorFlow graph that encodes the
batch once, evaluates the prior's fixed part once (a VampPrior's K = 750 encoded
pseudo-inputs) and loops over passes of 10 draws. The plain alternative is the same
function run op by op (`tf.config.run_functions_eagerly`). This prints both times on one
batch of 100 FashionMNIST test images (untrained mlp models, latent 32), the ratio and the
largest difference between the two bounds; then the VampPrior's log-density of one pass's
draws as a [batch, K, D] tensor against the two matrix products it is now.
"""

import platform
import sys
import time

import numpy as np
import tensorflow as tf
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from echo_ib import data  # noqa: E402
from echo_ib.channels import gaussian  # noqa: E402
from echo_ib.models import vae  # noqa: E402

_METHODS = flags.DEFINE_list("methods", ["vae", "flow", "vamp", "iaf", "iaf_vamp"], "Methods.")
_SAMPLES = flags.DEFINE_integer("samples", 1000, "k, draws per image.")
_REPEATS = flags.DEFINE_integer("repeats", 3, "Timed repeats of each way (median).")
_PER_PASS = 10


def eager(fn):
    """`fn` with every tf.function in it run op by op, as plain eager code."""
    def run(*args):
        tf.config.run_functions_eagerly(True)
        try:
            return fn(*args)
        finally:
            tf.config.run_functions_eagerly(False)
    return run


def broadcast_vamp_log_prob(prior, z):
    """The VampPrior's log p(z) through a [batch, K, D] tensor of Gaussian log-densities."""
    mean, log_scale = prior.components()
    log_q = gaussian.diagonal_gaussian_log_prob(z[:, None, :], mean[None], log_scale[None])
    return tf.reduce_logsumexp(log_q, axis=1) - np.log(prior.num_components)


def _median_s(fn, repeats):
    fn()  # warm up (and trace)
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn().numpy()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def main(argv):
    del argv
    images, _ = data.load("fashion_mnist", "test")
    x = tf.constant(images[:100].astype(np.float32))
    k, seed = _SAMPLES.value, 7
    print(f"# IWAE bound, one batch of 100 FashionMNIST test images, k = {k} in passes of "
          f"{_PER_PASS}; {time.strftime('%Y-%m-%d')}, {platform.machine()}, TF {tf.__version__}")
    print("| method | eager (s) | compiled (s) | eager / compiled | max |difference| (nats) |")
    print("|---|---|---|---|---|")
    for method in _METHODS.value:
        model = vae.build_vae(method, "mlp", 32, 1.0, seed=0)
        compiled = vae.importance_weighted_nll_fn(model, k, samples_per_pass=_PER_PASS)
        eager_s, by_op = _median_s(lambda: eager(compiled)(x, seed), _REPEATS.value)
        compiled_s, bound = _median_s(lambda: compiled(x, seed), _REPEATS.value)
        print(f"| {method} | {eager_s:.2f} | {compiled_s:.2f} | {eager_s / compiled_s:.1f} | "
              f"{np.max(np.abs(by_op - bound)):.1e} |", flush=True)

    prior = vae.build_vae("vamp", "mlp", 32, 1.0, seed=0).channel.prior
    z = tf.random.stateless_normal([100 * _PER_PASS, 32], [seed, 0])
    fixed = prior.log_prob_fn()
    graphs = {"[batch, K, D] tensor": tf.function(lambda z: broadcast_vamp_log_prob(prior, z)),
              "matrix products (float64)": tf.function(fixed)}
    print(f"\n# VampPrior log p(z), K = {prior.num_components}, on {z.shape[0]} draws "
          "(one pass), pseudo-inputs encoded beforehand for the matrix products")
    print("| form | ms (graph) | max |difference| (nats) |")
    print("|---|---|---|")
    reference = None
    for name, fn in graphs.items():
        ms, out = _median_s(lambda: fn(z), 5 * _REPEATS.value)
        reference = out if reference is None else reference
        print(f"| {name} | {1e3 * ms:.1f} | {np.max(np.abs(out - reference)):.1e} |")


if __name__ == "__main__":
    app.run(main)
