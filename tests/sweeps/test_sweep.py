"""Tests of sweep orchestration: the grid, resumption, settings, parallel workers, shards,
concurrent sweeps and kills (each fault injected on tiny data)."""

import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest

from echo_ib import errors
from echo_ib.sweeps import sweep
from echo_ib.training import results
from tests.helpers import tiny_config, write_config_file

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from configs import default  # noqa: E402

pytestmark = pytest.mark.slow  # trains models or starts processes


def _sweep_command(config_file, workdir, *flags):
    return [sys.executable, str(REPO / "experiments" / "sweep.py"), f"--config={config_file}",
            f"--workdir={workdir}", *flags]


def _keys(path):
    return sorted(results.point_key(r) for r in results.read_results(path))


def test_sweep_points_cover_the_grid_and_merge_repeats():
    config = default.get_config()
    config.sweep.methods = ["echo", "vae"]
    config.sweep.betas = [0.5, 1, 1.0, 0.5]
    config.sweep.seeds = [0, 1, 2, 1]
    points = sweep.sweep_points(config)
    assert len(points) == 2 * 2 * 3
    assert len({results.point_key(p) for p in points}) == len(points)


@pytest.mark.parametrize("text,expected", [("0/1", (0, 1)), ("2/4", (2, 4))])
def test_parse_shard(text, expected):
    assert sweep.parse_shard(text) == expected


@pytest.mark.parametrize("text", ["4/4", "1", "a/b", "-1/3"])
def test_bad_shards_are_named(text):
    with pytest.raises(errors.ConfigError, match="--shard"):
        sweep.parse_shard(text)


def test_rerun_skips_finished_points(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, **{"sweep.methods": ["vae"]})
    logs = []
    first = sweep.run_sweep(config, tmp_path, log=logs.append)
    again = sweep.run_sweep(config, tmp_path, log=logs.append)
    assert first == again
    summary = [line for line in logs if line.startswith("sweep")][-1]
    assert "1 already in" in summary and "0 to train" in summary


def test_other_settings_are_refused_with_results_or_checkpoints(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, **{"sweep.methods": ["vae"]})
    sweep.run_sweep(config, tmp_path / "done", log=lambda *a: None)
    config.sweep.betas = [1.0, 2.0]  # a wider grid is fine...
    config.epochs = 2  # ...other training settings are not
    with pytest.raises(errors.WorkdirError, match="epochs: 1 -> 2"):
        sweep.run_sweep(config, tmp_path / "done", log=lambda *a: None)
    # A workdir with a checkpoint but no results yet (a point killed mid-training).
    started = tmp_path / "started"
    (started / "points" / "p").mkdir(parents=True)
    (started / "points" / "p" / "checkpoint.npz").write_bytes(b"")
    (started / "config.json").write_text(tiny_config(tiny_data_dir).to_json())
    with pytest.raises(errors.WorkdirError, match="epochs: 1 -> 2"):
        sweep.run_sweep(config, started, log=lambda *a: None)


def test_a_workdir_from_before_a_new_field_resumes_at_its_default(tiny_data_dir, tmp_path):
    """A sweep recorded before echo.f_bound existed is the same experiment at f_bound = 1:
    its finished point is reused, not retrained; at f_bound = 10 it is refused."""
    config = tiny_config(tiny_data_dir, **{"sweep.methods": ["vae"]})
    first = sweep.run_sweep(config, tmp_path, log=lambda *a: None)
    old = json.loads((tmp_path / "config.json").read_text())
    del old["echo"]["f_bound"]
    (tmp_path / "config.json").write_text(json.dumps(old))
    logs = []
    assert sweep.run_sweep(config, tmp_path, log=logs.append) == first
    assert "1 already in" in [line for line in logs if line.startswith("sweep")][-1]
    config.echo.f_bound = 10.0
    with pytest.raises(errors.WorkdirError, match="echo.f_bound: None -> 10.0"):
        sweep.run_sweep(config, tmp_path, log=lambda *a: None)


def test_diverged_points_are_named_after_the_others_finish(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, learning_rate=1e6, **{
        "sweep.methods": ["vae"], "sweep.betas": [1.0]})
    with pytest.raises(errors.DivergenceError, match="1 point.s. diverged"):
        sweep.run_sweep(config, tmp_path, log=lambda *a: None)
    assert not (tmp_path / "results.jsonl").exists()


