"""Whether this machine can run a Keras dtype policy, asked before any kernel runs.

TensorFlow's CPU kernels run bfloat16 matrix products through oneDNN, which needs the
AVX-512 core instructions (avx512f, avx512bw, avx512vl, avx512dq) for them: on a CPU with
AVX2 only, or with oneDNN held to AVX2 (`ONEDNN_MAX_CPU_ISA=AVX2`), TensorFlow 2.21 ends
the whole process with a segmentation fault at the first bfloat16 `tf.matmul` (measured on
an AMD EPYC: the same product runs with the ISA unrestricted or held to AVX512_CORE, and
float16 runs under AVX2). A crash cannot be caught, so `check_precision` refuses the
policy first, naming what is missing and the policies that do run.
"""

import os
import pathlib

from echo_ib import errors

__all__ = ["bfloat16_unsupported_reason", "check_precision"]

# The instructions oneDNN's AVX512_CORE level needs, as /proc/cpuinfo names them.
_AVX512_CORE = ("avx512f", "avx512bw", "avx512vl", "avx512dq")
# ONEDNN_MAX_CPU_ISA values below AVX512_CORE (oneDNN's documented ISA names).
_BELOW_AVX512_CORE = ("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2")


def _cpu_flags():
    """The CPU's instruction-set flags from /proc/cpuinfo, or None where there is none."""
    try:
        text = pathlib.Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return None


def _has_gpu():
    import tensorflow as tf
    return bool(tf.config.list_physical_devices("GPU"))


def bfloat16_unsupported_reason(cpu_flags=None, environ=None, has_gpu=None):
    """Why bfloat16 kernels would crash here, or None when they run.

    Args:
      cpu_flags: the CPU's flags (default: read from /proc/cpuinfo; None where unknown).
      environ: the environment (default: `os.environ`).
      has_gpu: whether TensorFlow sees a GPU (default: asked); a GPU runs bfloat16 itself.
    """
    environ = os.environ if environ is None else environ
    if has_gpu is None:
        has_gpu = _has_gpu()
    if has_gpu:
        return None
    limit = (environ.get("ONEDNN_MAX_CPU_ISA") or environ.get("DNNL_MAX_CPU_ISA") or "").upper()
    if limit in _BELOW_AVX512_CORE:
        return (f"oneDNN is held to {limit} (ONEDNN_MAX_CPU_ISA={limit}), below the AVX-512 "
                "core instructions its bfloat16 kernels need")
    flags = _cpu_flags() if cpu_flags is None else set(cpu_flags)
    if flags is None:
        return None  # not Linux: nothing to read, and nothing known to crash
    missing = [flag for flag in _AVX512_CORE if flag not in flags]
    if missing:
        return f"this CPU lacks {', '.join(missing)}, which oneDNN's bfloat16 kernels need"
    return None


def check_precision(precision, field="precision", **probe):
    """Raises `ConfigError` when the dtype policy `precision` cannot run on this machine.

    Only 'mixed_bfloat16' can fail (see the module docstring); 'float32' and
    'mixed_float16' run on every x86-64 CPU. `probe`: the arguments of
    `bfloat16_unsupported_reason`, for tests."""
    if precision != "mixed_bfloat16":
        return
    reason = bfloat16_unsupported_reason(**probe)
    if reason:
        raise errors.ConfigError(
            f"config.{field} = 'mixed_bfloat16' cannot run here: {reason}, and TensorFlow "
            "would end the process with a segmentation fault at the first bfloat16 matrix "
            "product. Use 'mixed_float16' or 'float32' on this machine.")
