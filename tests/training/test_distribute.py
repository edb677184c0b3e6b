"""A MirroredStrategy step over two logical CPU devices equals the single-device step."""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from echo_ib.training import trainer

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    out = subprocess.run([sys.executable, str(pathlib.Path(__file__).with_name(
        "distribute_check.py")), str(REPO)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_mirrored_gaussian_step_matches_single_device(report):
    assert report["replicas"] == 2
    assert report["weights_moved"] > 1e-4  # the step did something...
    assert report["weight_error"] < 1e-5 * max(1.0, report["weights_moved"])  # ...the same
    for key in ("loss", "rate", "distortion", "elbo"):
        assert report["mirrored"][key] == pytest.approx(report["single"][key], rel=1e-5)


def test_mirrored_echo_training_reports_the_same_metrics(report):
    echo = report["echo"]
    assert set(echo) == {"loss", "rate", "distortion", "elbo"}
    assert np.isfinite(list(echo.values())).all()
    assert echo["elbo"] == pytest.approx(-(echo["rate"] + echo["distortion"]), rel=1e-5)


def test_unknown_strategy():
    with pytest.raises(ValueError, match="strategy"):
        trainer.make_strategy("tpu_pod")
