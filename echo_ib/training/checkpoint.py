"""Per-epoch checkpoints that belong to one exact set of settings.

A point's checkpoint (`<point>/checkpoint.npz`) holds everything a resumed run needs to
continue bit for bit where an uninterrupted one would be:

* every model variable, keyed by its attribute path (`variable_keys`), the noise
  channel's seed-generator state included (so echo and Gaussian noise continue the same
  stream),
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

import keras
import numpy as np

from echo_ib import errors
from echo_ib.training import config_schema

__all__ = ["assign", "check_workdir", "config_dict", "differences", "finished_record",
           "fingerprint", "restore", "save", "snapshot", "variable_keys", "write_atomic"]


def config_dict(config):
    """The point's settings as a plain dict, without the sweep grid (nor the fields added
    later that hold their legacy value or cannot matter: `config_schema.omit_legacy_fields`)."""
    settings = json.loads(config.to_json_best_effort())
    settings.pop("sweep", None)
    return config_schema.omit_legacy_fields(settings)


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


def variable_keys(model):
    """{id(variable): key} for every model variable, keyed by where it lives, not by when it
    was created: the chain of attribute names from the model (Sequential / Functional layers
    by their index, lists by index, dicts by key), then the variable's own name, e.g.
    `model/encoder/layers/3/kernel`, `model/channel/mask`, `model/channel/seed_generator/state`
    (in the spirit of Keras 3's own weights files, which key by attribute, but covering the
    seed generators, whose state a bit-identical resume needs). Only public attributes and
    `variables` are read.

    Raises:
      ValueError: a variable of the model that the walk does not reach.
    """
    keys = {}

    def visit(obj, path, seen):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, keras.random.SeedGenerator):
            keys.setdefault(id(obj.state), f"{path}/state")
            return
        if not isinstance(obj, (keras.layers.Layer, keras.metrics.Metric)):
            return
        if isinstance(obj, keras.Model) and hasattr(obj, "layers") and type(obj).__name__ in (
                "Sequential", "Functional"):
            for k, layer in enumerate(obj.layers):
                visit(layer, f"{path}/layers/{k}", seen)
        for attr in sorted(vars(obj)):
            if attr.startswith("_"):
                continue
            value = vars(obj)[attr]
            if isinstance(value, (list, tuple)):
                for k, item in enumerate(value):
                    visit(item, f"{path}/{attr}/{k}", seen)
            elif isinstance(value, dict):
                for k in sorted(value, key=str):
                    visit(value[k], f"{path}/{attr}/{k}", seen)
            else:
                visit(value, f"{path}/{attr}", seen)
        # The object's own variables: those of its public `variables` (which lists its
        # sub-layers' and seed generators' too) that no attribute above reached.
        for variable in obj.variables:
            keys.setdefault(id(variable), f"{path}/{variable.name}")

    visit(model, "model", set())
    missing = [v.path for v in model.variables if id(v) not in keys]
    if missing:
        raise ValueError(f"checkpoint: no attribute path reaches the variables {missing}.")
    return keys


def _optimizer_keys(model):
    """{id(variable): key} for the optimizer's variables: a slot variable (Adam's moments)
    is named after its model variable's path at build time, which is replaced by that
    variable's attribute key; the others (step counter, loss scale) keep their names."""
    model_keys = variable_keys(model)
    prefixes = sorted(((v.path.replace("/", "_"), model_keys[id(v)]) for v in model.variables),
                      key=lambda p: -len(p[0]))
    keys, used = {}, {}
    for variable in model.optimizer.variables:
        name = variable.name
        key = None
        for prefix, model_key in prefixes:
            if name.startswith(prefix + "_"):
                key = f"{model_key}:{name[len(prefix) + 1:]}"
                break
        if key is None:
            key = name
        count = used.get(key, 0)
        used[key] = count + 1
        keys[id(variable)] = key if not count else f"{key}#{count}"
    return keys


