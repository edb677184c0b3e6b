r"""The echo paper's comparison as one Markdown table, read from the recorded results.

    python benchmarks/paper_comparison_table.py [--results=results]

One row per model of `configs/studies.PAPER_METHODS`, one column per data set and protocol
with a results file under --results (`_COLUMNS`): test −ELBO / IWAE bound in nats per image
(— where the model has no posterior density, "not measured" where it has one but its
record has no bound, "not run" where no file holds a point of the model), the best −ELBO of
each column in bold; then, per column, the best model and echo's gap to every model on
each seed both ran (all of them, not only the seeds the table averages).

β = 1, latent 32. A column may read several files (the paper's schedule: the comparison's
own runs and the gated-echo study's echo and β-VAE); where two hold the same model and
seed, the first listed wins. A column compares the models on the seeds that every model
in it has run (so that no model's mean is over other seeds than another's): each cell is
the mean over those seeds, and with two or more the −ELBO of each seed follows in
brackets. Records of other seeds are counted below the table, not averaged in.
"""

import json
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "experiments"))

import _cli  # noqa: E402
from absl import flags  # noqa: E402

from configs import studies  # noqa: E402
from echo_ib import channels  # noqa: E402
from echo_ib.models import methods  # noqa: E402

_RESULTS = flags.DEFINE_string("results", "results",
                               "The folder that holds the results files of `_COLUMNS`.")

_COLUMNS = [
    ("bundled MNIST", ["paper_comparison/mnist.jsonl"]),
    ("bundled Omniglot", ["paper_comparison/omniglot.jsonl"]),
    ("FashionMNIST (fast protocol)", ["paper_comparison/fashion_mnist.jsonl"]),
    ("FashionMNIST (paper's schedule)", ["paper_comparison/fashion_mnist_paper_schedule.jsonl",
                                         "echo_gate/fashion_mnist_paper_schedule.jsonl"]),
]


def _mean(values):
    """The mean, or None where any value is missing (a bound measured on one seed only)."""
    values = list(values)
    return None if not values or None in values else sum(values) / len(values)


def _column(paths):
    """{method: {seed: record}} at β = 1 and latent 32, and the seeds every method has run."""
    by_method = {}
    for path in paths:
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if (record["beta"] == 1.0 and not record.get("swept")
                    and record.get("latent_dim", 32) == 32):
                by_method.setdefault(record["method"], {}).setdefault(record["seed"], record)
    common = set.intersection(*(set(seeds) for seeds in by_method.values())) if by_method \
        else set()
    return by_method, sorted(common)


def _label(method):
    return methods.METHODS[method].label + (" (gated)" if method == "echo" else "")


def _bound(method, iwae):
    if not channels.CHANNELS[methods.METHODS[method].channel].has_posterior_density:
        return "—"
    return "not measured" if iwae is None else f"{iwae:.2f}"


def main():
    folder = REPO / _RESULTS.value
    columns = []
    for title, names in _COLUMNS:
        paths = [folder / name for name in names if (folder / name).exists()]
        if paths:
            columns.append((title, *_column(paths)))
    print("| model | " + " | ".join(f"{t}: −ELBO / IWAE" for t, *_ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    means = {title: {m: (_mean([runs[s]["test_neg_elbo"] for s in seeds]),
                         _mean([runs[s].get("test_iwae_nll") for s in seeds]))
                     for m, runs in by_method.items()}
             for title, by_method, seeds in columns if seeds}
    best = {title: min(column, key=lambda m: column[m][0]) for title, column in means.items()}
    for method in studies.PAPER_METHODS:
        cells = []
        for title, by_method, seeds in columns:
            if method not in by_method or not seeds:
                cells.append("not run")
                continue
            elbo, iwae = means[title][method]
            text = f"**{elbo:.2f}**" if best[title] == method else f"{elbo:.2f}"
            if len(seeds) > 1:
                text += " (" + ", ".join(
                    f"{by_method[method][s]['test_neg_elbo']:.2f}" for s in seeds) + ")"
            cells.append(text + " / " + _bound(method, iwae))
        print(f"| {_label(method)} | " + " | ".join(cells) + " |")
    print()
    for title, by_method, seeds in columns:
        if not seeds:
            continue
        winner = best[title]
        extra = sum(len(set(runs) - set(seeds)) for runs in by_method.values())
        print(f"* {title}: {len(by_method)} of {len(studies.PAPER_METHODS)} models, "
              f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}"
              + (f" ({extra} record{'s' if extra > 1 else ''} of other seeds not averaged)"
                 if extra else "")
              + f"; best −ELBO {_label(winner)} {means[title][winner][0]:.2f}.")
        if "echo" in by_method:
            echo = by_method["echo"]
            echo_seeds = sorted(echo)
            gaps = []
            for method in studies.PAPER_METHODS:
                if method == "echo" or method not in by_method:
                    continue
                runs = by_method[method]
                per_seed = [f"{echo[s]['test_neg_elbo'] - runs[s]['test_neg_elbo']:+.2f}"
                            if s in runs else "·" for s in echo_seeds]
                gaps.append(f"{_label(method)} " + " / ".join(per_seed))
            print(f"  echo − model, −ELBO nats, on each seed echo ran "
                  f"({', '.join(map(str, echo_seeds))}; · where the model did not): "
                  + "; ".join(gaps) + ".")


if __name__ == "__main__":
    _cli.run(main)
