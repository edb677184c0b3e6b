"""Reading finished runs: the records of `results.jsonl` files as a table.

```python
import echo_ib.results
table = echo_ib.results.load("runs/fashion_mnist_sweep/results.jsonl")   # pandas DataFrame
table.groupby(["method", "beta"]).test_neg_elbo.mean()
```

A record is one finished point (written by `echo_ib.training.results.build_record`): its
settings, test and validation rate, distortion and −ELBO in nats per image, and more. The
values of the fields a study's grid swept (`record["swept"]`, e.g. `echo.gate`) become
columns of their own; `source` names the file a row came from. Malformed lines (a write
cut off by a kill) are skipped with a warning.
"""

import json
import logging
import pathlib

__all__ = ["load", "parse_lines"]

_LOG = logging.getLogger("echo_ib")


def parse_lines(lines, path):
    """The records of a results file's lines; a malformed line is skipped with a warning."""
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            _LOG.warning("%s:%d: skipping a malformed line (an interrupted write?)", path,
                         number)
    return records


def _rows(paths):
    rows = []
    for path in paths:
        path = pathlib.Path(path)
        if path.is_dir():
            path = path / "results.jsonl"
        if not path.is_file():
            raise FileNotFoundError(f"no results file at {path}.")
        for record in parse_lines(path.read_text(encoding="utf-8").splitlines(), path):
            row = {key: value for key, value in record.items() if key != "swept"}
            row.update(record.get("swept") or {})
            row["source"] = str(path)
            rows.append(row)
    return rows


def load(*paths, as_frame=None):
    """The records of one or more results files (or workdirs holding `results.jsonl`).

    Args:
      *paths: results files or directories.
      as_frame: True: a pandas DataFrame (ImportError without pandas); False: a list of
        dicts; None (default): a DataFrame when pandas is installed, else the list.

    Returns:
      One row per record, the swept fields as columns and `source` the file it came from.

    Raises:
      FileNotFoundError: a path with no results file.
    """
    if not paths:
        raise ValueError("load: pass at least one results file or workdir.")
    rows = _rows(paths)
    if as_frame is False:
        return rows
    try:
        import pandas
    except ImportError:
        if as_frame:
            raise ImportError("load(as_frame=True) needs pandas: pip install pandas "
                              "(or echo_ib[pandas]).") from None
        return rows
    return pandas.DataFrame(rows)
