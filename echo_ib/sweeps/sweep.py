"""β-sweeps: the grid of points, resumption, parallel workers, shards; never a point twice.

`run_sweep(config, workdir)` trains every point of the grid `config.sweep.methods ×
config.sweep.grid × config.sweep.zipped × config.sweep.betas × config.sweep.seeds`
(`echo_ib.training.grid`; duplicates merged) that `<workdir>/results.jsonl`
does not hold yet, one `trainer.train_and_evaluate` per point in
`<workdir>/points/<point>/`, then draws `<workdir>/rate_distortion.png` from the results
file alone. What makes it safe to kill, re-run, run twice or spread over machines:

* **Claims.** A point is trained only by the process that holds an exclusive `flock` on
  `points/<point>/.claim`; a second sweep (or shard, or worker) on the same workdir skips
  claimed points, and re-reads the results under the claim, so no point is trained twice.
  The kernel drops a dead process's claim, so a killed point is picked up by the next run,
  which resumes it from its per-epoch checkpoint.
* **Records.** Whoever trains a point appends its record, under the file's lock and only if
  the point is not there yet (`results.append_once`); a crash between the point's
  `result.json` and the append is healed by the next run.
* **Settings.** `<workdir>/config.json` holds the sweep's settings; a run with other
  training settings is refused while the workdir holds any work (results, checkpoints or
  finished points). Every checkpoint also carries its point's fingerprint.
* **Executors.** `LocalExecutor` trains the points here: serially, or `parallel=N` worker
  processes that train and record points themselves and exit within a second when their
  parent dies (their point resumes on the next run). `ray_executor.RayExecutor` submits
  every point as a Ray task; the driver records them. **Shards** (`shard=(i, n)`) train
  points i, i+n, i+2n, … of the grid, so a cluster job array of n tasks
  (`experiments/slurm/sweep_array.sbatch`) covers the grid once, with the same guarantees.
* **Divergence.** A point whose loss becomes non-finite stops at once and records nothing;
  the sweep trains the other points and then raises `DivergenceError` naming every
  diverged point.
"""

import concurrent.futures
import copy
import fcntl
import json
import multiprocessing
import os
import pathlib
import signal
import socket
import threading
import time

import ml_collections

from echo_ib import errors
from echo_ib import plotting
from echo_ib.models import methods as methods_lib
from echo_ib.training import checkpoint as checkpoint_lib
from echo_ib.training import config_schema
from echo_ib.training import grid as grid_lib
from echo_ib.training import results as results_lib
from echo_ib.training import trainer

__all__ = ["LocalExecutor", "announcement", "parse_shard", "run_point", "run_sweep",
           "shard_points", "sweep_points", "validate_sweep_config"]


def validate_sweep_config(config, overridden=()):
    """Checks the grid and every point's training settings (`ConfigError` names the field).

    `overridden` lists the dotted fields the user set on the command line; one that the
    grid also sets is refused, naming both, rather than silently replaced by the grid."""
    if "sweep" not in config:
        raise errors.ConfigError("config.sweep is missing: a sweep config needs sweep.methods, "
                                 "sweep.betas and sweep.seeds.")
    grid = config.sweep
    for field in ("methods", "betas", "seeds"):
        if not list(grid[field]):
            raise errors.ConfigError(f"config.sweep.{field} is empty: the grid has no points.")
    for m in grid.methods:
        if m not in methods_lib.METHODS:
            raise errors.ConfigError(f"config.sweep.methods holds {m!r}: expected methods from "
                                     f"{tuple(methods_lib.METHODS)}.")
    for b in grid.betas:
        if not (config_schema._is_real(b) and b >= 0):
            raise errors.ConfigError(
                f"config.sweep.betas holds {b!r}: every β must be a finite number >= 0 (β "
                "weighs the rate; a negative β rewards information).")
    for s in grid.seeds:
        if not (config_schema._is_int(s) and s >= 0):
            raise errors.ConfigError(f"config.sweep.seeds holds {s!r}: expected integers >= 0.")
    for field in ("cpus_per_point", "gpus_per_point"):
        value = grid.get(field, 0 if field == "gpus_per_point" else 1)
        if not (config_schema._is_real(value) and value >= 0):
            raise errors.ConfigError(f"config.sweep.{field} = {value!r}: expected a number "
                                     ">= 0 (a fraction shares a CPU or GPU between points).")
    swept = dict.fromkeys(grid_lib.swept_fields(config), None)
    swept.update(grid_lib.BUILTIN_AXES)
    for field in overridden:
        if field in swept:
            axis = swept[field] or "sweep.grid"
            hint = (f" (use --{axis[6:]}=... to choose its values)"
                    if field in grid_lib.BUILTIN_AXES else "")
            raise errors.ConfigError(
                f"--config.{field} is also set by the sweep's grid (config.{axis}), which "
                f"would replace it for every point{hint}. Set it in one place.")
    config_schema.check_fields_apply(config, list(grid.methods), paths=list(overridden))
    for point in sweep_points(config):
        config_schema.validate_config(point)


