r"""Draws rate–distortion curves from results files only.

    python experiments/plot.py --results=runs/a/results.jsonl,runs/b/results.jsonl \
        --output=rd.png [--split=test] [--labels=run_a,run_b] [--title="..."]
"""

import pathlib

import _cli
from absl import flags

from echo_ib import plotting
from echo_ib.training import results

_RESULTS = flags.DEFINE_list("results", None, "results.jsonl files.")
_OUTPUT = flags.DEFINE_string("output", "rate_distortion.png", "PNG to write.")
_SPLIT = flags.DEFINE_enum("split", "test", ["test", "val", "train"], "Which values to draw.")
_LABELS = flags.DEFINE_list("labels", None, "Optional label per results file, appended to its "
                            "methods' names so that runs of one method stay separate curves.")
_TITLE = flags.DEFINE_string("title", None, "Figure title (default: data set and subset).")
flags.mark_flags_as_required(["results"])


def main():
    labels = _LABELS.value or [""] * len(_RESULTS.value)
    if len(labels) != len(_RESULTS.value):
        _cli.fail(f"--labels has {len(labels)} entries for {len(_RESULTS.value)} results files.")
    missing = [p for p in _RESULTS.value if not pathlib.Path(p).is_file()]
    if missing:
        _cli.fail(f"no results file at {', '.join(missing)}.")
    records = []
    for path, label in zip(_RESULTS.value, labels):
        for record in results.read_results(path):
            if label:
                record["method"] = f"{record['method']} ({label})"
            records.append(record)
    if not records:
        _cli.fail(f"no results in {', '.join(_RESULTS.value)}.")
    print(plotting.plot_rate_distortion(records, _OUTPUT.value, split=_SPLIT.value,
                                        title=_TITLE.value))


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
