"""A real Ray cluster of separate nodes on this machine, every address on 127.0.0.1.

`ray start --node-ip-address=127.0.0.1` alone is not enough: Ray replaces a loopback node
address by the machine's outward interface (`services.resolve_ip_for_localhost`), so the
nodes are started through a small launcher that keeps the address as given, and the head
and every driver run with RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, which makes Ray's own
address lookup answer 127.0.0.1. Each node runs in its own process group, so one node can
be killed (its raylet, object store and workers at once) while the other goes on, and
`stop` ends every process of the cluster and nothing else.
"""

import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile

_LAUNCHER = """
import sys
from ray._private import services
services.resolve_ip_for_localhost = lambda host: host  # keep 127.0.0.1 as given
from ray.scripts.scripts import main
sys.exit(main())
"""

# Fast failure detection, so that a killed node is declared dead in about a second and its
# tasks are retried elsewhere instead of being sent to it again.
_SYSTEM_CONFIG = {"health_check_initial_delay_ms": 0, "health_check_period_ms": 300,
                  "health_check_timeout_ms": 300, "health_check_failure_threshold": 3}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What a driver of the cluster needs in its environment before it first imports Ray.
LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0",
            "RAY_DEDUP_LOGS": "0"}


def environment(home):
    """The environment for the cluster's processes: loopback, no usage statistics, and no
    look-up of the cloud the machine runs on. Ray's dashboard process asks the cloud
    metadata address (169.254.169.254) unless `$HOME/ray_bootstrap_config.yaml` exists, and
    posts a "usage statistics disabled" note to its usage server unless the cluster was made
    by `ray.init`; a private HOME holding that file and a report URL on a closed loopback
    port keep both on this machine."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "ray_bootstrap_config.yaml").write_text("{}\n")
    return {**os.environ, **LOOPBACK, "PYTHONUNBUFFERED": "1", "HOME": str(home),
            "RAY_USAGE_STATS_REPORT_URL": "http://127.0.0.1:9/"}


class LoopbackCluster:
    """A head and `nodes - 1` more nodes, one CPU each, on 127.0.0.1."""

    def __init__(self, nodes=2, cpus_per_node=1):
        self.nodes, self.cpus = nodes, cpus_per_node
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.groups = []  # one process group per node started, head first
        self.live = []  # the indices of the nodes not killed
        self._dirs = []

    def _start_node(self, head):
        # A short private folder each: Ray's socket paths must stay under 108 bytes.
        temp_dir = tempfile.mkdtemp(prefix="ray", dir="/tmp")
        self._dirs.append(temp_dir)
        args = [sys.executable, "-c", _LAUNCHER, "start", "--node-ip-address=127.0.0.1",
                f"--num-cpus={self.cpus}", "--num-gpus=0", "--object-store-memory=100000000",
                f"--node-manager-port={_free_port()}", f"--object-manager-port={_free_port()}",
                f"--temp-dir={temp_dir}", "--disable-usage-stats"]
        if head:
            args += ["--head", f"--port={self.port}", "--include-dashboard=false",
                     f"--dashboard-port={_free_port()}",
                     f"--ray-client-server-port={_free_port()}",
                     f"--system-config={json.dumps(_SYSTEM_CONFIG)}"]
        else:
            args += [f"--address={self.address}"]
        env = environment(pathlib.Path(temp_dir) / "home")
        if not head:  # `ray start` refuses to add a node under the flag (the launcher's
            del env["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"]  # patch keeps 127.0.0.1 instead)
        starter = subprocess.Popen(args, env=env, start_new_session=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.groups.append(starter.pid)  # the group its daemons stay in
        self.live.append(len(self.groups) - 1)
        output, _ = starter.communicate(timeout=120)
        if starter.returncode != 0:
            raise RuntimeError(f"ray start failed:\n{output}")

    def start(self):
        try:
            for k in range(self.nodes):
                self._start_node(head=k == 0)
        except BaseException:
            self.stop()
            raise
        return self

    def add_node(self):
        """Starts one more node; returns its index."""
        self._start_node(head=False)
        return len(self.groups) - 1

    def live_pids(self):
        """The processes of every node not killed."""
        return [pid for k in self.live for pid in self.pids(k)]

    def kill_node(self, k):
        """SIGKILLs node k (k > 0): its raylet, object store, agents and workers."""
        if k in self.live:
            self.live.remove(k)
        for pid in self.pids(k):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def pids(self, k):
        """The processes of node k: its `ray start`'s process group (the node's daemons)
        and their descendants (the workers, which Ray starts in groups of their own)."""
        parents, groups = {}, {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = pathlib.Path(f"/proc/{entry}/stat").read_text()
                except (FileNotFoundError, ProcessLookupError):
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                parents[int(entry)], groups[int(entry)] = int(fields[1]), int(fields[2])
        found = {pid for pid, group in groups.items() if group == self.groups[k]}
        grew = True
        while grew:
            more = {pid for pid, parent in parents.items() if parent in found} - found
            found |= more
            grew = bool(more)
        return sorted(found)

    def stop(self):
        """Kills every process of every node (a test cluster keeps nothing worth a graceful
        stop) and removes the nodes' folders."""
        for k in reversed(range(len(self.groups))):
            self.kill_node(k)
        for temp_dir in self._dirs:
            subprocess.run(["rm", "-rf", temp_dir], check=False)
