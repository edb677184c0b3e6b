r"""Draws rate–distortion curves from results files only.

    python experiments/plot.py --results=runs/a/results.jsonl,runs/b/results.jsonl \
        --output=rd.png [--split=test]
"""

import _paths  # noqa: F401
from absl import app, flags

from echo_ib import plotting
from echo_ib.training import results

_RESULTS = flags.DEFINE_list("results", None, "results.jsonl files.")
_OUTPUT = flags.DEFINE_string("output", "rate_distortion.png", "PNG to write.")
_SPLIT = flags.DEFINE_enum("split", "test", ["test", "train"], "Which values to draw.")
flags.mark_flags_as_required(["results"])


def main(argv):
    del argv
    records = results.read_results(*_RESULTS.value)
    if not records:
        raise app.UsageError(f"no results in {_RESULTS.value}")
    print(plotting.plot_rate_distortion(records, _OUTPUT.value, split=_SPLIT.value))


if __name__ == "__main__":
    app.run(main)
