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


_WITHOUT_MATPLOTLIB = """
import importlib.abc, sys

class NoMatplotlib(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] == 'matplotlib':
            raise ImportError('matplotlib is not installed here')
        return None

sys.meta_path.insert(0, NoMatplotlib())
import numpy as np
import echo_ib
from echo_ib.models import vae
model = vae.build_vae('echo', 'mlp', latent_dim=2)
logits = model(np.zeros((4, 28, 28, 1), np.float32))[0]
assert 'matplotlib' not in sys.modules
print('ok', tuple(logits.shape))
"""


def test_the_library_works_where_matplotlib_is_not_installed():
    """Keras imports matplotlib whenever it is installed, so `import echo_ib` cannot keep it
    out of sys.modules here; where it is missing, the library imports and runs without it."""
    run = subprocess.run([sys.executable, "-c", _WITHOUT_MATPLOTLIB], capture_output=True,
                         text=True)
    assert run.returncode == 0 and run.stdout.strip() == "ok (4, 28, 28, 1)", run.stderr[-3000:]