def sweep_points(config):
    """The grid of point configs (`echo_ib.training.grid`): methods × grid × zipped × betas ×
    seeds in that nesting order; repeated values (β = 1 and 1.0, a seed listed twice) are
    merged, keeping the first."""
    points, seen = [], set()
    for assignment in grid_lib.points(config):
        point = copy.deepcopy(config)
        with point.unlocked():
            for field, value in assignment.items():
                grid_lib.set_field(point, field, value)
        key = results_lib.point_key(point)
        if key not in seen:
            seen.add(key)
            points.append(point)
    return points


def shard_points(config, shard):
    """The points shard (i, n) trains: points i, i+n, i+2n, … of `sweep_points(config)`, so
    that the n shards of a job array partition the grid."""
    index, count = shard
    return sweep_points(config)[index::count]


def announcement(config, who):
    """'[who] training <point> for up to N epochs': the line a worker or task prints as it
    starts a point."""
    return (f"[{who}] training {grid_lib.point_name(config)} for up to "
            f"{_epochs(config.epochs)}")


def _epochs(count):
    return f"{count} epoch" + ("" if count == 1 else "s")


def parse_shard(text):
    """'i/n' -> (i, n) with 0 <= i < n; `ConfigError` otherwise."""
    try:
        index, count = (int(part) for part in str(text).split("/"))
    except ValueError:
        index = count = None
    if index is None or not 0 <= index < count:
        raise errors.ConfigError(f"--shard={text!r}: expected i/n with 0 <= i < n, e.g. 0/4.")
    return index, count


class _Flock:
    """An exclusive `flock` on a file, held until `release` or the process's death."""

    def __init__(self, path, blocking):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "a")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            self._file.close()
            raise

    def release(self):
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()


def _holds_work(workdir):
    points = workdir / "points"
    return ((workdir / "results.jsonl").exists()
            or any(points.glob("*/checkpoint.npz")) or any(points.glob("*/result.json")))


def _check_same_experiment(config, workdir):
    """Refuses a workdir that holds work of other training settings; records ours."""
    lock = _Flock(workdir / ".config.lock", blocking=True)
    try:
        path = workdir / "config.json"
        current = json.loads(config.to_json_best_effort())
        if path.exists() and _holds_work(workdir):
            ignore = ("sweep.", "method", "beta", "seed", *grid_lib.swept_fields(config))
            changed = checkpoint_lib.differences(
                config_schema.omit_legacy_fields(json.loads(path.read_text()), point=False),
                config_schema.omit_legacy_fields(current, point=False),
                ignore=ignore)
            if changed:
                raise errors.WorkdirError(
                    f"{workdir} holds a sweep with other settings ({changed}); its results or "
                    "checkpoints would be mixed with this run's. Use a new workdir (or the "
                    "old settings to resume).")
        checkpoint_lib.write_atomic(path, config.to_json_best_effort(indent=2))
    finally:
        lock.release()


