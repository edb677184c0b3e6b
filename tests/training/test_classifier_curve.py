"""The supervised bottleneck's curve: a point trains, saves its numbers as a record, the
entry point resumes and draws; bad settings are named."""

import json

import numpy as np
import pytest

from echo_ib import errors
from echo_ib.training import classifier
from tests import entry_points
from tests.helpers import write_config_file

pytestmark = pytest.mark.slow  # trains models or starts processes


def _config(folder):
    import sys
    import pathlib
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
    from configs import classifier_mnist
    config = classifier_mnist.get_config()
    config.data_dir = str(folder)
    config.train_split = config.test_split = "train"
    config.test_size, config.validation_size = 100, 50
    config.hidden, config.latent_dim, config.epochs, config.batch_size = (32,), 4, 2, 50
    config.betas, config.methods = (0.01,), ("echo", "vib")
    return config


@pytest.mark.parametrize("method", ["echo", "vib"])
def test_a_point_records_its_rate_error_and_cross_entropy(tiny_data_dir, method):
    config = _config(tiny_data_dir)
    record = classifier.train_classifier(config, method, 0.01, log=None)
    assert record["method"] == method and record["test_examples"] == 100
    assert record["train_examples"] == 250
    assert 0 <= record["test_error"] <= 1
    assert np.isclose(record["test_error"], 1 - record["test_accuracy"])
    # The rate is a KL (VIB) or a mutual information (echo): never negative, here finite.
    assert record["test_rate"] >= 0 and np.isfinite(record["test_cross_entropy"])
    json.dumps(record, allow_nan=False)


@pytest.mark.parametrize("method,beta,message", [
    ("dropout", 0.1, "method 'dropout'"), ("echo", -1.0, "beta = -1.0")])
def test_bad_settings_are_named(tiny_data_dir, method, beta, message):
    with pytest.raises(errors.ConfigError, match=message):
        classifier.train_classifier(_config(tiny_data_dir), method, beta, log=None)


def test_an_empty_grid_is_named_before_anything_trains(tiny_data_dir):
    config = _config(tiny_data_dir)
    config.betas = ()
    with pytest.raises(errors.ConfigError, match="config.betas is empty"):
        classifier.validate_config(config)


def test_the_entry_point_records_resumes_and_draws(tiny_data_dir, tmp_path):
    config_file = write_config_file(tmp_path / "c.py", _config(tiny_data_dir))
    args = [f"--config={config_file}", f"--workdir={tmp_path / 'w'}"]
    first = entry_points.run("classifier_curve.py", *args)
    assert first.returncode == 0, first.stderr[-2000:]
    lines = (tmp_path / "w" / "results.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["method"] for line in lines) == ["echo", "vib"]
    assert (tmp_path / "w" / "error_rate.png").stat().st_size > 0
    again = entry_points.run("classifier_curve.py", *args)
    assert "2 already in" in again.stdout and "0 to train" in again.stdout
    assert len((tmp_path / "w" / "results.jsonl").read_text().splitlines()) == 2
