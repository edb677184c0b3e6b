r"""One epoch of the FashionMNIST echo VAE (mlp and conv) and what its step is made of.

    python benchmarks/profile_epoch.py [--architectures=mlp,conv]

Times a full epoch (60,000 images, B = 100, dynamic binarization, the trainers' compile
settings), then splits one training step by ablation: encoder forward+backward, echo
channel forward+backward, decoder forward+backward with the Bernoulli loss, the Adam
update, and the input pipeline alone. Each part runs in its own tf.function over the same
shapes; the parts need not add up exactly to the fused step.
"""

import platform
import sys
import time

import keras
import numpy as np
import tensorflow as tf
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from configs import default  # noqa: E402
from echo_ib import data  # noqa: E402
from echo_ib.models import vae  # noqa: E402
from echo_ib.training import runtime  # noqa: E402

_ARCHS = flags.DEFINE_list("architectures", ["mlp", "conv"], "Architectures.")


def _median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, out)
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def main(argv):
    del argv
    images, _ = data.load("fashion_mnist", "train")
    print(f"# one epoch, FashionMNIST echo VAE, {time.strftime('%Y-%m-%d')}, "
          f"{platform.machine()}, 2 cores, TF {tf.__version__}")
    for arch in _ARCHS.value:
        config = default.get_config()
        config.architecture = arch
        jit = runtime.resolve_jit_compile(config)
        model = vae.build_vae("echo", arch, 32, 1.0, seed=0)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=jit)
        ds = data.make_dataset(images, 100, dynamic_binarization=True)
        model.fit(ds.take(5), epochs=1, verbose=0)  # trace and compile
        start = time.perf_counter()
        model.fit(ds, epochs=1, verbose=0)
        epoch = time.perf_counter() - start
        start = time.perf_counter()
        for _ in ds:
            pass
        pipeline = time.perf_counter() - start

        x = next(iter(ds))
        params = model.encoder(x)
        a, b = tf.split(params, 2, axis=-1)
        z, _ = model.channel((a, b))
        repeats = 50 if arch == "mlp" else 8

        @tf.function(jit_compile=jit)
        def encoder_part():
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(model.encoder(x) ** 2)
            return tape.gradient(loss, model.encoder.trainable_variables)

        @tf.function
        def channel_part():
            with tf.GradientTape() as tape:
                tape.watch([a, b])
                out, rate = model.channel((a, b))
                loss = tf.reduce_sum(out**2) + tf.reduce_sum(rate)
            return tape.gradient(loss, [a, b])

        @tf.function(jit_compile=jit)
        def decoder_part():
            with tf.GradientTape() as tape:
                logits = model.decoder(z)
                loss = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(x, logits))
            return tape.gradient(loss, model.decoder.trainable_variables)

        grads = [tf.zeros_like(v) for v in model.trainable_variables]

        @tf.function(jit_compile=jit)
        def optimizer_part():
            model.optimizer.apply(grads, model.trainable_variables)
            return tf.constant(0)

        parts = {"encoder fwd+bwd": encoder_part, "echo channel fwd+bwd": channel_part,
                 "decoder + loss fwd+bwd": decoder_part, "Adam update": optimizer_part}
        step = 1e3 * epoch / 600
        print(f"\n{arch} (whole-step XLA: {jit}): epoch {epoch:.1f} s = {step:.1f} ms/step; "
              f"input pipeline alone {pipeline:.1f} s/epoch")
        print("| part | ms | share of the step |")
        print("|---|---|---|")
        for name, fn in parts.items():
            ms = _median_ms(fn, repeats)
            print(f"| {name} | {ms:.2f} | {100 * ms / step:.0f}% |")


if __name__ == "__main__":
    app.run(main)
