"""Run as a script (fresh process: logical devices must be set before TF starts).

Prints one JSON line comparing a single-device step with a MirroredStrategy step over two
logical CPU devices, for a Gaussian-channel VAE, and the metrics of mirrored echo training.
"""

import json
import sys

import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, sys.argv[1])
from distribute_helpers import UndividedLossVAE, build, x  # noqa: E402
from echo_ib.models import vae  # noqa: E402


data = tf.data.Dataset.from_tensor_slices(x).batch(16)
mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
single_model, mirrored_model = build(tf.distribute.get_strategy()), build(mirrored)
mirrored_model.set_weights(single_model.get_weights())
single_logs = single_model.fit(data, epochs=1, verbose=0).history
mirrored_logs = mirrored_model.fit(data, epochs=1, verbose=0).history
weight_error = max(float(np.max(np.abs(a - b))) for a, b in
                   zip(single_model.get_weights(), mirrored_model.get_weights()))
initial = build(tf.distribute.get_strategy()).get_weights()
step = [a - b for a, b in zip(single_model.get_weights(), initial)]
moved = max(float(np.max(np.abs(s))) for s in step)
# The mutation: the same mirrored step without dividing the loss by the replica count.
mutant = build(mirrored, UndividedLossVAE)
mutant.set_weights(initial)
mutant.fit(data, epochs=1, verbose=0)
mutant_error = max(float(np.max(np.abs(a - b))) for a, b in
                   zip(single_model.get_weights(), mutant.get_weights()))

with mirrored.scope():
    echo_model = vae.build_vae("echo", "mlp", latent_dim=4, beta=1.0)
    echo_model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=False)
echo_logs = echo_model.fit(tf.data.Dataset.from_tensor_slices(x).batch(8, drop_remainder=True),
                           epochs=1, verbose=0).history
print(json.dumps({
    "replicas": mirrored.num_replicas_in_sync,
    "weight_error": weight_error, "weights_moved": moved, "mutant_error": mutant_error,
    "single": {k: v[-1] for k, v in single_logs.items()},
    "mirrored": {k: v[-1] for k, v in mirrored_logs.items()},
    "echo": {k: v[-1] for k, v in echo_logs.items()},
}))
