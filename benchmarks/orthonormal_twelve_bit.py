r"""Compression without generalisation loss? The 12-bit noisy network with and without
orthonormal hidden kernels (Goldfeld et al. 2019's by-product result), several seeds.

    python benchmarks/orthonormal_twelve_bit.py --workdir=runs/orthonormal \
        --seeds=0,1,2 --output=results/orthonormal_twelve_bit

Each run is `experiments/info_plane.py` with `configs/info_plane_twelve_bit.py` (σ = 0.1,
300 epochs, the plug-in estimator) and `orthonormal` False or True, in
<workdir>/<orthonormal|plain>_seed<k>/ (a finished run is reused). Writes <output>.jsonl,
one summary per run: its test accuracy, and per layer the peak and final I(X;T) (bits)
and the compression peak − final; and <output>.png, I(X;T_ℓ) over training for both,
from the runs' information.jsonl files.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "experiments"))
import _cli  # noqa: E402
from absl import flags  # noqa: E402

from configs import info_plane_twelve_bit  # noqa: E402
from echo_ib import plotting  # noqa: E402
from echo_ib.info_plane import tracking as info_plane  # noqa: E402
from echo_ib.training import results  # noqa: E402

_WORKDIR = flags.DEFINE_string("workdir", "runs/orthonormal", "Where the runs go.")
_SEEDS = flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds.")
_OUTPUT = flags.DEFINE_string("output", "results/orthonormal_twelve_bit", "Output stem.")
_EPOCHS = flags.DEFINE_integer("epochs", 300, "Training epochs per run.")


def _run(orthonormal, seed):
    name = f"{'orthonormal' if orthonormal else 'plain'}_seed{seed}"
    workdir = pathlib.Path(_WORKDIR.value) / name
    if not (workdir / "summary.json").exists():
        config = info_plane_twelve_bit.get_config()
        config.orthonormal, config.seed, config.epochs = orthonormal, seed, _EPOCHS.value
        print(f"training {name}", flush=True)
        info_plane.train_with_information_plane(config, workdir, verbose=1)
    summary = json.loads((workdir / "summary.json").read_text())
    records = results.read_results(workdir / "information.jsonl")
    layers = sorted({r["layer"] for r in records})
    per_layer = []
    for layer in layers:
        series = sorted((r for r in records if r["layer"] == layer), key=lambda r: r["epoch"])
        peak = max(series, key=lambda r: r["I(X;T)"])
        final = series[-1]
        per_layer.append({"layer": layer, "peak_I(X;T)": peak["I(X;T)"],
                          "peak_epoch": peak["epoch"], "final_I(X;T)": final["I(X;T)"],
                          "final_I(X;T)_stderr": final["I(X;T)_stderr"],
                          "final_I(Y;T)": final["I(Y;T)"],
                          "compression": peak["I(X;T)"] - final["I(X;T)"]})
    return {"orthonormal": orthonormal, "seed": seed, "epochs": summary["epochs"],
            "test_accuracy": summary["test_accuracy"],
            "train_accuracy": summary["train_accuracy"],
            "test_examples": summary["test_examples"], "units": "bits",
            "layers": per_layer}, records


def main():
    seeds = [int(s) for s in _SEEDS.value]
    stem = pathlib.Path(_OUTPUT.value)
    stem.parent.mkdir(parents=True, exist_ok=True)
    jsonl = stem.with_suffix(".jsonl")
    jsonl.unlink(missing_ok=True)
    curves = {}
    for orthonormal in (False, True):
        for seed in seeds:
            summary, records = _run(orthonormal, seed)
            results.append_result(jsonl, summary)
            curves[(orthonormal, seed)] = records
            print(f"orthonormal={orthonormal} seed={seed}: test accuracy "
                  f"{summary['test_accuracy']:.3f}; compression per layer (bits) "
                  + ", ".join(f"{l['compression']:.2f}" for l in summary["layers"]), flush=True)
    plotting.plot_orthonormal_comparison(curves, stem.with_suffix(".png"))
    print(f"results: {jsonl}\nplot:    {stem.with_suffix('.png')}")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="re-running the same command starts over.")
