"""echo_ib: exact information bottlenecks.

Echo noise channels with exact rates (Brekelmans et al., NeurIPS 2019), their Gaussian,
MMD and flow-prior baselines, rate–distortion sweeps, and information-flow estimators for
noisy networks (Goldfeld et al., ICML 2019). Units are nats unless `base=2` is asked for.
"""

from echo_ib import _quiet_tensorflow

_quiet_tensorflow.import_tensorflow()

import keras as _keras  # noqa: E402

if _keras.backend.backend() != "tensorflow":
    raise ImportError(
        "echo_ib runs on Keras 3's TensorFlow backend (it uses TensorFlow Probability); "
        f"KERAS_BACKEND is {_keras.backend.backend()!r}. Set KERAS_BACKEND=tensorflow.")

__version__ = "0.1.0"

from echo_ib import errors as _errors  # noqa: E402

_errors.install_excepthook()

# The library's subpackages, so that `import echo_ib` is enough for `keras.saving.load_model`
# to find every serializable class a saved model names (channels, models, and the
# learning-rate schedules of its optimizer). The harness (`echo_ib.training`, plotting)
# is not imported: entry points import what they use.
from echo_ib import channels, data, estimators, models, results  # noqa: E402
from echo_ib.training import schedules as _schedules  # noqa: E402,F401

__all__ = ["__version__", "channels", "data", "estimators", "models", "results"]
