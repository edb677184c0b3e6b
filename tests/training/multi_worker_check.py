"""Run as a script: one worker of a two-worker MultiWorkerMirroredStrategy on 127.0.0.1, or
(with worker index -1) the single-worker reference. Writes the weights after one SGD step
of a Gaussian-channel VAE on a fixed batch of 16 images, as JSON, to the given path.

    python multi_worker_check.py REPO OUT.json INDEX PORT0 PORT1
"""

import json
import os
import sys

repo, out, index, ports = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:6]
if index >= 0:
    os.environ["TF_CONFIG"] = json.dumps({
        "cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
        "task": {"type": "worker", "index": index}})

import tensorflow as tf  # noqa: E402

sys.path.insert(0, repo)
sys.path.insert(0, os.path.dirname(__file__))
from distribute_helpers import UndividedLossVAE, build, x  # noqa: E402

from echo_ib.training import runtime  # noqa: E402

strategy = runtime.make_strategy("multi_worker" if index >= 0 else "default")
model = build(strategy)
initial = model.get_weights()
options = tf.data.Options()
options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
data = tf.data.Dataset.from_tensor_slices(x).batch(16).with_options(options)
logs = model.fit(data, epochs=1, verbose=0).history
# The mutation the test must catch: the same step without dividing the loss by the replicas.
mutant = build(strategy, UndividedLossVAE)
mutant.set_weights(initial)
mutant.fit(data, epochs=1, verbose=0)
with open(out, "w") as f:
    json.dump({"replicas": strategy.num_replicas_in_sync,
               "loss": float(logs["loss"][-1]),
               "weights": [w.tolist() for w in model.get_weights()],
               "mutant_weights": [w.tolist() for w in mutant.get_weights()],
               "initial": [w.tolist() for w in initial]}, f)
