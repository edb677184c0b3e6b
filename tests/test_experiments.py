"""The absl entry points run as a user runs them: results, reruns, and clean errors."""

import json
import pathlib
import subprocess
import sys

import pytest

from tests import entry_points
from tests.helpers import tiny_config, write_config_file

pytestmark = pytest.mark.slow  # trains models or starts processes

REPO = pathlib.Path(__file__).resolve().parents[1]
_run = entry_points.run  # a fresh process per run (tests/entry_points.py)


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
                   "--config.dataset=binary_mnist", "--config.download=False")
    _assert_clean_error(missing, "binarized_mnist_train.amat", "Looked in", str(tmp_path),
                        "download=False", "curl -L -o")


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


def test_file_system_mistakes_empty_lists_and_bad_plane_settings_exit_2(tmp_path):
    """A workdir that is a file or lies under one, an empty --betas, and a negative σ for
    the information plane: one paragraph and exit status 2, not a traceback or a run."""
    sweep_config = str(REPO / "configs" / "fashion_mnist_sweep.py")
    plane_config = str(REPO / "configs" / "info_plane_twelve_bit.py")
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    _assert_clean_error(_run("train.py", f"--config={sweep_config}", f"--workdir={a_file}"),
                        f"cannot use {a_file}", "choose another --workdir")
    _assert_clean_error(_run("info_plane.py", f"--config={plane_config}",
                             f"--workdir={a_file / 'sub'}"), "cannot use", "--workdir")
    empty = _run("sweep.py", f"--config={sweep_config}", f"--workdir={tmp_path / 'w'}",
                 "--betas=")
    _assert_clean_error(empty, "--betas is empty")
    assert not (tmp_path / "w").exists()  # the config's full grid did not start
    _assert_clean_error(_run("info_plane.py", f"--config={plane_config}",
                             f"--workdir={tmp_path / 'p'}", "--config.sigma=-0.1"),
                        "config.sigma = -0.1")
    # A field before --config=, and a list field set from the command line (a tuple).
    _assert_clean_error(_run("info_plane.py", "--config.widths=(10,0)",
                             f"--config={plane_config}", f"--workdir={tmp_path / 'p'}"),
                        "config.widths = [10, 0]: expected a non-empty list of integers")
    gated_vae = _run("train.py", f"--config={sweep_config}", f"--workdir={tmp_path / 'v'}",
                     "--config.method=vae", "--config.echo.gate=hard_concrete")
    _assert_clean_error(gated_vae, "config.echo.gate = 'hard_concrete' applies to echo only")


