r"""The single-neuron clustering demonstration (Goldfeld et al. 2019, §3.1).

    python experiments/single_neuron.py --config=configs/single_neuron.py \
        --output=results/single_neuron

Writes <output>.jsonl (one record per σ and w: the symbols, the exact I(X;T), the plug-in
with its standard error and the binned estimates) and <output>.png.
"""

import pathlib

import _cli
from absl import flags
from ml_collections import config_flags

from echo_ib import errors, plotting, seeding
from echo_ib.data import single_neuron
from echo_ib.training import results

_CONFIG = config_flags.DEFINE_config_file("config", None, "Single-neuron config file.",
                                          lock_config=True)
_OUTPUT = flags.DEFINE_string("output", "results/single_neuron",
                              "Path stem of the .jsonl and .png written.")
flags.mark_flags_as_required(["config"])


def main():
    config = _CONFIG.value
    if not list(config.sigmas) or not all(s > 0 for s in config.sigmas):
        raise errors.ConfigError(f"config.sigmas = {list(config.sigmas)}: expected numbers > 0.")
    if not list(config.weights):
        raise errors.ConfigError("config.weights is empty: nothing to measure.")
    stem = pathlib.Path(_OUTPUT.value)
    stem.parent.mkdir(parents=True, exist_ok=True)
    jsonl = stem.with_suffix(".jsonl")
    jsonl.unlink(missing_ok=True)
    for k, sigma in enumerate(config.sigmas):
        for record in single_neuron.information_curve(
                config.weights, sigma, num_mc=config.num_mc, seed=seeding.derive(config.seed, k),
                num_batches=config.num_batches):
            results.append_result(jsonl, record)
        print(f"σ = {sigma:g}: {len(config.weights)} points of w measured")
    png = plotting.plot_single_neuron(results.read_results(jsonl), stem.with_suffix(".png"))
    print(f"results: {jsonl}\nplot:    {png}")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="nothing was written.")