def run_point(config, workdir, log, announce=None, record=True, node=None):
    """Claims and trains one point of a sweep; returns (status, record_or_message).

    The status is "trained" (with its record), "done" (another process recorded it; that
    record), "busy" (another process holds its claim; its name) or "diverged" (the
    message; nothing recorded). Executors (`echo_ib.sweeps.ray_executor`) call this on
    the machine that trains.

    Args:
      config: the point's config.
      workdir: the sweep's workdir (the point trains in `points/<point>/` inside it).
      log: a print-like function for the point's progress lines, or None for silence.
      announce: called with no argument once the point is claimed and found unfinished,
        just before it trains (the progress line saying so).
      record: append the record to `results.jsonl` here; False leaves it to the caller.
      node: the machine named in the record's `node` field; default: this host's name.
    """
    name = grid_lib.point_name(config)
    point_dir = workdir / "points" / name
    results_path = workdir / "results.jsonl"
    try:
        claim = _Flock(point_dir / ".claim", blocking=False)
    except BlockingIOError:
        return "busy", name
    try:
        key = results_lib.point_key(config)
        for done in results_lib.read_results(results_path):
            if results_lib.point_key(done) == key:
                return "done", done
        if announce is not None:
            announce()
        try:
            result = trainer.train_and_evaluate(config, point_dir, verbose=int(log is not None),
                                                log=log)
        except errors.DivergenceError as e:
            return "diverged", str(e)
        result = {**result, "node": node or socket.gethostname()}
        if record:
            results_lib.append_once(results_path, result)
        return "trained", result
    finally:
        claim.release()


def _watch_parent(parent_pid):
    """Ends this worker process within a second once its parent has died."""
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)  # the point's checkpoint stays; the next run resumes it

    threading.Thread(target=watch, daemon=True).start()


