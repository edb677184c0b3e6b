r"""The echo paper's comparison as one Markdown table, read from the recorded results.

    python benchmarks/paper_comparison_table.py [--results=results/paper_comparison]

One row per model of `configs/studies.PAPER_METHODS`, one column per data set with a
results file (`mnist.jsonl`, `omniglot.jsonl`, `fashion_mnist.jsonl`): test −ELBO / IWAE
bound in nats per image (— where the model has no posterior density, "not run" where the
file holds no point of the model), the best −ELBO of each column in bold; then, per data
set, the best model and echo's gap to every model on each seed both ran (all of them,
not only the seeds the table averages).

β = 1. A column compares the models on the seeds that every model in it has run (so that
no model's mean is over other seeds than another's): each cell is the mean over those
seeds, and with two or more the −ELBO of each seed follows in brackets. Records of other
seeds are counted below the table, not averaged in.
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
from echo_ib.models import methods  # noqa: E402

_RESULTS = flags.DEFINE_string("results", "results/paper_comparison",
                               "The folder of the comparison's results files.")

_DATA = [("mnist", "bundled MNIST"), ("omniglot", "bundled Omniglot"),
         ("fashion_mnist", "FashionMNIST (fast protocol)")]


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _column(path):
    """{method: {seed: record}} at β = 1, and the seeds every method has run."""
    by_method = {}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record["beta"] == 1.0 and not record.get("swept"):
            by_method.setdefault(record["method"], {})[record["seed"]] = record
    common = set.intersection(*(set(seeds) for seeds in by_method.values())) if by_method \
        else set()
    return by_method, sorted(common)


def _label(method):
    return methods.METHODS[method].label + (" (gated)" if method == "echo" else "")


def main():
    folder = REPO / _RESULTS.value
    columns = []
    for stem, title in _DATA:
        path = folder / f"{stem}.jsonl"
        if path.exists():
            columns.append((title, *_column(path)))
    print("| model | " + " | ".join(f"{t}: −ELBO / IWAE" for t, *_ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    means = {title: {m: (_mean([runs[s]["test_neg_elbo"] for s in seeds]),
                         _mean([runs[s]["test_iwae_nll"] for s in seeds]))
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
            cells.append(text + " / " + ("—" if iwae is None else f"{iwae:.2f}"))
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
