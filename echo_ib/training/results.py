"""Rate–distortion results as data: one JSON object a line in `<workdir>/results.jsonl`.

Appends hold an exclusive `fcntl` lock and are fsync'ed, so several sweep processes can
share a file and a killed process leaves at worst one partial last line, which readers
skip with a warning.
"""

import fcntl
import json
import os
import pathlib
import warnings

__all__ = ["KEY_FIELDS", "append_result", "point_key", "read_results"]

KEY_FIELDS = ("dataset", "method", "architecture", "beta", "seed")


def point_key(record):
    """The identity of a sweep point: (dataset, method, architecture, β, seed)."""
    return tuple(float(record[k]) if k == "beta" else record[k] for k in KEY_FIELDS)


def append_result(path, record):
    """Appends `record` (a JSON-serialisable dict) as one line, under an exclusive lock."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, sort_keys=True) + "\n"
    with open(path, "a", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


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
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                warnings.warn(f"{path}:{number}: skipping a malformed line (an interrupted "
                              "write?)")
    return records
