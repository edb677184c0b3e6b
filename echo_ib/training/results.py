"""Rate–distortion results as data: one strict-JSON object a line in `results.jsonl`.

Every write holds an exclusive `fcntl` lock on the file and is fsync'ed, so several
processes (parallel workers, shards of a sweep on other machines sharing the directory)
can share one file:

* a record with a non-finite number is refused (`ValueError`): nothing non-finite is ever
  recorded, and the file stays strict JSON (no bare `NaN`);
* a partial last line (a process killed mid-write) is moved aside to
  `<file>.partial` and cut off before the next append, never glued to;
* `append_once` re-reads the file under the lock and appends only if no record of the same
  point is there, so no point is recorded twice however processes race.

Readers skip malformed lines with a warning.
"""

import fcntl
import json
import logging
import math
import os
import pathlib

from echo_ib import errors
from echo_ib import results as results_io
from echo_ib.models import methods
from echo_ib.training import bookkeeping, grid

__all__ = ["KEY_FIELDS", "append_once", "append_result", "build_record", "point_key",
           "read_results"]

_LOG = logging.getLogger("echo_ib")
KEY_FIELDS = ("dataset", "method", "architecture", "beta", "seed")


def point_key(record):
    """The identity of a sweep point: (dataset, method, architecture, β, seed, and the values
    of the sweep grid's other fields). `record` is a result dict (its `swept` entry) or a
    point's config (the values of the fields its `config.sweep.grid` names)."""
    if isinstance(record, dict):
        swept = record.get("swept") or {}
    else:
        swept = grid.swept_values(record)
    return (tuple(float(record[k]) if k == "beta" else record[k] for k in KEY_FIELDS)
            + tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in swept.items())))


def _check_finite(record, where=""):
    if isinstance(record, dict):
        for key, value in record.items():
            _check_finite(value, f"{where}.{key}" if where else key)
    elif isinstance(record, (list, tuple)):
        for k, value in enumerate(record):
            _check_finite(value, f"{where}[{k}]")
    elif isinstance(record, float) and not math.isfinite(record):
        raise ValueError(f"refusing to record a non-finite number: {where} = {record}.")


_parse = results_io.parse_lines


def _repair_tail(f, path):
    """Moves a partial last line (no final newline) aside; `f` is open 'a+b' and locked."""
    f.seek(0, os.SEEK_END)
    size = f.tell()
    if size == 0:
        return
    f.seek(size - 1)
    if f.read(1) == b"\n":
        return
    f.seek(0)
    content = f.read()
    cut = content.rfind(b"\n") + 1
    aside = pathlib.Path(str(path) + ".partial")
    with open(aside, "ab") as g:
        g.write(content[cut:] + b"\n")
    f.truncate(cut)
    f.flush()
    os.fsync(f.fileno())
    _LOG.warning("%s: moved a partial last line (%d bytes, an interrupted write) to %s "
                 "before appending.", path, size - cut, aside)


def _locked_append(path, record, unless_present):
    _check_finite(record)
    line = (json.dumps(record, sort_keys=True, allow_nan=False) + "\n").encode()
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            _repair_tail(f, path)
            if unless_present:
                f.seek(0)
                key = point_key(record)
                lines = f.read().decode().splitlines()
                if any(point_key(r) == key for r in _parse(lines, path)):
                    return False
            f.seek(0, os.SEEK_END)
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
            return True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def append_result(path, record):
    """Appends `record` (a JSON-serialisable dict of finite numbers) as one line."""
    _locked_append(path, record, unless_present=False)


def append_once(path, record):
    """Appends `record` unless the file already holds its point; returns whether it did."""
    return _locked_append(path, record, unless_present=True)


def read_results(*paths):
    """All records from one or more results files; malformed (partial) lines are skipped."""
    records = []
    for path in paths:
        path = pathlib.Path(path)
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_SH)
            try:
                lines = f.readlines()
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
        records.extend(_parse(lines, path))
    return records


def build_record(config, model, splits, state, evaluated_epoch, test, val, extras):
    """The result record of a finished point: its identity and settings, the data, test and
    validation rate, distortion and −ELBO (nats/image; validation None without a split),
    the final-epoch training values, the epochs, the best one and the one evaluated, wall
    time, and `extras` (fingerprint, evaluation seed, IWAE bound, floor dimensions).

    `best_epoch` is the epoch with the lowest monitored validation loss (an improvement
    counts when it exceeds early_stopping.min_delta); `evaluated_epoch` is the epoch whose
    weights gave the test and validation numbers: the best epoch where early stopping
    restored it, else the last epoch trained.

    Raises:
      DivergenceError: a non-finite number (nothing is recorded).
    """
    history = state["history"]
    last = history[-1] if history else {}
    active = model.channel.active_dimensions()
    gated = config.method in methods.reads("echo.")
    record = {
        "dataset": config.dataset, "method": config.method,
        "architecture": config.architecture, "beta": float(config.beta),
        "seed": int(config.seed), "latent_dim": int(config.latent_dim),
        "data_subset": splits.description, "binarize": config.binarize,
        "epochs": int(config.epochs), "epochs_trained": len(history),
        "best_epoch": state["best_epoch"], "evaluated_epoch": evaluated_epoch,
        "stopped_early": bool(state["stopped_early"]),
        # The validation loss that picked best_epoch (records without it: D + R).
        "selected_by": {"val_objective": "val D + βR", "val_neg_elbo": "val −ELBO"}[
            bookkeeping.monitored_key(config)],
        "batch_size": int(config.batch_size), "learning_rate": float(config.learning_rate),
        "lr_schedule": config.lr_schedule,
        "rate_warmup_epochs": int(config.rate_warmup_epochs),
        "gate": config.echo.gate if gated else None,
        "active_dimensions": None if active is None else int(active.sum()),
        "train_examples": len(splits.train), "validation_examples": len(splits.validation),
        "test_examples": test["examples"],
        "test_rate": float(test["rate"]), "test_distortion": float(test["distortion"]),
        "test_neg_elbo": float(test["rate"] + test["distortion"]),
        "val_rate": None if val is None else float(val["rate"]),
        "val_distortion": None if val is None else float(val["distortion"]),
        "val_neg_elbo": None if val is None else float(val["rate"] + val["distortion"]),
        "iwae_samples": (int(config.iwae_samples) if config.iwae_samples
                         and model.channel.has_posterior_density else None),
        "train_rate": last.get("rate"), "train_distortion": last.get("distortion"),
        "train_neg_elbo": None if "elbo" not in last else -last["elbo"],
        "wall_seconds": round(sum(h["seconds"] for h in history), 2),
        "units": "nats/image",
        "swept": grid.swept_values(config),
        **extras,
    }
    bad = {k: v for k, v in record.items() if isinstance(v, float) and not math.isfinite(v)}
    if bad:
        raise errors.DivergenceError(
            f"point {grid.point_name(config)} finished training but evaluated to non-finite "
            f"values {bad}; nothing was recorded.")
    return record