def _start_worker(parent_pid):
    """Worker start-up: Ctrl-C is the parent's to handle (it stops the workers), and the
    worker ends when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(parent_pid)


def _worker_log(message):
    print(message, flush=True)


def _run_point_in_worker(config_json, workdir, verbose):
    # TF's default thread pools, as in the serial path: the same reduction order, so the
    # same bits as a serial run (thread counts change how Eigen splits sums). Progress lines
    # name their point, so the workers' interleaved lines stay readable.
    config = ml_collections.ConfigDict(json.loads(config_json))

    def announce():
        _worker_log(announcement(config, f"worker {os.getpid()}"))

    return run_point(config, pathlib.Path(workdir), log=_worker_log if verbose else None,
                      announce=announce if verbose else None)


class LocalExecutor:
    """Trains a sweep's points on this machine: one after another (`parallel=1`, in this
    process) or `parallel` at a time, each in its own worker process, which records its own
    results (bit-identical to a serial run: the workers use TF's default thread pools)."""

    name = "local"

    def __init__(self, parallel=1):
        if isinstance(parallel, bool) or not isinstance(parallel, int) or parallel < 1:
            raise errors.ConfigError(f"parallel = {parallel!r}: expected an integer >= 1.")
        self.parallel = parallel

    def describe(self):
        return f"{self.parallel} at a time" if self.parallel > 1 else ""

    def run(self, config, points, workdir, report, log):
        """Trains `points`; calls `report(point, status, detail)` as each ends."""
        del config  # every point carries its own settings
        if self.parallel == 1:
            for number, point in enumerate(points, 1):
                def announce(point=point, number=number):
                    log(f"[{number}/{len(points)}] training {grid_lib.point_name(point)} "
                        f"for up to {_epochs(point.epochs)}")
                report(point, *run_point(point, workdir, log, announce=announce))
            return
        if not points:
            return
        context = multiprocessing.get_context("spawn")
        pool = concurrent.futures.ProcessPoolExecutor(
            self.parallel, mp_context=context, initializer=_start_worker,
            initargs=(os.getpid(),))
        try:
            futures = {pool.submit(_run_point_in_worker, p.to_json(), str(workdir),
                                   log is not None): p for p in points}
            for future in concurrent.futures.as_completed(futures):
                report(futures[future], *future.result())
        except BaseException:
            # Ctrl-C or an error: stop the workers now (their points keep their last
            # epoch's checkpoint and resume on the next run) instead of waiting for them.
            for process in multiprocessing.active_children():  # the pool's workers
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()


def run_sweep(config, workdir, parallel=1, shard=(0, 1), log=print, overridden=(),
              executor=None):
    """Trains every unfinished point of the sweep grid (this shard's) and draws the plot.

    Args:
      config: a sweep ConfigDict (training fields plus `sweep.methods/betas/seeds`).
      workdir: where results.jsonl, config.json, points/ and rate_distortion.png live.
      parallel: points trained at once on this machine, each in its own worker process
        (`LocalExecutor`). Workers use TF's default thread pools, so on a machine with few
        cores the gain is small. Default value: 1.
      shard: (i, n): train only points i, i+n, … of the grid. Default value: (0, 1).
      log: a print-like function for progress lines.
      overridden: the dotted fields set on the command line (see `validate_sweep_config`).
      executor: what trains the points: an object with `run(config, points, workdir,
        report, log)` and `describe()`, e.g. `ray_executor.RayExecutor`; default
        `LocalExecutor(parallel)`.

    Returns:
      All records in the results file after the sweep.

    Raises:
      ConfigError, WorkdirError: bad settings, or a workdir holding other settings' work.
      DivergenceError: after the other points, naming every point that diverged.
      SweepError: after the other points, naming every point whose task failed (a node
        that cannot see the workdir, a worker that died more often than retried).
    """
    validate_sweep_config(config, overridden)
    if executor is None:
        executor = LocalExecutor(parallel)
    elif parallel != 1:
        raise errors.ConfigError(f"parallel = {parallel!r} applies to the local executor only; "
                                 f"the {executor.name} executor decides how many points run "
                                 "at once.")
    index, count = shard
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    _check_same_experiment(config, workdir)
    results_path = workdir / "results.jsonl"
    points = shard_points(config, shard)
    done = {results_lib.point_key(r) for r in results_lib.read_results(results_path)}
    todo = [p for p in points if results_lib.point_key(p) not in done]
    where = f" (shard {index}/{count})" if count > 1 else ""
    how = executor.describe()
    log(f"sweep{where}: {len(points)} points, {len(points) - len(todo)} already in "
        f"{results_path}, {len(todo)} to train" + (f" ({how})" if how else ""))

    outcomes = []

    def report(point, status, detail):
        outcomes.append((status, detail))
        name, number = grid_lib.point_name(point), f"[{len(outcomes)}/{len(todo)}]"
        if status in ("trained", "done"):
            note = "" if status == "trained" else " (finished by another process)"
            log(f"{number} {name}: test rate {detail['test_rate']:.2f}, distortion "
                f"{detail['test_distortion']:.2f}, −ELBO {detail['test_neg_elbo']:.2f} nats "
                f"({detail['wall_seconds']:.0f} s){note}")
        elif status == "busy":
            log(f"{number} {name}: being trained by another process; skipped")
        elif status == "diverged":
            log(f"{number} {name}: DIVERGED, nothing recorded")
        else:
            log(f"{number} {name}: FAILED, nothing recorded: {detail}")

    executor.run(config, todo, workdir, report, log)

    records = results_lib.read_results(results_path)
    if records:
        png = plotting.plot_rate_distortion(records, workdir / "rate_distortion.png")
        log(f"results: {results_path}\nplot:    {png}")
    recorded = {results_lib.point_key(r) for r in records}
    busy = [detail for status, detail in outcomes if status == "busy"]
    missing = [name for name in busy if name not in {grid_lib.point_name(p) for p in todo
                                                      if results_lib.point_key(p) in recorded}]
    if missing:
        log(f"{len(missing)} point(s) were being trained by another process and are not "
            f"recorded yet ({', '.join(missing)}); re-run to collect them once it is done.")
    diverged = [detail for status, detail in outcomes if status == "diverged"]
    if diverged:
        raise errors.DivergenceError(f"{len(diverged)} point(s) diverged:\n" + "\n".join(diverged))
    failed = [detail for status, detail in outcomes if status == "failed"]
    if failed:
        raise errors.SweepError(f"{len(failed)} point(s) failed, nothing recorded for them "
                                "(re-run the same command to retry):\n" + "\n".join(failed))
    return records
