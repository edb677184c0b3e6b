r"""Training-step time of the same VAE with the echo channel and with the Gaussian channel.

    python benchmarks/echo_overhead.py [--architectures=mlp,conv] [--repeats=7] [--steps=30]

Both models are built identically but for the channel (B = 100, K = 100, latent 32),
compiled the same way, warmed up, then timed interleaved (echo, Gaussian, echo, …) for
`--repeats` blocks of `--steps` steps; the table reports medians over blocks. A second part
measures the echo series alone at B = 1,000, K = 100 and reports the peak memory TF's
allocator saw, against the B·D and B·K·D footprints. The last line printed is
`echo/gaussian step time ratio: <median>` (over all architectures' blocks).
"""

import json
import platform
import subprocess
import sys
import time

import numpy as np
import tensorflow as tf
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from configs import default  # noqa: E402
from echo_ib.channels import echo_series  # noqa: E402
from echo_ib.models import methods, vae  # noqa: E402
from echo_ib.training import runtime  # noqa: E402

_ARCHS = flags.DEFINE_list("architectures", ["mlp", "conv"], "Architectures to time.")
_REPEATS = flags.DEFINE_integer("repeats", 7, "Interleaved timing blocks.")
_STEPS = flags.DEFINE_integer("steps", 30, "Steps per block (conv: a third).")
_BATCH = flags.DEFINE_integer("batch_size", 100, "B.")
_TERMS = flags.DEFINE_integer("max_terms", 100, "K.")
_MEMORY = flags.DEFINE_bool("memory", True, "Also measure the series' memory against B "
                             "(one subprocess per B and variant, a few minutes).")
_MEMORY_CHILD = flags.DEFINE_integer("memory_child", 0, "Internal: measure memory at this B.")
_MEMORY_VARIANT = flags.DEFINE_enum("memory_variant", "lean", ["lean", "naive"], "Internal.")
_JIT = flags.DEFINE_enum("jit_compile", "auto", ["auto", "true", "false"],
                         "XLA for the whole train step; auto: as the trainers resolve it "
                         "(on for mlp, off for conv).")


def _jit(architecture):
    if _JIT.value == "auto":
        config = default.get_config()
        config.architecture = architecture
        return runtime.resolve_jit_compile(config)
    return _JIT.value == "true"


def _step_fn(method, architecture):
    import keras

    terms = {"max_terms": _TERMS.value} if "max_terms" in methods.settings(method) else {}
    model = vae.build_vae(method, architecture, latent_dim=32, seed=0, **terms)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=_jit(architecture))
    model.make_train_function()
    return model


def _time_block(model, batch, steps):
    start = time.perf_counter()
    for _ in range(steps):
        logs = model.train_function(iter([batch]))
    float(logs["loss"])  # wait for the last step
    return (time.perf_counter() - start) / steps


def _naive_series(f, log_s, perm, pos, offsets):
    """The [K, B, D] formulation (what the reference implementation's memory scales like)."""
    idx = tf.gather(perm, (pos[None, :] + offsets[:, None]) % tf.shape(f)[0])
    log_prod = tf.math.cumsum(tf.gather(log_s, idx), axis=0, exclusive=True)
    return tf.reduce_sum(tf.exp(log_prod) * tf.gather(f, idx), axis=0)