def test_quiet_with_the_users_log_level_and_help_lists_every_field(tmp_path):
    """TF_CPP_MIN_LOG_LEVEL=3, common in job scripts, must not bring back TensorFlow's
    start-up lines; --help names every config field with its default and meaning."""
    import os
    from echo_ib.info_plane import schema as info_plane_schema
    from echo_ib.training import config_schema
    sweep_config = str(REPO / "configs" / "fashion_mnist_sweep.py")
    typo = subprocess.run(
        [sys.executable, str(REPO / "experiments" / "train.py"), f"--config={sweep_config}",
         f"--workdir={tmp_path}", "--config.echo.max_term=5"],
        capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    _assert_clean_error(typo, "unknown config field 'max_term'")
    assert len(typo.stderr.strip().splitlines()) == 1, typo.stderr
    for script, fields in (("train.py", config_schema.FIELDS),
                           ("info_plane.py", info_plane_schema.FIELDS)):
        shown = _run(script, "--help")
        assert shown.returncode == 0, shown.stderr[-2000:]
        for field in fields:
            assert f"config.{field.path} " in shown.stdout, (script, field.path)
        assert "--config.<field>=<value>" in shown.stdout


def test_sigterm_is_reported_as_ctrl_c_is(tiny_data_dir, tmp_path):
    """A cluster pre-empting a job sends SIGTERM: one line saying the run resumes, exit
    status 143 (128 + 15), no traceback."""
    import signal
    import time
    config = tiny_config(tiny_data_dir, method="vae", epochs=100)
    args = [f"--config={write_config_file(tmp_path / 'c.py', config)}",
            f"--workdir={tmp_path / 'w'}"]
    process = subprocess.Popen([sys.executable, str(REPO / "experiments" / "train.py"), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (tmp_path / "w" / "checkpoint.npz").exists():
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 143, err[-2000:]
    assert "terminated (SIGTERM)" in err and "re-run the same command to resume" in err, err
    assert "Traceback" not in err, err[-2000:]


def test_a_clone_named_like_the_package_does_not_shadow_it(tmp_path):
    """From the parent of a clone named echo_ib, Python sees that folder as a namespace
    package unless the installed package wins: `echo_ib.data` must be the library's."""
    (tmp_path / "echo_ib").symlink_to(REPO, target_is_directory=True)
    run = subprocess.run([sys.executable, "-c", "from echo_ib import data; print(data.load)"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and "function load" in run.stdout, run.stderr[-2000:]


def test_paper_comparison_table_averages_common_seeds_and_gaps_every_seed(tmp_path):
    """Cells average the seeds every model ran; echo's gaps cover each seed echo ran, with ·
    where the other model did not run it. A column may read two files (the first wins a
    model and seed both hold); a model with a density but no recorded bound is "not
    measured", echo's missing bound is —."""
    def write(name, points, iwae=True):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(
            json.dumps({"method": m, "seed": s, "beta": 1.0, "latent_dim": 32,
                        "test_neg_elbo": elbo,
                        "test_iwae_nll": elbo - 2.0 if iwae and m != "echo" else None})
            + "\n" for m, s, elbo in points))

    write("paper_comparison/fashion_mnist.jsonl",
          [("echo", 0, 237.0), ("echo", 1, 238.0), ("vae", 0, 238.0), ("vae", 1, 238.5),
           ("flow", 0, 236.5)])
    write("paper_comparison/fashion_mnist_paper_schedule.jsonl",
          [("flow", 0, 235.0), ("vae", 1, 230.0)])
    write("echo_gate/fashion_mnist_paper_schedule.jsonl",
          [("echo", 0, 237.25), ("echo", 1, 237.5), ("vae", 0, 236.0), ("vae", 1, 236.5),
           ("echo", 0, 1.0)],
          iwae=False)
    run = _run("benchmarks/paper_comparison_table.py", f"--results={tmp_path}")
    assert run.returncode == 0, run.stderr[-2000:]
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[1:]
            for line in run.stdout.splitlines() if line.startswith("| ")}
    fast = {row: cells[0].rstrip(" |") for row, cells in rows.items()}
    assert fast["echo (gated)"] == "237.00 / —"
    assert fast["β-VAE"] == "238.00 / 236.00"
    assert fast["VAE, MAF prior"] == "**236.50** / 234.50"
    assert fast["VAE, VampPrior"] == "not run"
    assert "seed 0 (2 records of other seeds not averaged)" in run.stdout
    assert "β-VAE -1.00 / -0.50; VAE, MAF prior +0.50 / ·." in run.stdout
    paper = {row: cells[1].rstrip(" |") for row, cells in rows.items()}
    assert paper["echo (gated)"] == "237.25 / —"
    assert paper["β-VAE"] == "236.00 / not measured"
    assert paper["VAE, MAF prior"] == "**235.00** / 233.00"
    # The comparison's own seed-1 β-VAE (230.00) wins over the second file's (236.50).
    assert "β-VAE +1.25 / +7.50; VAE, MAF prior +2.25 / ·." in run.stdout


def test_record_study_merges_a_second_workdir_and_refuses_other_settings(tmp_path):
    """--merge keeps what the output holds, adds the workdir's new points once and the
    recorded config's axes name what the file holds (not the points a workdir's last sweep
    was still training); a workdir run with other settings is refused, the output
    untouched."""
    recorded = [json.loads(line) for line in
                (REPO / "results" / "paper_comparison" / "mnist.jsonl").read_text().splitlines()]
    echo0, vae0 = [next(r for r in recorded if r["method"] == m and r["seed"] == 0)
                   for m in ("echo", "vae")]
    vae1 = {**vae0, "seed": 1, "test_neg_elbo": vae0["test_neg_elbo"] + 1.0}
    config = {"latent_dim": 32, "early_stopping": {"patience": 20},
              "sweep": {"methods": ["echo", "vae"], "seeds": [0], "betas": [1.0], "grid": []}}

    def write(folder, records, **changes):
        folder.mkdir()
        (folder / "results.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in records))
        sweep = {**config["sweep"], **changes.pop("sweep", {})}
        (folder / "config.json").write_text(json.dumps({**config, **changes,
                                                        "sweep": sweep}))
        return folder

    stem = tmp_path / "out" / "study"
    first = _run("benchmarks/record_study.py", f"--workdir={write(tmp_path / 'a', [echo0, vae0])}",
                 f"--output={stem}")
    assert first.returncode == 0, first.stderr[-2000:]
    second = write(tmp_path / "b", [vae0, vae1], sweep={"methods": ["iaf", "vae"], "seeds": [1]})
    merged = _run("benchmarks/record_study.py", f"--workdir={second}", f"--output={stem}",
                  "--merge")
    assert merged.returncode == 0, merged.stderr[-2000:]
    lines = stem.with_suffix(".jsonl").read_text().splitlines()
    assert sorted((json.loads(x)["method"], json.loads(x)["seed"]) for x in lines) == [
        ("echo", 0), ("vae", 0), ("vae", 1)]
    sweep = json.loads(stem.with_suffix(".config.json").read_text())["sweep"]
    assert sweep["methods"] == ["echo", "vae"] and sweep["seeds"] == [0, 1]
    other = write(tmp_path / "c", [vae1], latent_dim=16)
    _assert_clean_error(_run("benchmarks/record_study.py", f"--workdir={other}",
                             f"--output={stem}", "--merge"), "['latent_dim']")
    assert stem.with_suffix(".jsonl").read_text().splitlines() == lines
    # A field added since (early_stopping.monitor) at its legacy value is the same
    # experiment; at another value it is not.
    legacy = write(tmp_path / "d", [vae1], early_stopping={"patience": 20,
                                                            "monitor": "neg_elbo"})
    same = _run("benchmarks/record_study.py", f"--workdir={legacy}", f"--output={stem}",
                "--merge")
    assert same.returncode == 0, same.stderr[-2000:]
    assert stem.with_suffix(".jsonl").read_text().splitlines() == lines  # vae1 once
    written = json.loads(stem.with_suffix(".config.json").read_text())
    assert written["early_stopping"] == {"patience": 20, "monitor": "neg_elbo"}  # kept
    changed = write(tmp_path / "e", [vae1], early_stopping={"patience": 20,
                                                             "monitor": "objective"})
    _assert_clean_error(_run("benchmarks/record_study.py", f"--workdir={changed}",
                             f"--output={stem}", "--merge"), "['early_stopping']")
    # Without --merge the output is the workdir's alone.
    replaced = _run("benchmarks/record_study.py", f"--workdir={second}", f"--output={stem}")
    assert replaced.returncode == 0, replaced.stderr[-2000:]
    assert len(stem.with_suffix(".jsonl").read_text().splitlines()) == 2
