"""The Ray executor on a real two-node cluster started on 127.0.0.1 (tests/ray_cluster.py):
every point recorded once, both nodes used, the records a serial run's; a node killed while
its point trains — the point is retried on the other node, resumes from its checkpoint and
is recorded once; Ctrl-C cancels the tasks and the same sweep resumes; a node that cannot
see the workdir is named."""

import os
import pathlib
import subprocess
import sys
import threading
import time

import pytest

from echo_ib import errors
from echo_ib.sweeps import ray_executor, sweep
from echo_ib.training import results
from tests import ray_cluster
from tests.helpers import tiny_config, write_config_file

pytestmark = pytest.mark.slow  # trains models or starts processes

REPO = pathlib.Path(__file__).resolve().parents[2]

# Before Ray is first imported: this process is the driver of a cluster on 127.0.0.1.
os.environ.update(ray_cluster.LOOPBACK)
pytest.importorskip("ray", reason="the ray extra (setup.sh installs it)")

_COMPARED = ("test_rate", "test_distortion", "train_rate", "train_distortion", "val_rate",
             "test_iwae_nll", "epochs_trained", "best_epoch")


@pytest.fixture(scope="module")
def cluster():
    import ray

    cluster = ray_cluster.LoopbackCluster(nodes=2).start()
    try:
        # One driver connection for the module (the executor uses it and leaves it open),
        # so the workers that imported TensorFlow serve the next test's tasks too.
        ray.init(address=cluster.address, logging_level="WARNING")
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        cluster.stop()


def _quiet(*args):
    pass


def _by_key(records):
    return {results.point_key(r): r for r in records}


def _assert_same_numbers(these, those):
    assert _by_key(these).keys() == _by_key(those).keys()
    for key, record in _by_key(these).items():
        for field in _COMPARED:
            assert record[field] == _by_key(those)[key][field], (key, field)


def _claimed_points(pids):
    """The points whose claim file one of `pids` holds open."""
    names = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.endswith("/.claim"):
                    names.add(pathlib.Path(target).parent.name)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return names