def _status_bytes(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _memory_child(batch, variant, dim=32, terms=100):
    """Runs in a fresh process: steady-state peak RSS growth (bytes) of noise + gradient.

    After a warm-up step (tracing and XLA compilation), the kernel's peak-RSS mark is
    reset (Linux `clear_refs` 5), so VmHWM − VmRSS is what three further steps needed.
    """
    rng = np.random.default_rng(0)
    f = tf.Variable(np.tanh(rng.normal(size=(batch, dim))).astype(np.float32))
    log_s = tf.Variable((np.log(0.8) + 0.1 * rng.normal(size=(batch, dim))).astype(np.float32))
    pattern = echo_series.echo_permutations(batch, terms, tf.constant([1, 2]))

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            if variant == "lean":
                eps = echo_series._series_xla(f, log_s, *pattern)
            else:
                eps = _naive_series(f, log_s, *pattern)
            loss = tf.reduce_sum(eps**2)
        return tape.gradient(loss, [f, log_s])

    tf.convert_to_tensor(step()[1]).numpy()  # trace, compile, first run
    with open("/proc/self/clear_refs", "w") as f_refs:
        f_refs.write("5")  # reset the peak-RSS mark (VmHWM) to the current RSS
    baseline = _status_bytes("VmRSS")
    start = time.perf_counter()
    for _ in range(3):
        grads = step()
    tf.convert_to_tensor(grads[1]).numpy()
    seconds = (time.perf_counter() - start) / 3
    peak = _status_bytes("VmHWM")
    print(json.dumps({"extra": peak - baseline, "seconds": seconds}))


def _memory_part():
    """Peak RSS growth against B (K = 100, D = 32), each point in a fresh process."""
    rows = []
    for batch in (4000, 16000, 64000):
        row = {"batch": batch}
        for variant in ("lean", "naive"):
            out = subprocess.run([sys.executable, __file__, f"--memory_child={batch}",
                                  f"--memory_variant={variant}"], capture_output=True, text=True,
                                 check=True).stdout.strip().splitlines()[-1]
            row[variant] = json.loads(out)
        rows.append(row)
    return rows


def main(argv):
    del argv
    if _MEMORY_CHILD.value:
        _memory_child(_MEMORY_CHILD.value, _MEMORY_VARIANT.value)
        return
    print(f"# echo overhead, {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}"
          f", {tf.config.threading.get_intra_op_parallelism_threads() or 'all'} threads, "
          f"TF {tf.__version__}, B={_BATCH.value}, K={_TERMS.value}, latent 32")
    ratios = []
    print("| architecture | whole-step XLA | echo step (ms) | Gaussian step (ms) | "
          "ratio (median of blocks) |")
    print("|---|---|---|---|---|")
    for architecture in _ARCHS.value:
        steps = _STEPS.value if architecture == "mlp" else max(3, _STEPS.value // 3)
        batch = tf.constant((np.random.default_rng(0).random((_BATCH.value, 28, 28, 1)) < 0.3)
                            .astype(np.float32))
        models = {m: _step_fn(m, architecture) for m in ("echo", "vae")}
        for model in models.values():
            _time_block(model, batch, 3)  # trace, compile, warm up
        times = {m: [] for m in models}
        for _ in range(_REPEATS.value):
            for m in ("echo", "vae"):
                times[m].append(_time_block(models[m], batch, steps))
        block_ratios = np.array(times["echo"]) / np.array(times["vae"])
        ratios.extend(block_ratios)
        print(f"| {architecture} | {_jit(architecture)} | {1e3 * np.median(times['echo']):.2f} | "
              f"{1e3 * np.median(times['vae']):.2f} | {np.median(block_ratios):.3f} |")
    rows = _memory_part() if _MEMORY.value else []
    mib = 2.0**20
    if rows:
        print("\n| B (K=100, D=32) | lean: peak RSS growth (MiB) | lean (ms) | naive [K,B,D]: "
              "peak RSS growth (MiB) | naive (ms) | one B·D array (MiB) | one B·K·D array "
              "(MiB) |")
        print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['batch']} | {r['lean']['extra'] / mib:.1f} | {1e3 * r['lean']['seconds']:.1f} "
              f"| {r['naive']['extra'] / mib:.1f} | {1e3 * r['naive']['seconds']:.1f} "
              f"| {r['batch'] * 128 / mib:.2f} | {r['batch'] * 12800 / mib:.0f} |")
    print(f"echo/gaussian step time ratio: {np.median(ratios):.3f}")


if __name__ == "__main__":
    app.run(main)
