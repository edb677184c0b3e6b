"""Slurm job arrays: the shards of every study's grid partition its points, and the array
template maps a task to its shard."""

import importlib
import os
import pathlib
import stat
import subprocess
import sys

import pytest

from echo_ib.sweeps import sweep
from echo_ib.training import results

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
STUDIES = sorted(p for p in (REPO / "configs" / "studies").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("study", STUDIES, ids=lambda p: p.stem)
def test_the_shards_of_every_study_partition_its_points(study):
    config = importlib.import_module(f"configs.studies.{study.stem}").get_config()
    everything = [results.point_key(p) for p in sweep.sweep_points(config)]
    assert len(set(everything)) == len(everything)
    for count in sorted({1, 2, 3, 7, len(everything), len(everything) + 1}):
        shards = [[results.point_key(p) for p in sweep.shard_points(config, (i, count))]
                  for i in range(count)]
        flat = [key for shard in shards for key in shard]
        assert len(flat) == len(set(flat)), f"a point in two of {count} shards"
        assert set(flat) == set(everything), f"a point in none of {count} shards"


@pytest.mark.parametrize("task,first,last,expected", [
    (0, 0, 7, "0/8"), (7, 0, 7, "7/8"), (5, 3, 6, "2/4")])
def test_the_array_template_gives_each_task_its_shard(tmp_path, task, first, last,
                                                      expected):
    """The template run as Slurm would, with a stand-in Python that prints its arguments."""
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "$@"; echo "threads=$OMP_NUM_THREADS"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "SLURM_ARRAY_TASK_ID": str(task), "SLURM_ARRAY_TASK_MIN": str(first),
           "SLURM_ARRAY_TASK_MAX": str(last), "SLURM_ARRAY_TASK_COUNT": str(last - first + 1),
           "SLURM_SUBMIT_DIR": str(tmp_path), "SLURM_CPUS_PER_TASK": "4"}
    run = subprocess.run(["bash", str(REPO / "experiments" / "slurm" / "sweep_array.sbatch"),
                          "configs/c.py", "runs/w", "--seeds=0,1"],
                         env=env, capture_output=True, text=True, check=True)
    assert run.stdout.split("\n")[0] == (
        f"experiments/sweep.py --config=configs/c.py --workdir=runs/w --shard={expected} "
        "--seeds=0,1")
    assert "threads=4" in run.stdout


def test_the_array_template_without_arguments_says_how_to_submit():
    run = subprocess.run(["bash", str(REPO / "experiments" / "slurm" / "sweep_array.sbatch")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "usage: sbatch --array" in run.stderr