def save(path, model, state, best_weights=None):
    """Saves model and optimizer variables, `state` (JSON-able) and optional best weights.

    Every array is stored under its variable's key (`variable_keys`), so a checkpoint
    restores into a model whose layers were created in another order. `best_weights` is
    a {key: array} dict (`snapshot`)."""
    keys = variable_keys(model)
    arrays = {f"model/{keys[id(v)]}": np.asarray(v.numpy()) for v in model.variables}
    keys = _optimizer_keys(model)
    arrays.update({f"optimizer/{keys[id(v)]}": np.asarray(v.numpy())
                   for v in model.optimizer.variables})
    for key, value in (best_weights or {}).items():
        arrays[f"best/{key}"] = np.asarray(value)
    arrays["state"] = np.frombuffer(json.dumps(state).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    write_atomic(path, buffer.getvalue())


def snapshot(model):
    """The model's variables as a {key: array} dict (the best epoch's weights)."""
    keys = variable_keys(model)
    return {keys[id(v)]: v.numpy() for v in model.variables}


def assign(model, weights):
    """Assigns a {key: array} dict (`snapshot`) to the model's variables, by key."""
    keys = variable_keys(model)
    _assign_by_key([(keys[id(v)], v) for v in model.variables], weights, "model")


def _assign_by_key(named_variables, arrays, what):
    names = {name for name, _ in named_variables}
    if names != set(arrays):
        missing, extra = sorted(names - set(arrays)), sorted(set(arrays) - names)
        raise ValueError(f"checkpoint {what} variables do not match the model's: it was written "
                         f"by another model (missing {missing[:5]}, unexpected {extra[:5]}).")
    for name, variable in named_variables:
        value = arrays[name]
        if tuple(variable.shape) != value.shape:
            raise ValueError(f"checkpoint {what} variable {name} has shape {value.shape}, the "
                             f"model's is {tuple(variable.shape)}.")
        variable.assign(value)


def restore(path, model):
    """Restores model and optimizer variables in place, by key; returns (state, best)."""
    with np.load(path) as npz:
        def group(prefix):
            return {k[len(prefix):]: npz[k] for k in npz.files if k.startswith(prefix)}

        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        keys = variable_keys(model)
        _assign_by_key([(keys[id(v)], v) for v in model.variables], group("model/"), "model")
        okeys = _optimizer_keys(model)
        _assign_by_key([(okeys[id(v)], v) for v in model.optimizer.variables],
                       group("optimizer/"), "optimizer")
        state = json.loads(npz["state"].tobytes().decode())
        best = group("best/") or None
    return state, best


def _read_json(path):
    return json.loads(pathlib.Path(path).read_text())


def check_workdir(config, workdir):
    """Refuses a workdir whose checkpoint or result came from other settings."""
    digest = fingerprint(config)
    stored_path = workdir / "fingerprint.json"
    if stored_path.exists():
        stored = _read_json(stored_path)
        if stored["fingerprint"] != digest:
            work = [name for name in ("result.json", "checkpoint.npz")
                    if (workdir / name).exists()]
            if work:
                what = "a finished result" if "result.json" in work else "a checkpoint"
                raise errors.WorkdirError(
                    f"{workdir} holds {what} trained with other settings ("
                    + differences(stored["settings"], config_dict(config))
                    + "). Resuming or reusing it would mix two experiments: use another "
                    f"workdir, or delete {workdir} to start this point afresh.")
    write_atomic(stored_path, json.dumps(
        {"fingerprint": digest, "settings": config_dict(config)},
        indent=2, sort_keys=True))
    return digest


def finished_record(config, workdir):
    """The stored result of this exact point in `workdir`, or None if it has not finished.

    Raises:
      WorkdirError: the workdir's result was made with other settings.
    """
    workdir = pathlib.Path(workdir)
    if not (workdir / "result.json").exists():
        return None
    record = _read_json(workdir / "result.json")
    if record.get("fingerprint") != fingerprint(config):
        check_workdir(config, workdir)  # raises, naming the differences
    return record
