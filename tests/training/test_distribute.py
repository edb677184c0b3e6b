"""A MirroredStrategy step over two logical CPU devices equals the single-device step."""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from echo_ib.training import runtime

pytestmark = pytest.mark.slow  # trains models or starts processes

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    out = subprocess.run([sys.executable, str(pathlib.Path(__file__).with_name(
        "distribute_check.py")), str(REPO)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# The two steps differ only in float32 summation order (a 16-row batch against two 8-row
# halves summed across replicas): each weight's update is lr · Σ_i g_i over 16 examples
# through a 4-layer network, whose rounding differs by a few ulps of the step per layer,
# far below 1e-3 of the step. A step that did not divide the loss by the 2 replicas moves
# the weights twice as far: its error is the step itself, 1000 times the tolerance.
_STEP_TOLERANCE = 1e-3


def test_mirrored_gaussian_step_matches_single_device(report):
    assert report["replicas"] == 2
    assert report["weights_moved"] > 1e-4  # the step did something...
    assert report["weight_error"] < _STEP_TOLERANCE * report["weights_moved"]  # ...the same
    for key in ("loss", "rate", "distortion", "elbo"):
        assert report["mirrored"][key] == pytest.approx(report["single"][key], rel=1e-5)


def test_the_undivided_loss_mutation_fails_the_mirrored_check(report):
    """The check has power: the step without the division by replicas is caught."""
    assert report["mutant_error"] > 0.5 * report["weights_moved"]
    assert report["mutant_error"] > 100 * _STEP_TOLERANCE * report["weights_moved"]


def test_mirrored_echo_training_reports_the_same_metrics(report):
    echo = report["echo"]
    assert set(echo) == {"loss", "rate", "distortion", "elbo"}
    assert np.isfinite(list(echo.values())).all()
    assert echo["elbo"] == pytest.approx(-(echo["rate"] + echo["distortion"]), rel=1e-5)


def test_unknown_strategy():
    with pytest.raises(ValueError, match="strategy"):
        runtime.make_strategy("tpu_pod")


def _free_ports(count):
    import socket

    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [str(s.getsockname()[1]) for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_two_workers_on_this_machine_take_the_single_worker_step(tmp_path):
    """config.strategy='multi_worker' with two real worker processes (TF_CONFIG over
    127.0.0.1): each worker sees half of the global batch, and after one SGD step both hold
    the weights of the single-worker step on the whole batch."""
    script = str(pathlib.Path(__file__).with_name("multi_worker_check.py"))
    ports = _free_ports(2)
    workers = [subprocess.Popen([sys.executable, script, str(REPO), str(tmp_path / f"w{i}.json"),
                                 str(i), *ports], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True) for i in (0, 1)]
    subprocess.run([sys.executable, script, str(REPO), str(tmp_path / "single.json"), "-1",
                    *ports], check=True, capture_output=True)
    for worker in workers:
        _, stderr = worker.communicate(timeout=300)
        assert worker.returncode == 0, stderr[-3000:]
    single, *pair = (json.loads((tmp_path / f"{name}.json").read_text())
                     for name in ("single", "w0", "w1"))
    assert [w["replicas"] for w in pair] == [2, 2] and single["replicas"] == 1
    for a, b in zip(*(w["weights"] for w in pair)):  # synchronous: one all-reduced update
        np.testing.assert_array_equal(a, b)
    step = [np.subtract(w, w0) for w, w0 in zip(single["weights"], single["initial"])]
    scale = max(np.max(np.abs(s)) for s in step)
    assert scale > 1e-4  # the step did something
    for worker in pair:
        assert worker["loss"] == pytest.approx(single["loss"], rel=1e-5)
        # The same update up to float32 summation order; a step on half the batch, or the
        # sum instead of the mean across workers, would be off by O(scale).
        error = max(np.max(np.abs(np.subtract(w, w0) - s)) for w, w0, s in
                    zip(worker["weights"], worker["initial"], step))
        assert error < _STEP_TOLERANCE * scale
        # ... and the check has power: without the division by the replica count, the
        # workers take twice the step.
        mutant_error = max(np.max(np.abs(np.subtract(w, w0) - s)) for w, w0, s in
                           zip(worker["mutant_weights"], worker["initial"], step))
        assert mutant_error > 0.5 * scale
