"""A saved point reloads as the README says and reproduces its recorded numbers."""

import json
import pathlib
import subprocess
import sys

import pytest

from echo_ib.training import evaluation, trainer
from tests import entry_points
from tests.helpers import tiny_config

pytestmark = pytest.mark.slow  # trains models or starts processes

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gated_point(tiny_data_dir, tmp_path_factory):
    """A tiny gated echo point with a rate warm-up, trained for two epochs."""
    config = tiny_config(tiny_data_dir, epochs=2, rate_warmup_epochs=1,
                         **{"echo.gate": "hard_concrete", "echo.gate_init": 0.0})
    workdir = tmp_path_factory.mktemp("gated_point")
    logs = []
    record = trainer.train_and_evaluate(config, workdir, log=logs.append)
    return workdir, record, logs


def test_the_record_says_which_gate_and_how_many_dimensions_stayed_on(gated_point):
    workdir, record, _ = gated_point
    assert record["gate"] == "hard_concrete" and record["rate_warmup_epochs"] == 1
    assert 0 <= record["active_dimensions"] <= 4
    assert 0 <= record["floor_dimensions"] <= record["active_dimensions"]
    history = json.loads((workdir / "history.json").read_text())
    assert [h["active_dimensions"] for h in history][-1] == record["active_dimensions"]


def test_reevaluating_the_saved_model_reproduces_the_recorded_numbers(gated_point):
    workdir, record, _ = gated_point
    out = evaluation.reevaluate(workdir, seeds=[1])
    for split in ("test", "val"):
        for key in ("rate", "distortion", "neg_elbo"):
            assert out["reevaluated"][split][key] == pytest.approx(record[f"{split}_{key}"],
                                                                   rel=1e-5)
    assert out["other_seeds"][1] != pytest.approx(record["test_neg_elbo"], rel=1e-9)


@pytest.fixture(scope="module")
def vae_point(tiny_data_dir, tmp_path_factory):
    """A tiny β-VAE point trained for one epoch with the IWAE bound at k = 20."""
    config = tiny_config(tiny_data_dir, method="vae", iwae_samples=20)
    workdir = tmp_path_factory.mktemp("vae_point")
    return workdir, trainer.train_and_evaluate(config, workdir, log=lambda line: None)


def test_reevaluating_the_iwae_bound_reproduces_the_recorded_one(vae_point):
    """The same k draws the same importance samples as training's evaluation did; another k
    gives another bound, which the record cannot confirm."""
    workdir, record = vae_point
    assert record["iwae_samples"] == 20
    same = evaluation.reevaluate(workdir, iwae_samples=20)["iwae"]
    assert same["recorded"] == record["test_iwae_nll"]
    assert same["reevaluated"] == pytest.approx(record["test_iwae_nll"], rel=1e-6)
    other = evaluation.reevaluate(workdir, iwae_samples=3)["iwae"]
    assert other["samples"] == 3 and other["recorded"] is None
    assert other["reevaluated"] != pytest.approx(record["test_iwae_nll"], rel=1e-6)
    # Bound ≤ −ELBO in expectation; with k = 3 the gap is large against the Monte Carlo error.
    assert other["reevaluated"] < record["test_neg_elbo"]
    assert "iwae" not in evaluation.reevaluate(workdir)
    for bad in (-1, 2.5, "20", True):
        with pytest.raises(ValueError, match="iwae_samples must be an integer >= 0"):
            evaluation.reevaluate(workdir, iwae_samples=bad)


def test_echo_has_no_iwae_bound_to_reevaluate(gated_point):
    workdir, _, _ = gated_point
    assert evaluation.reevaluate(workdir, iwae_samples=5)["iwae"]["reevaluated"] is None
    run = entry_points.run("evaluate.py", f"--point={workdir}", "--iwae_samples=5")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "test IWAE (k = 5): none, the channel has no density" in run.stdout