def test_parallel_sweep_is_identical_to_a_serial_one(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, **{"sweep.methods": ["echo", "vae"]})
    serial = sweep.run_sweep(config, tmp_path / "serial", parallel=1, log=lambda *a: None)
    parallel = sweep.run_sweep(config, tmp_path / "parallel", parallel=2, log=lambda *a: None)
    assert len(serial) == len(parallel) == 2
    key = results.point_key
    for a, b in zip(sorted(serial, key=key), sorted(parallel, key=key)):
        for field in ("test_rate", "test_distortion", "train_rate", "train_distortion"):
            assert a[field] == b[field], field  # bit for bit


def test_sweep_killed_by_a_signal_loses_no_finished_point(tiny_data_dir, tmp_path):
    config = tiny_config(tiny_data_dir, epochs=2, **{"sweep.methods": ["vae"]})
    command = _sweep_command(write_config_file(tmp_path / "c.py", config), tmp_path / "w",
                             "--betas=0.5,1,2")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results_path = tmp_path / "w" / "results.jsonl"
    deadline = time.time() + 180
    while time.time() < deadline and process.poll() is None:
        if results_path.exists() and results_path.read_text().count("\n") >= 1:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    first = results_path.read_text().splitlines()
    assert 1 <= len(first) < 3, "the kill should land between the first and last point"
    config.sweep.betas = [0.5, 1.0, 2.0]  # the re-run, here (the kill was the real process's)
    sweep.run_sweep(config, tmp_path / "w", log=lambda *a: None)
    lines = results_path.read_text().splitlines()
    assert lines[: len(first)] == first  # finished points untouched
    assert sorted(json.loads(line)["beta"] for line in lines) == [0.5, 1.0, 2.0]  # each once
    assert (tmp_path / "w" / "rate_distortion.png").stat().st_size > 0


