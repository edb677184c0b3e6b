"""The absl entry points run as a user runs them: results, reruns, and clean errors."""

import json
import pathlib
import subprocess
import sys

from tests.helpers import tiny_config, write_config_file

REPO = pathlib.Path(__file__).resolve().parents[1]


def _run(script, *args):
    return subprocess.run([sys.executable, str(REPO / "experiments" / script), *args],
                          capture_output=True, text=True)


def _assert_clean_error(run, *phrases, code=2):
    """Exit status `code`, one paragraph naming the problem, no traceback."""
    assert run.returncode == code, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    for phrase in phrases:
        assert phrase in run.stderr, (phrase, run.stderr[-2000:])


def test_train_rerun_then_plot(tiny_data_dir, tmp_path):
    config_file = write_config_file(tmp_path / "tiny.py", tiny_config(tiny_data_dir))
    args = [f"--config={config_file}", f"--workdir={tmp_path / 'run'}", "--config.beta=0.5",
            "--config.method=vae"]
    trained = _run("train.py", *args)
    assert trained.returncode == 0, trained.stderr[-2000:]
    again = _run("train.py", *args)  # a finished point is reported, not retrained
    assert again.returncode == 0 and "already finished" in again.stdout, again.stdout
    lines = (tmp_path / "run" / "results.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["beta"] == 0.5
    plotted = _run("plot.py", f"--results={tmp_path / 'run' / 'results.jsonl'}",
                   f"--output={tmp_path / 'rd.png'}")
    assert plotted.returncode == 0, plotted.stderr[-2000:]
    assert (tmp_path / "rd.png").stat().st_size > 0
    # The same workdir under other settings is refused, naming what differs.
    _assert_clean_error(_run("train.py", *args[:-1], "--config.method=echo"),
                        "method: 'vae' -> 'echo'")


def test_user_errors_exit_2_without_a_traceback(tiny_data_dir, tmp_path):
    sweep_config = str(REPO / "configs" / "fashion_mnist_sweep.py")
    _assert_clean_error(_run("sweep.py", f"--config={sweep_config}", f"--workdir={tmp_path}",
                             "--betas=1,-2"), "every β must be a finite number >= 0")
    _assert_clean_error(_run("sweep.py", f"--config={sweep_config}", f"--workdir={tmp_path}",
                             "--config.train_size=-100"), "config.train_size = -100")
    _assert_clean_error(_run("sweep.py", f"--config={sweep_config}", f"--workdir={tmp_path}",
                             "--config.beta=abc"), "config.beta")
    _assert_clean_error(_run("plot.py", f"--results={tmp_path / 'missing.jsonl'}"),
                        "no results file")
    # Data that is not there: every place looked is named.
    config = tiny_config(tiny_data_dir, dataset="fashion_mnist", data_dir=str(tmp_path),
                         train_split="train", test_split="test", test_size=0)
    missing = _run("train.py", f"--config={write_config_file(tmp_path / 'c.py', config)}",
                   f"--workdir={tmp_path / 'w'}", "--config.train_split=train",
                   "--config.dataset=binary_mnist")
    _assert_clean_error(missing, "binarized_mnist_train.amat", "Looked in", str(tmp_path))


def test_divergence_exits_3_naming_the_point(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, method="vae", learning_rate=1e6)
    run = _run("train.py", f"--config={write_config_file(tmp_path / 'c.py', config)}",
               f"--workdir={tmp_path / 'w'}")
    _assert_clean_error(run, "mnist-vae-mlp-beta1-seed0 diverged at epoch 1",
                        "learning_rate=1000000.0", code=3)
    assert not (tmp_path / "w" / "results.jsonl").exists()


def test_config_typos_missing_files_and_help(tmp_path):
    """A typo in a config field and a --config file that is not there: one paragraph, exit
    status 2; --help: the flags, exit status 0; and no TensorFlow start-up noise."""
    sweep_config = str(REPO / "configs" / "fashion_mnist_sweep.py")
    typo = _run("train.py", f"--config={sweep_config}", f"--workdir={tmp_path}",
                "--config.echo.max_term=5")
    _assert_clean_error(typo, "unknown config field 'max_term'", "did you mean 'max_terms'")
    assert len(typo.stderr.strip().splitlines()) == 1, typo.stderr
    missing = _run("sweep.py", f"--config={tmp_path / 'missing.py'}", f"--workdir={tmp_path}")
    _assert_clean_error(missing, "could not load the --config file", "missing.py")
    assert len(missing.stderr.strip().splitlines()) == 1, missing.stderr
    study = str(REPO / "configs" / "studies" / "echo_gate_selection.py")
    bad_argument = _run("sweep.py", f"--config={study}:mnst", f"--workdir={tmp_path}")
    _assert_clean_error(bad_argument, "--config: echo_gate_selection takes one of", "'mnst'")
    shown = _run("train.py", "--help")
    assert shown.returncode == 0 and "--workdir" in shown.stdout, shown.stderr[-2000:]
    for run in (typo, missing, shown):
        assert "cuInit" not in run.stderr and "oneDNN" not in run.stderr, run.stderr
