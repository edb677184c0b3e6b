r"""Redraws the recorded figures from their data, after a change to how figures are drawn:
every `results/**/<name>.png` that has a `<name>.jsonl` of rate–distortion records beside
it (the figures `record_study.py` wrote), and the recorded information planes named in
`_INFO_PLANES` (title and layer names as `experiments/info_plane.py` drew them).

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


# Information planes: file stem -> (title, layer names), as their runs drew them.
_INFO_PLANES = {
    "info_plane_twelve_bit": ("Noisy twelve_bit network, σ = 0.1 (plug-in)",
                              [f"T{k + 1} ({w} units)" for k, w in enumerate((10, 7, 5, 4, 3))]),
    "info_plane_mnist_conv": ("Noisy mnist network, σ = 0.5 (compression + wkl-shuffled)", None),
}


def main():
    redrawn = 0
    for stem, (title, labels) in _INFO_PLANES.items():
        data = pathlib.Path(_ROOT.value) / f"{stem}.jsonl"
        if data.exists():
            records = results.read_results(data)
            plotting.plot_information_plane(records, data.with_suffix(".png"), title=title,
                                            layer_labels=labels)
            redrawn += 1
            print(f"redrawn: {data.with_suffix('.png')} ({len(records)} records)")
    for png in sorted(pathlib.Path(_ROOT.value).rglob("*.png")):
        data = png.with_suffix(".jsonl")
        if not data.exists():
            continue
        records = results.read_results(data)
        if not records or "test_rate" not in records[0] or png.stem in _INFO_PLANES:
            continue
        plotting.plot_rate_distortion(records, png)
        redrawn += 1
        print(f"redrawn: {png} ({len(records)} records)")
    print(f"{redrawn} figures redrawn")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="figures redrawn so far are kept.")