def test_concurrent_sweeps_and_shards_train_each_point_once(tiny_data_dir, tmp_path):
    """Two shards and a whole-grid sweep at once on one workdir: each point trained and
    recorded once; a process announces only the points it trains."""
    config = tiny_config(tiny_data_dir, **{"sweep.methods": ["vae"],
                                           "sweep.betas": [0.5, 1.0, 2.0, 4.0]})
    config_file = write_config_file(tmp_path / "c.py", config)
    workdir = tmp_path / "w"
    runs = [subprocess.Popen(_sweep_command(config_file, workdir, *flags),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for flags in (["--shard=0/2"], ["--shard=1/2"], [])]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    lines = (workdir / "results.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["beta"] for line in lines) == [0.5, 1.0, 2.0, 4.0]
    trained = [line for out in outputs for line in out.splitlines()
               if re.match(r"\[\d+/\d+\] .*: test rate", line) and "another process" not in line]
    assert len(trained) == 4  # no point trained twice, whatever the interleaving
    announced = [line for out in outputs for line in out.splitlines()
                 if re.match(r"\[\d+/\d+\] training ", line)]
    assert len(announced) == 4, outputs


def _children(pid):
    """Pids whose parent is `pid` (from /proc/<pid>/stat's fourth field)."""
    found = set()
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid):
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_workers_exit_when_the_parallel_parent_is_killed(tiny_data_dir, tmp_path):
    """A killed parent leaves no orphans; a re-run records every point exactly once."""
    config = tiny_config(tiny_data_dir, epochs=6, **{"sweep.methods": ["vae"],
                                                      "sweep.betas": [1.0, 2.0, 4.0]})
    command = _sweep_command(write_config_file(tmp_path / "c.py", config), tmp_path / "w",
                             "--parallel=2")
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline and not list((tmp_path / "w").glob("points/*/checkpoint.npz")):
        time.sleep(0.1)
    workers = _children(parent.pid)
    assert workers, "the parent should have spawned its workers"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "workers outlived their parent"
    sweep.run_sweep(config, tmp_path / "w", log=lambda *a: None)  # the re-run, serially here
    assert _keys(tmp_path / "w" / "results.jsonl") == sorted(
        ("mnist", "vae", "mlp", b, 0) for b in (1.0, 2.0, 4.0))


def test_a_two_field_grid_names_records_and_resumes_its_points(tiny_data_dir, tmp_path):
    """config.sweep.grid and config.sweep.zipped: every combination trained once, its values
    in the record, the point name and the results key; a re-run trains nothing."""
    config = tiny_config(tiny_data_dir, **{
        "sweep.methods": ["vae"], "sweep.betas": [1.0],
        "sweep.grid": [("latent_dim", [2, 3])],
        "sweep.zipped": [(("batch_size", "learning_rate"), [(50, 1e-3), (25, 2e-3)])]})
    points = sweep.sweep_points(config)
    assert [(p.latent_dim, p.batch_size, p.learning_rate) for p in points] == [
        (2, 50, 1e-3), (2, 25, 2e-3), (3, 50, 1e-3), (3, 25, 2e-3)]
    logs = []
    records = sweep.run_sweep(config, tmp_path, log=logs.append)
    assert sorted((r["swept"]["latent_dim"], r["swept"]["batch_size"]) for r in records) == [
        (2, 25), (2, 50), (3, 25), (3, 50)]
    assert all(r["latent_dim"] == r["swept"]["latent_dim"] for r in records)
    names = sorted(p.name for p in (tmp_path / "points").iterdir())
    assert "mnist-vae-mlp-beta1-seed0-latent_dim2-batch_size25-learning_rate0.002" in names
    assert len(names) == 4
    again = []
    sweep.run_sweep(config, tmp_path, log=again.append)
    assert "4 already in" in again[0] and "0 to train" in again[0]
    assert (tmp_path / "rate_distortion.png").stat().st_size > 0


@pytest.mark.parametrize("grid,message", [
    ([("latent_dmi", [2])], "config.latent_dmi, which is not a config field"),
    ([("beta", [1.0])], "config.sweep.betas"),
    ([("latent_dim", [2]), ("latent_dim", [3])], "sets config.latent_dim twice"),
    ([("latent_dim", [])], "no values"),
    (["latent_dim"], "expected a (dotted field, [values]) pair"),
])
def test_bad_grids_are_named(grid, message):
    config = default.get_config()
    config.sweep.grid = grid
    with pytest.raises(errors.ConfigError, match=re.escape(message)):
        sweep.validate_sweep_config(config)


def test_a_field_set_by_the_grid_and_the_command_line_is_refused(tmp_path):
    config = default.get_config()
    config.sweep.grid = [("latent_dim", [16, 32])]
    for field, phrases in (("beta", ["--config.beta", "config.sweep.betas", "--betas"]),
                           ("latent_dim", ["--config.latent_dim", "config.sweep.grid"])):
        with pytest.raises(errors.ConfigError) as raised:
            sweep.validate_sweep_config(config, overridden=[field])
        for phrase in phrases:
            assert phrase in str(raised.value)
    # The entry point passes what the command line set: one paragraph, exit status 2.
    run = subprocess.run(_sweep_command(write_config_file(tmp_path / "c.py", config),
                                        tmp_path / "w", "--config.method=nope"),
                         capture_output=True, text=True)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    for phrase in ("--config.method", "config.sweep.methods", "--methods"):
        assert phrase in run.stderr, (phrase, run.stderr)
    assert not (tmp_path / "w" / "points").exists()  # nothing started


def test_ctrl_c_on_a_parallel_sweep_is_one_line_and_exit_130(tiny_data_dir, tmp_path):
    """Workers print per-epoch progress naming their point; SIGINT ends the parent and its
    workers with exit status 130, one line that says re-running resumes, no traceback.
    5,000 epochs, so that the sweep is still running when the signal comes however slowly
    this test is scheduled (with 50, one run of the suite on a loaded machine got exit
    status 0: the sweep had ended)."""
    config = tiny_config(tiny_data_dir, epochs=5000, **{"sweep.methods": ["vae"],
                                                       "sweep.betas": [1.0, 2.0]})
    command = _sweep_command(write_config_file(tmp_path / "c.py", config), tmp_path / "w",
                             "--parallel=2")
    # Started as from a terminal, with Ctrl-C's default action, whatever the suite inherited:
    # a suite run in the background by a non-interactive shell ignores SIGINT, and a Python
    # started with SIGINT ignored keeps ignoring it (the exec keeps SIG_DFL).
    restore = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
               "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")
    process = subprocess.Popen([sys.executable, "-c", restore, *command[1:]],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    progress = []
    deadline = time.time() + 240
    while time.time() < deadline:
        line = process.stdout.readline()
        progress.append(line)
        if "epoch 2/5000" in line or not line:
            break
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        # Say which processes outlived the signal, and end them: left running, they would
        # train 5,000 epochs beside the rest of the suite.
        alive = subprocess.run(["ps", "-o", "pid,ppid,stat,etime,args", "-s", str(process.pid)],
                               capture_output=True, text=True).stdout
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"the sweep was still running 60 s after SIGINT:\n{alive}\n"
                    f"stderr: {err[-2000:]}")
    assert any(re.search(r"mnist-vae-mlp-beta[12]-seed0 epoch \d+/5000", line)
               for line in progress), progress
    assert process.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert "re-run the same command to resume" in err
