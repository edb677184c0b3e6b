r"""The Ray executor's overhead: one sweep of 8 points of about a minute each, trained
`--parallel=2` on this machine and as Ray tasks on a two-node cluster started on
127.0.0.1 (one CPU a node, tests/ray_cluster.py), in one run; the ratio of wall times.

    python benchmarks/ray_overhead.py [--epochs=20] [--output=results/ray_overhead.json]

The points: the β-VAE on the bundled MNIST (configs/mnist_bundled_sweep.py: 7,000 training
images, mlp, latent 32) at 8 values of β, a fixed number of epochs, no early stopping and
no IWAE bound, so that every point does the same work on both sides. Both sides start
from an empty workdir; the wall time runs from the call until every record is written
(the Ray side includes connecting to the cluster and its workers' start-up, not starting
the cluster). Run it on an otherwise idle machine.
"""

import json
import pathlib
import platform
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "experiments"))

import os  # noqa: E402

from tests import ray_cluster  # noqa: E402

os.environ.update(ray_cluster.LOOPBACK)  # before Ray is imported: a loopback driver

import _cli  # noqa: E402
from absl import flags  # noqa: E402

from configs import mnist_bundled_sweep  # noqa: E402
from echo_ib.sweeps import ray_executor, sweep  # noqa: E402

_EPOCHS = flags.DEFINE_integer("epochs", 20, "Epochs a point (about 2.5 s each on one core).")
_OUTPUT = flags.DEFINE_string("output", "results/ray_overhead.json", "Where the numbers go.")


def _cpu_model():
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main():
    config = mnist_bundled_sweep.get_config()
    config.sweep.methods = ["vae"]
    config.sweep.betas = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
    config.epochs = _EPOCHS.value
    config.early_stopping.patience = 0
    config.iwae_samples = 0
    config.save_model = False
    config.tensorboard = False
    numbers = {"points": 8, "epochs_per_point": config.epochs, "cpu": _cpu_model(),
               "cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        start = time.perf_counter()
        local = sweep.run_sweep(config, folder / "local", parallel=2, log=print)
        numbers["local_parallel2_seconds"] = round(time.perf_counter() - start, 1)
        cluster = ray_cluster.LoopbackCluster(nodes=2).start()
        try:
            start = time.perf_counter()
            ray = sweep.run_sweep(config, folder / "ray", log=print,
                                  executor=ray_executor.RayExecutor(cluster.address))
            numbers["ray_two_nodes_seconds"] = round(time.perf_counter() - start, 1)
        finally:
            cluster.stop()
    assert len(local) == len(ray) == 8
    numbers["mean_point_seconds_local"] = round(sum(r["wall_seconds"] for r in local) / 8, 1)
    numbers["mean_point_seconds_ray"] = round(sum(r["wall_seconds"] for r in ray) / 8, 1)
    numbers["ratio_ray_over_local"] = round(
        numbers["ray_two_nodes_seconds"] / numbers["local_parallel2_seconds"], 3)
    print(json.dumps(numbers, indent=1))
    output = REPO / _OUTPUT.value
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(numbers, indent=1) + "\n")


if __name__ == "__main__":
    _cli.run(main)
