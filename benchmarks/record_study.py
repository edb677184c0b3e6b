r"""Records a finished (or partly finished) sweep as data: copies its results and settings
into results/ and draws its rate–distortion figure from the copied file.

    python benchmarks/record_study.py --workdir=runs/gate/fmnist_l32_hc0 \
        --output=results/echo_gate/fashion_mnist_latent32

writes <output>.jsonl (the sweep's results.jsonl: one record per finished point, with its
settings, gate, active dimensions and swept fields), <output>.config.json (the sweep's
config.json) and <output>.png. One workdir a file: sweeps of other settings (a gate, a
warm-up set by a flag rather than the grid) would share results keys.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "experiments"))
import _cli  # noqa: E402
from absl import flags  # noqa: E402

from echo_ib import errors, plotting  # noqa: E402
from echo_ib.training import results  # noqa: E402

_WORKDIR = flags.DEFINE_string("workdir", None, "The sweep workdir to record.")
_OUTPUT = flags.DEFINE_string("output", None, "Output stem under results/.")
_TITLE = flags.DEFINE_string("title", "", "Figure title ('' for the default).")
flags.mark_flags_as_required(["workdir", "output"])


def main():
    stem = pathlib.Path(_OUTPUT.value)
    stem.parent.mkdir(parents=True, exist_ok=True)
    workdir = pathlib.Path(_WORKDIR.value)
    if not (workdir / "results.jsonl").exists():
        raise errors.WorkdirError(f"{workdir} has no results.jsonl yet.")
    records = results.read_results(workdir / "results.jsonl")
    jsonl = stem.with_suffix(".jsonl")
    jsonl.unlink(missing_ok=True)
    for record in records:
        results.append_once(jsonl, record)
    stem.with_suffix(".config.json").write_text(json.dumps(
        json.loads((workdir / "config.json").read_text()), indent=2, sort_keys=True))
    png = plotting.plot_rate_distortion(results.read_results(jsonl), stem.with_suffix(".png"),
                                        title=_TITLE.value or None)
    print(f"{len(records)} records: {jsonl}\nplot: {png}")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
