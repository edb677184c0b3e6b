"""Sweep points as Ray tasks: a sweep spread over a Ray cluster (or a local Ray instance).

    run_sweep(config, workdir, executor=RayExecutor(address="auto"))
    python experiments/sweep.py ... --executor=ray [--ray_address=auto|host:port]

Every unfinished point of the sweep becomes one Ray task with `config.sweep.cpus_per_point`
CPUs and `config.sweep.gpus_per_point` GPUs. The guarantees are the local sweep's
(`echo_ib.sweeps.sweep`):

* **Once.** A task trains its point under the point's claim (`flock` on
  `points/<point>/.claim`) and returns the record; only the driver appends it, with
  `results.append_once`, so a point is recorded once however tasks are retried.
* **Retries.** A task whose worker process or node dies is retried by Ray (up to
  `max_retries` times) on any node; it resumes from the point's last per-epoch checkpoint
  in the shared workdir. A point that diverges returns "diverged": it is reported, nothing
  is recorded, and it is not retried.
* **Ctrl-C** cancels every task and waits until each has ended (their points keep their
  checkpoints); the same command resumes.
* **Progress.** Each task's per-epoch lines (which name the point) are forwarded to the
  driver by Ray's log forwarding.
* **Where.** Each record's `node` names the host and the Ray node that trained it.

The workdir must be one path that every node sees (a shared file system: NFS, Lustre, a
cloud file store mounted at the same place). The driver writes a token file into it; a task
that cannot read it fails at once with a message naming the node and the path, instead of
training into a private folder.

Ray is an optional dependency (`pip install -e '.[ray]'`); it is imported when an executor
is built, never by `import echo_ib`. A local instance (no address) or a cluster addressed as
127.0.0.1:port keeps every address on 127.0.0.1, and Ray's usage statistics are off unless
`RAY_USAGE_STATS_ENABLED` says otherwise.
"""

import json
import os
import pathlib
import secrets
import socket
import sys
import time

import ml_collections

from echo_ib import errors
from echo_ib.training import grid as grid_lib
from echo_ib.training import results as results_lib

__all__ = ["RayExecutor"]

_TOKEN_FILE = ".ray_token"
_CANCEL_WAIT_SECONDS = 30.0


def _on_this_machine(address):
    """Whether `address` (None, "auto" or host:port) is a local instance or a loopback one."""
    return address is None or address.rsplit(":", 1)[0] in ("127.0.0.1", "localhost")


def _import_ray(local):
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # Ray reads this flag once, when it is first imported; with it off, its own address
    # lookup answers 127.0.0.1 instead of the outward interface's address, so a local
    # instance or a cluster on 127.0.0.1 needs no routable address.
    flag_was_off = os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER") == "0"
    imported_before = "ray" in sys.modules
    if local:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
    except ImportError:
        raise errors.ConfigError(
            "--executor=ray needs Ray, an optional dependency: pip install -e '.[ray]' "
            "(setup.sh installs it).") from None
    if local and imported_before and not flag_was_off:
        # Ray would resolve 127.0.0.1 to the outward interface and look for the cluster there.
        raise errors.ConfigError(
            "a Ray cluster on this machine needs RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 before "
            "Ray is first imported (this process imported it earlier); set it in the "
            "environment, or give --ray_address a routable host:port.")
    return ray


def _node_name():
    """This host and Ray node, as records name them."""
    import ray

    return f"{socket.gethostname()} (ray node {ray.get_runtime_context().get_node_id()[:12]})"


def _cancel(ray, refs):
    """Force-cancels the tasks `refs` and waits until each has ended, cancelling again any
    still running; returns those that had not ended after `_CANCEL_WAIT_SECONDS`.

    One cancel is not always enough: a task being handed to a worker as the cancel arrives
    can start anyway, and it would then train its point to the end under the point's claim
    with no driver left to record it (the next run would find the point busy).
    """
    deadline = time.monotonic() + _CANCEL_WAIT_SECONDS
    while refs and time.monotonic() < deadline:
        for ref in refs:
            ray.cancel(ref, force=True)
        _, refs = ray.wait(refs, num_returns=len(refs), timeout=1.0)
    return refs


