"""Imports TensorFlow without its start-up lines, unless the user asked to see them.

TensorFlow writes "Could not find cuda drivers", oneDNN notices and absl's
pre-initialisation warnings to file descriptor 2 while it is imported, before any log
level applies (TF 2.21 prints the absl lines even with TF_CPP_MIN_LOG_LEVEL=3). So the
import runs with descriptor 2 pointed at /dev/null, unless TF_CPP_MIN_LOG_LEVEL is set
to a level below 3 (a user who wants some of TensorFlow's logs) or TensorFlow is already
imported. An exception raised by the import still reaches the caller, with its traceback.
"""

import os
import sys

__all__ = ["import_tensorflow"]


def import_tensorflow():
    """Imports tensorflow (quietly, see the module docstring) and returns it."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    level = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    if level is not None and level.strip() != "3":
        import tensorflow
        return tensorflow
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 to silence
        import tensorflow
        return tensorflow
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow
        tensorflow.config.list_physical_devices()  # "failed call to cuInit" comes here
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return tensorflow
