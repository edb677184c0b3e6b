r"""The IWAE bound: the compiled graph against the plain eager loop, in one run.

    python benchmarks/iwae_speed.py [--methods=vae,flow,vamp,iaf,iaf_vamp] [--samples=1000]

`importance_weighted_nll_fn` builds the bound as one TensorFlow graph that encodes the
batch once, evaluates the prior's fixed part once (a VampPrior's K = 750 encoded
pseudo-inputs) and loops over passes of 10 draws. The plain alternative, written here, is
the eager loop over the same passes that calls the channel's prior at each one (what the
toolkit ran before). Both use the same draws; this prints their times on one batch of 100
FashionMNIST test images (untrained mlp models, latent 32), the ratio, and the largest
difference between the two bounds; then the VampPrior's log-density of one pass's draws
as a [batch, K, D] tensor against the two matrix products it is now.
"""

import platform
import sys
import time

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from echo_ib import data  # noqa: E402
from echo_ib.channels import gaussian  # noqa: E402
from echo_ib.models import vae  # noqa: E402

_METHODS = flags.DEFINE_list("methods", ["vae", "flow", "vamp", "iaf", "iaf_vamp"], "Methods.")
_SAMPLES = flags.DEFINE_integer("samples", 1000, "k, draws per image.")
_REPEATS = flags.DEFINE_integer("repeats", 3, "Timed repeats of each way (median).")
_PER_PASS = 10


def eager_bound(model, x, num_samples, seed):
    """The bound as a plain eager loop, the prior called at every pass."""
    mean, log_scale = tf.split(tf.cast(model.encoder(x), tf.float32), 2, axis=-1)
    log_weights = []
    for start in range(0, num_samples, _PER_PASS):
        k = min(_PER_PASS, num_samples - start)
        noise = tf.random.stateless_normal(tf.concat([[k], tf.shape(mean)], 0), [seed, start])
        z, log_q = model.channel.posterior_sample(mean, log_scale, noise)
        flat_z = tf.reshape(z, [-1, tf.shape(mean)[-1]])
        logits = tf.cast(model.decoder(flat_z), tf.float32)
        targets = tf.reshape(tf.broadcast_to(x, tf.concat([[k], tf.shape(x)], 0)),
                             tf.shape(logits))
        log_lik = -tf.reduce_sum(tf.reshape(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits),
            [tf.shape(flat_z)[0], -1]), axis=-1)
        log_prior = model.channel.prior_log_prob(flat_z)
        log_weights.append(tf.reshape(log_lik + log_prior, [k, -1]) - log_q)
    return -tfp.math.reduce_logmeanexp(tf.concat(log_weights, axis=0), axis=0)


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
    print("| method | eager loop (s) | compiled (s) | eager / compiled | max |difference| (nats) |")
    print("|---|---|---|---|---|")
    for method in _METHODS.value:
        model = vae.build_vae(method, "mlp", 32, 1.0, seed=0)
        compiled = vae.importance_weighted_nll_fn(model, k, samples_per_pass=_PER_PASS)
        eager_s, eager = _median_s(lambda: eager_bound(model, x, k, seed), _REPEATS.value)
        compiled_s, bound = _median_s(lambda: compiled(x, seed), _REPEATS.value)
        print(f"| {method} | {eager_s:.2f} | {compiled_s:.2f} | {eager_s / compiled_s:.1f} | "
              f"{np.max(np.abs(eager - bound)):.1e} |", flush=True)

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
