"""Runs an entry point (`experiments/*.py`) as a user would, in a fresh process, without
paying for TensorFlow's import each time.

Importing TensorFlow, Keras and TFP costs several seconds of CPU, more than most entry-point
tests take otherwise. A server process imports them once (but never an entry point, nor
anything that starts TensorFlow's thread pools) and forks a child per run; the child takes
the run's arguments, working directory and output files, executes the script as
`__main__` and exits with the script's status. Exit codes, stdout and stderr are the
script's own. What depends on the environment at import time (TensorFlow's start-up
lines, `TF_CPP_MIN_LOG_LEVEL`, which package a path resolves to) cannot be tested this
way: those tests start `sys.executable` themselves.
"""

import atexit
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading

REPO = pathlib.Path(__file__).resolve().parents[1]

_SERVER = r"""
import json, os, runpy, sys, traceback
sys.path.insert(0, os.path.join(REPO, "experiments"))
sys.path.insert(0, REPO)
import echo_ib, echo_ib.sweeps.sweep, echo_ib.info_plane.tracking, echo_ib.plotting
import absl.app, absl.flags, ml_collections.config_flags  # noqa: F401
requests, replies = sys.stdin, sys.stdout
for line in requests:
    run = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            with open(run["stdout"], "w") as out, open(run["stderr"], "w") as err:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
            sys.stdin = open(os.devnull)
            sys.stdout = os.fdopen(1, "w", buffering=1)
            sys.stderr = os.fdopen(2, "w", buffering=1)
            os.chdir(run["cwd"])
            sys.argv = [run["script"], *run["args"]]
            sys.path[0:0] = [os.path.dirname(run["script"])]
            runpy.run_path(run["script"], run_name="__main__")
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if not isinstance(e.code, (int, type(None))):
                print(e.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
    replies.flush()
"""

_lock = threading.Lock()
_server = None


def _start():
    global _server
    if _server is None or _server.poll() is not None:
        _server = subprocess.Popen(
            [sys.executable, "-c", f"REPO = {str(REPO)!r}\n" + _SERVER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, cwd=REPO)
        atexit.register(_server.kill)
    return _server


def run(script, *args, cwd=None):
    """Runs experiments/<script> (or <script>, a path from the repository root, when it
    names a folder) with `args`; returns a CompletedProcess (text output)."""
    path = str(REPO / script) if "/" in script else str(REPO / "experiments" / script)
    with _lock, tempfile.TemporaryDirectory() as folder:
        out, err = os.path.join(folder, "out"), os.path.join(folder, "err")
        server = _start()
        server.stdin.write(json.dumps({"script": path, "args": [str(a) for a in args],
                                       "cwd": str(cwd or REPO), "stdout": out,
                                       "stderr": err}) + "\n")
        server.stdin.flush()
        reply = server.stdout.readline()
        if not reply:
            raise RuntimeError("the entry-point server died")
        returncode = json.loads(reply)["returncode"]
        return subprocess.CompletedProcess(
            [path, *args], returncode, pathlib.Path(out).read_text(),
            pathlib.Path(err).read_text())
