"""The absl entry points run as a user runs them."""

import json
import subprocess
import sys

from tests.training.test_sweep import REPO, tiny_config, tiny_data_dir  # noqa: F401


def _run(script, *args):
    return subprocess.run([sys.executable, str(REPO / "experiments" / script), *args],
                          capture_output=True, text=True)


def test_train_then_plot(tiny_data_dir, tmp_path):  # noqa: F811
    config_file = tmp_path / "tiny.py"
    config = tiny_config(tiny_data_dir, train_size=100, test_size=100)
    config_file.write_text("import ml_collections\ndef get_config():\n"
                           f"    return ml_collections.ConfigDict({config.to_dict()!r})\n")
    trained = _run("train.py", f"--config={config_file}", f"--workdir={tmp_path / 'run'}",
                   "--config.beta=0.5", "--config.method=vae")
    assert trained.returncode == 0, trained.stderr[-2000:]
    record = json.loads((tmp_path / "run" / "results.jsonl").read_text())
    assert (record["beta"], record["method"]) == (0.5, "vae")
    plotted = _run("plot.py", f"--results={tmp_path / 'run' / 'results.jsonl'}",
                   f"--output={tmp_path / 'rd.png'}")
    assert plotted.returncode == 0, plotted.stderr[-2000:]
    assert (tmp_path / "rd.png").stat().st_size > 0


def test_bad_flags_are_usage_errors(tmp_path):
    bad_beta = _run("sweep.py", f"--config={REPO / 'configs' / 'fashion_mnist_sweep.py'}",
                    f"--workdir={tmp_path}", "--betas=1,-2")
    assert bad_beta.returncode != 0
    assert "every β must be a finite number >= 0" in bad_beta.stderr
    no_results = _run("plot.py", f"--results={tmp_path / 'missing.jsonl'}")
    assert no_results.returncode != 0 and "no results" in no_results.stderr
