r"""Redraws the recorded rate–distortion figures from their data, after a change to how
figures are drawn: every `results/**/<name>.png` that has a `<name>.jsonl` of result
records beside it (the figures `record_study.py` wrote).

    python benchmarks/redraw_figures.py [--root=results]
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "experiments"))
import _cli  # noqa: E402
from absl import flags  # noqa: E402

from echo_ib import plotting  # noqa: E402
from echo_ib.training import results  # noqa: E402

_ROOT = flags.DEFINE_string("root", "results", "Folder searched for figures and their data.")


def main():
    redrawn = 0
    for png in sorted(pathlib.Path(_ROOT.value).rglob("*.png")):
        data = png.with_suffix(".jsonl")
        if not data.exists():
            continue
        records = results.read_results(data)
        if not records or "test_rate" not in records[0]:
            continue
        plotting.plot_rate_distortion(records, png)
        redrawn += 1
        print(f"redrawn: {png} ({len(records)} records)")
    print(f"{redrawn} figures redrawn")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="figures redrawn so far are kept.")