def test_the_readme_reload_line_works_as_written(gated_point):
    """README: reload model.keras "with keras.saving.load_model after import echo_ib"."""
    workdir, _, _ = gated_point
    code = ("import echo_ib, keras\n"
            f"model = keras.saving.load_model({str(workdir / 'model.keras')!r})\n"
            "print(type(model).__name__, model.channel.gate)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["VAE", "hard_concrete"]


def test_evaluate_entry_point_prints_both(gated_point):
    workdir, record, _ = gated_point
    run = entry_points.run("evaluate.py", f"--point={workdir}")
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"neg_elbo recorded {record['test_neg_elbo']:.4f}" in run.stdout
    assert "Traceback" not in run.stderr and "cuInit" not in run.stderr
    missing = entry_points.run("evaluate.py", f"--point={workdir / 'nothing'}")
    assert missing.returncode == 2 and "missing" in missing.stderr
    assert "Traceback" not in missing.stderr
    negative = entry_points.run("evaluate.py", f"--point={workdir}", "--iwae_samples=-1")
    assert negative.returncode == 2 and "--iwae_samples=-1" in negative.stderr
    assert "Traceback" not in negative.stderr


def test_evaluate_entry_point_prints_the_iwae_bound(vae_point):
    workdir, record = vae_point
    run = entry_points.run("evaluate.py", f"--point={workdir}", "--iwae_samples=20")
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"test IWAE (k = 20): recorded {record['test_iwae_nll']:.4f}, re-evaluated" in run.stdout


def test_a_run_that_ends_at_the_floor_says_so(tiny_data_dir, tmp_path):
    """S's logits start at +40 (S = clip, every dimension at −log(clip)) and a learning rate
    of 1e-12 keeps them there: the run must say that the channel is unused yet."""
    config = tiny_config(tiny_data_dir, method="echo", scale_bias_init=40.0,
                         learning_rate=1e-12, save_model=False)
    logs = []
    record = trainer.train_and_evaluate(config, tmp_path, log=logs.append)
    assert record["floor_dimensions"] == record["active_dimensions"] == 4
    assert record["collapsed"] == "floor"
    assert any("sit at the rate floor" in line and "rate_warmup_epochs" in line
               for line in logs), logs


def test_a_collapsed_point_is_named_by_how_it_collapsed():
    from echo_ib.training import evaluation
    assert evaluation.collapse({"rate": 0.0}, (0, 0)) == "rate"  # every gate closed
    assert evaluation.collapse({"rate": 0.01}, None) == "rate"  # posterior = prior
    assert evaluation.collapse({"rate": 5.69}, (32, 32)) == "floor"  # all open, unused
    assert evaluation.collapse({"rate": 20.0}, (25, 32)) is None
    assert evaluation.collapse({"rate": 20.0}, None) is None


def test_the_iwae_bound_reports_its_progress_by_tenths():
    """k = 1,000 on 10,000 test images takes minutes: the bound says how far it is, once
    per tenth of the batches, and reporting changes nothing it computes."""
    import ml_collections
    import numpy as np

    from echo_ib.models import vae

    model = vae.build_vae("vae", "mlp", latent_dim=2)
    images = (np.random.default_rng(0).random((50, 28, 28, 1)) < 0.3).astype(np.float32)
    config = ml_collections.ConfigDict({"iwae_samples": 2, "batch_size": 2, "seed": 0})
    calls = []
    bound = evaluation.iwae(model, images, config, progress=lambda *a: calls.append(a))
    # 25 batches of 2: a tenth ends after batches 3, 5, 8, 10, 13, 15, 18, 20, 23 and 25.
    assert calls == [(2 * b, 50) for b in (3, 5, 8, 10, 13, 15, 18, 20, 23, 25)]
    assert bound == evaluation.iwae(model, images, config)
    assert np.isfinite(bound)
    # A last partial batch is dropped, so it is neither bounded nor counted.
    calls.clear()
    with_remainder = np.concatenate([images, images[:1]])
    assert evaluation.iwae(model, with_remainder, config,
                           progress=lambda *a: calls.append(a)) == bound
    assert calls == [(2 * b, 50) for b in (3, 5, 8, 10, 13, 15, 18, 20, 23, 25)]