def test_ctrl_c_cancels_the_tasks_and_the_same_sweep_resumes(cluster, tiny_data_dir,
                                                             tmp_path):
    config = tiny_config(tiny_data_dir, epochs=4, **{
        "sweep.methods": ["vae"], "sweep.betas": [0.5, 1.0, 2.0]})
    workdir = tmp_path / "w"

    def interrupt_after_the_first_point(line):
        if line.startswith("[1/3]"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep.run_sweep(config, workdir, log=interrupt_after_the_first_point,
                        executor=ray_executor.RayExecutor(cluster.address))
    assert len((workdir / "results.jsonl").read_text().splitlines()) == 1
    deadline = time.time() + 30  # the cancelled tasks' processes release their claims
    while time.time() < deadline and _claimed_points(cluster.live_pids()):
        time.sleep(0.1)
    assert not _claimed_points(cluster.live_pids()), "a task outlived Ctrl-C"
    records = sweep.run_sweep(config, workdir, log=_quiet,
                              executor=ray_executor.RayExecutor(cluster.address))
    assert len((workdir / "results.jsonl").read_text().splitlines()) == 3
    assert len(_by_key(records)) == 3


def test_a_point_whose_node_dies_is_retried_elsewhere_resumed_and_recorded_once(
        cluster, tiny_data_dir, tmp_path, capfd):
    """A node is killed once its point has a checkpoint; a fresh node replaces it after."""
    config = tiny_config(tiny_data_dir, epochs=6, **{
        "sweep.methods": ["vae"], "sweep.betas": [1.0, 2.0]})
    workdir = tmp_path / "w"
    outcome = {}

    def drive():
        try:
            outcome["records"] = sweep.run_sweep(
                config, workdir, log=print, executor=ray_executor.RayExecutor(cluster.address))
        except BaseException as e:  # surfaced by the assertion below
            outcome["error"] = e

    driver = threading.Thread(target=drive)
    driver.start()
    killed, node = set(), cluster.live[-1]
    deadline = time.time() + 120
    try:
        while time.time() < deadline and not killed and driver.is_alive():
            on_node = _claimed_points(cluster.pids(node))
            if on_node and all((workdir / "points" / name / "checkpoint.npz").exists()
                               for name in on_node):
                cluster.kill_node(node)
                killed = on_node
            time.sleep(0.05)
        driver.join(timeout=180)
    finally:
        if node not in cluster.live:
            cluster.add_node()  # the cluster as the other tests expect it: two nodes
    assert killed, "the second node should have been killed while its point trained"
    assert "error" not in outcome, outcome.get("error")
    records = outcome["records"]
    lines = (workdir / "results.jsonl").read_text().splitlines()
    assert len(lines) == 2 and len(_by_key(records)) == 2  # each point once
    output = capfd.readouterr()
    text = output.out + output.err
    (name,) = killed
    assert f"{name}: resuming after epoch" in text, "the retry should resume its checkpoint"
    assert len({r["node"] for r in records}) == 1, "both points end on the surviving node"
    serial = sweep.run_sweep(config, tmp_path / "serial", log=_quiet)
    _assert_same_numbers(records, serial)  # the resumed point ends where it would have


def test_four_points_on_two_nodes_are_recorded_once_as_a_serial_run(cluster, tiny_data_dir,
                                                                   tmp_path):
    config = tiny_config(tiny_data_dir, epochs=2, **{
        "sweep.methods": ["vae"], "sweep.betas": [0.5, 1.0, 2.0, 4.0]})
    ray_records = sweep.run_sweep(config, tmp_path / "ray", log=_quiet,
                                  executor=ray_executor.RayExecutor(cluster.address))
    lines = (tmp_path / "ray" / "results.jsonl").read_text().splitlines()
    assert len(lines) == 4 and len(_by_key(ray_records)) == 4
    assert len({r["node"] for r in ray_records}) == 2, "both nodes should train points"
    serial = sweep.run_sweep(config, tmp_path / "serial", log=_quiet)
    _assert_same_numbers(ray_records, serial)


def test_the_entry_point_runs_a_sweep_on_a_local_ray_instance(tiny_data_dir, tmp_path):
    """`--executor=ray` without an address: a Ray instance on this machine for the sweep
    (the README's laptop command), on 127.0.0.1, stopped at the end."""
    config = tiny_config(tiny_data_dir, **{"sweep.methods": ["vae"], "sweep.betas": [0.5, 1.0]})
    workdir = tmp_path / "w"
    run = subprocess.run(
        [sys.executable, str(REPO / "experiments" / "sweep.py"),
         f"--config={write_config_file(tmp_path / 'c.py', config)}", f"--workdir={workdir}",
         "--executor=ray"],
        env=ray_cluster.environment(tmp_path / "home"), capture_output=True, text=True,
        timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    records = results.read_results(workdir / "results.jsonl")
    assert sorted(r["beta"] for r in records) == [0.5, 1.0]
    assert all("(ray node " in r["node"] for r in records)
    assert "training mnist-vae-mlp-beta0.5-seed0" in run.stdout + run.stderr  # forwarded


def test_a_node_that_cannot_see_the_workdir_is_named(monkeypatch, tmp_path):
    """The task's check, run where it would run on a node with another file system."""
    config = tiny_config(tmp_path, **{"sweep.methods": ["vae"]})
    monkeypatch.setattr(ray_executor, "_node_name", lambda: "elsewhere (ray node 0)")
    status, message = ray_executor._train_point_task(config.to_json(), str(tmp_path / "w"),
                                                     "token", verbose=False)
    assert status == "failed"
    assert "elsewhere" in message and str(tmp_path / "w") in message
    assert "every node" in message


@pytest.mark.parametrize("kwargs,message", [
    ({"address": 7}, "ray address"), ({"max_retries": -1}, "max_retries")])
def test_bad_executor_settings_are_named(kwargs, message):
    with pytest.raises(errors.ConfigError, match=message):
        ray_executor.RayExecutor(**kwargs)


def test_parallel_with_another_executor_is_refused(tmp_path):
    config = tiny_config(tmp_path)
    with pytest.raises(errors.ConfigError, match="parallel"):
        sweep.run_sweep(config, tmp_path, parallel=2,
                        executor=ray_executor.RayExecutor("127.0.0.1:1"))


class _RayWithALostCancel:
    """A stand-in for `ray` in which the first cancel of task "late" is lost (the task was
    being handed to a worker) and task "done" had ended before Ctrl-C."""

    def __init__(self):
        self.cancels = {"late": 0, "done": 0}
        self.ended = {"done"}

    def cancel(self, ref, force):
        assert force
        self.cancels[ref] += 1
        if ref == "late" and self.cancels[ref] >= 2:
            self.ended.add(ref)

    def wait(self, refs, num_returns, timeout):
        return [r for r in refs if r in self.ended], [r for r in refs if r not in self.ended]


def test_a_cancel_that_is_lost_is_repeated_until_the_task_has_ended():
    ray = _RayWithALostCancel()
    assert ray_executor._cancel(ray, ["late", "done"]) == []
    assert ray.ended == {"late", "done"}
    assert ray.cancels["late"] == 2


def test_a_local_cluster_after_ray_was_imported_without_the_loopback_flag_is_refused():
    code = ("import os, ray\n"
            "from echo_ib import errors\n"
            "from echo_ib.sweeps import ray_executor\n"
            "try:\n"
            "    ray_executor._import_ray(local=True)\n"
            "except errors.ConfigError as e:\n"
            "    print(e)\n")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=REPO, timeout=120)
    assert "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 before Ray is first imported" in run.stdout, (
        run.stdout + run.stderr[-2000:])
