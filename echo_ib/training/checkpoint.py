"""Per-epoch checkpoints that belong to one exact set of settings.

A point's checkpoint (`<point>/checkpoint.npz`) holds everything a resumed run needs to
continue bit for bit where an uninterrupted one would be:

* every model variable, the noise channel's seed-generator state included (so echo and
  Gaussian noise continue the same stream),
* every optimizer variable (Adam's moments, its step counter, loss-scale state),
* the trainer's state: the next epoch, the history so far, the early-stopping counters
  and the best weights (the data order needs no state: epoch e's order is a function of
  (seed, e), see `echo_ib.data.make_dataset`),
* the fingerprint of the settings that made it.

Files are written to a temporary name, fsync'ed and renamed, so a kill mid-write leaves
the previous checkpoint intact. `fingerprint(config)` is the SHA-256 of the point's
canonical JSON settings (the sweep grid excluded): a checkpoint or finished result is only
ever reused under the same fingerprint.
"""

import hashlib
import io
import json
import os
import pathlib

import numpy as np

__all__ = ["config_dict", "differences", "fingerprint", "restore", "save", "write_atomic"]


def config_dict(config):
    """The point's settings as a plain dict, without the sweep grid."""
    settings = json.loads(config.to_json_best_effort())
    settings.pop("sweep", None)
    return settings


def fingerprint(config):
    """SHA-256 hex digest of the point's settings (canonical JSON, grid excluded)."""
    canonical = json.dumps(config_dict(config), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _flatten(d, prefix=""):
    out = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def differences(old, new, ignore=()):
    """`field: old -> new` for every differing leaf of two settings dicts, as a string."""
    old, new = _flatten(old), _flatten(new)
    keys = sorted(k for k in set(old) | set(new)
                  if not k.startswith(tuple(ignore)) and old.get(k) != new.get(k))
    return ", ".join(f"{k}: {old.get(k)!r} -> {new.get(k)!r}" for k in keys)


def write_atomic(path, data):
    """Writes bytes or text to `path` via a fsync'ed temporary file and a rename."""
    path = pathlib.Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save(path, model, state, best_weights=None):
    """Saves model and optimizer variables, `state` (JSON-able) and optional best weights."""
    arrays = {f"model/{k:05d}": np.asarray(v.numpy()) for k, v in enumerate(model.variables)}
    arrays.update({f"optimizer/{k:05d}": np.asarray(v.numpy())
                   for k, v in enumerate(model.optimizer.variables)})
    for k, value in enumerate(best_weights or ()):
        arrays[f"best/{k:05d}"] = np.asarray(value)
    arrays["state"] = np.frombuffer(json.dumps(state).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    write_atomic(path, buffer.getvalue())


def _assign(variables, arrays, what):
    if len(variables) != len(arrays):
        raise ValueError(f"checkpoint holds {len(arrays)} {what} variables, the model has "
                         f"{len(variables)}: it was written by another model.")
    for variable, value in zip(variables, arrays):
        if tuple(variable.shape) != value.shape:
            raise ValueError(f"checkpoint {what} variable {variable.path} has shape "
                             f"{value.shape}, the model's is {tuple(variable.shape)}.")
        variable.assign(value)


def restore(path, model):
    """Restores model and optimizer variables in place; returns (state, best_weights)."""
    with np.load(path) as npz:
        def group(prefix):
            return [npz[k] for k in sorted(k for k in npz.files if k.startswith(prefix))]

        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        _assign(model.variables, group("model/"), "model")
        _assign(model.optimizer.variables, group("optimizer/"), "optimizer")
        state = json.loads(npz["state"].tobytes().decode())
        best = group("best/") or None
    return state, best
