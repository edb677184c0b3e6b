r"""Draws rate–distortion curves from results files only.

    python experiments/plot.py --results=runs/a/results.jsonl,runs/b/results.jsonl \
        --output=rd.png [--split=test] [--labels=run_a,run_b]
"""

import _paths  # noqa: F401
from absl import app, flags

from echo_ib import plotting
from echo_ib.training import results

_RESULTS = flags.DEFINE_list("results", None, "results.jsonl files.")
_OUTPUT = flags.DEFINE_string("output", "rate_distortion.png", "PNG to write.")
_SPLIT = flags.DEFINE_enum("split", "test", ["test", "train"], "Which values to draw.")
_LABELS = flags.DEFINE_list("labels", None, "Optional label per results file, appended to its "
                            "methods' names so that runs of one method stay separate curves.")
flags.mark_flags_as_required(["results"])


def main(argv):
    del argv
    labels = _LABELS.value or [""] * len(_RESULTS.value)
    if len(labels) != len(_RESULTS.value):
        raise app.UsageError(f"--labels has {len(labels)} entries for {len(_RESULTS.value)} "
                             "results files.")
    records = []
    for path, label in zip(_RESULTS.value, labels):
        for record in results.read_results(path):
            if label:
                record["method"] = f"{record['method']} ({label})"
            records.append(record)
    if not records:
        raise app.UsageError(f"no results in {_RESULTS.value}")
    print(plotting.plot_rate_distortion(records, _OUTPUT.value, split=_SPLIT.value))


if __name__ == "__main__":
    app.run(main)
