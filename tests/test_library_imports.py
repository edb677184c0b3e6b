"""`import echo_ib` is the library alone: it loads none of the harness (sweeps, plotting)
and adds no multiprocessing, file locks or matplotlib to what TensorFlow and Keras load."""

import subprocess
import sys

_CODE = """
import sys
import keras, tensorflow, tensorflow_probability  # what the library stands on
before = set(sys.modules)
import echo_ib
added = set(sys.modules) - before
banned = [m for m in added if m.split('.')[0] in ('matplotlib', 'multiprocessing', 'fcntl',
                                                   'concurrent', 'pandas')
          or m in ('echo_ib.plotting', 'echo_ib.sweeps.sweep', 'echo_ib.training.trainer',
                   'echo_ib.training.results', 'echo_ib.info_plane.tracking')]
assert not banned, sorted(banned)
assert 'echo_ib.channels.echo' in added and 'echo_ib.models.vae' in added
print('ok')
"""


def test_import_echo_ib_adds_no_harness_module():
    """Keras 3.15 itself imports matplotlib.pyplot when it is installed
    (keras/src/visualization), and TensorFlow multiprocessing; echo_ib adds none."""
    run = subprocess.run([sys.executable, "-c", _CODE], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-3000:]