def _train_point_task(config_json, workdir, token, verbose):
    """The body of one Ray task: checks the workdir is the driver's, then trains the point
    (`sweep.run_point`) without recording it. Returns (status, detail)."""
    from echo_ib.sweeps import sweep  # imported here: the task runs on another node

    node = _node_name()
    workdir = pathlib.Path(workdir)
    try:
        seen = (workdir / _TOKEN_FILE).read_text()
    except OSError:
        seen = None
    if seen != token:
        return "failed", (f"the Ray task on {node} cannot see the sweep's workdir {workdir} "
                          "(or sees another folder at that path): the workdir must be on a "
                          "file system every node mounts at the same path.")
    config = ml_collections.ConfigDict(json.loads(config_json))

    def log(message):
        print(message, flush=True)

    def announce():
        log(sweep.announcement(config, node))

    return sweep.run_point(config, workdir, log=log if verbose else None,
                           announce=announce if verbose else None, record=False, node=node)


class RayExecutor:
    """Runs a sweep's points as Ray tasks (see the module docstring).

    Args:
      address: the cluster to join: "auto" (the one `ray start` made on this machine, or
        RAY_ADDRESS), "host:port" (its GCS), or None: start a Ray instance on this machine
        for the sweep and stop it afterwards.
      max_retries: how often a task whose worker or node died is run again.
    """

    name = "ray"

    def __init__(self, address=None, max_retries=3):
        if address is not None and not isinstance(address, str):
            raise errors.ConfigError(f"ray address = {address!r}: expected 'auto', 'host:port' "
                                     "or None.")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise errors.ConfigError(f"max_retries = {max_retries!r}: expected an integer >= 0.")
        self.address = address or None
        self.max_retries = max_retries

    def describe(self):
        return f"as Ray tasks on {self.address or 'a local Ray instance'}"

    def run(self, config, points, workdir, report, log):
        """Trains `points` (configs) as Ray tasks; calls `report(point, status, detail)` as
        each ends, after appending a trained point's record to the workdir's results."""
        if not points:
            return
        ray = _import_ray(local=_on_this_machine(self.address))
        workdir = pathlib.Path(workdir).resolve()
        token = secrets.token_hex(16)
        (workdir / _TOKEN_FILE).write_text(token)
        started = not ray.is_initialized()
        if started:
            ray.init(address=self.address, include_dashboard=False, log_to_driver=True,
                     logging_level="WARNING")
        try:
            task = ray.remote(num_cpus=float(config.sweep.get("cpus_per_point", 1)),
                              num_gpus=float(config.sweep.get("gpus_per_point", 0)),
                              max_retries=self.max_retries)(_train_point_task)
            pending = {task.remote(p.to_json(), str(workdir), token, log is not None): p
                       for p in points}
            results_path = workdir / "results.jsonl"
            try:
                while pending:
                    ready, _ = ray.wait(list(pending), num_returns=1)
                    point = pending.pop(ready[0])
                    try:
                        status, detail = ray.get(ready[0])
                    except (ray.exceptions.RayError, OSError) as e:
                        status, detail = "failed", (
                            f"{grid_lib.point_name(point)} failed after "
                            f"{self.max_retries} retries: {type(e).__name__}: "
                            f"{str(e).splitlines()[0] if str(e) else ''}")
                    if status == "trained":
                        results_lib.append_once(results_path, detail)
                    report(point, status, detail)
            except BaseException:
                # Ctrl-C or an error: cancel the tasks (their points keep their last
                # epoch's checkpoint, and the same command resumes them).
                running = _cancel(ray, list(pending))
                if running and log is not None:
                    log(f"{len(running)} cancelled Ray task(s) had not ended after "
                        f"{_CANCEL_WAIT_SECONDS:.0f} s; their points stay claimed until "
                        "they do.")
                raise
        finally:
            if started:
                ray.shutdown()
