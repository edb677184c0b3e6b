r"""Lists finished runs: one row per recorded point, from any results files or workdirs.

    python experiments/runs.py --results=runs/fashion_mnist_sweep[,results/echo_gate/mnist.jsonl] \
        [--sort=test_neg_elbo] [--columns=method,beta,seed,test_neg_elbo]

Prints the data set and subset, the method (with echo's gate), β, seed, the fields a
study's grid swept, test rate, distortion, −ELBO and IWAE bound (nats per image), the
epochs trained, the best epoch and the one evaluated (the best where early stopping
restored it, else the last). From Python: `echo_ib.results.load(...)` returns the
same rows as a pandas DataFrame.
"""

import math

import _cli
from absl import flags

import echo_ib.results

_RESULTS = flags.DEFINE_list("results", None, "results.jsonl files or workdirs holding one.")
_SORT = flags.DEFINE_string("sort", None, "A column to sort by (ascending), e.g. test_neg_elbo.")
_COLUMNS = flags.DEFINE_list("columns", None, "The columns to print (default: see above).")
flags.mark_flags_as_required(["results"])

_DEFAULT = ("dataset", "data_subset", "method", "gate", "beta", "seed", "latent_dim",
            "test_rate", "test_distortion", "test_neg_elbo", "test_iwae_nll",
            "epochs_trained", "best_epoch", "evaluated_epoch")
_STANDARD = set(_DEFAULT) | {"source"}


def _text(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) >= 0.01 or value == 0 else f"{value:.2e}"
    return str(value)


def table(rows, columns):
    """The rows as aligned text, one line each under a header."""
    cells = [[_text(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(line[k]) for line in cells]) for k, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(line, widths)) for line in cells]
    return "\n".join(lines)


def main():
    try:
        rows = echo_ib.results.load(*_RESULTS.value, as_frame=False)
    except FileNotFoundError as e:
        _cli.fail(str(e))
    if not rows:
        _cli.fail(f"no results in {', '.join(_RESULTS.value)}.")
    swept = sorted({k for row in rows for k in row if "." in k and k not in _STANDARD})
    columns = list(_COLUMNS.value) if _COLUMNS.value else (
        list(_DEFAULT[:6]) + swept + list(_DEFAULT[6:]))
    unknown = [c for c in columns + ([_SORT.value] if _SORT.value else [])
               if all(c not in row for row in rows)]
    if unknown:
        _cli.fail(f"no column {unknown[0]!r} in these results; they have "
                  f"{', '.join(sorted({k for row in rows for k in row}))}.")
    if _SORT.value:
        rows.sort(key=lambda row: (row.get(_SORT.value) is None, row.get(_SORT.value)))
    print(table(rows, columns))
    print(f"({len(rows)} runs from {', '.join(_RESULTS.value)})")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
