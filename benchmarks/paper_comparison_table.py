r"""The echo paper's comparison as one Markdown table, read from the recorded results.

    python benchmarks/paper_comparison_table.py [--results=results/paper_comparison]

One row per model of `configs/studies.PAPER_METHODS`, one column per data set with a
results file (`mnist.jsonl`, `omniglot.jsonl`, `fashion_mnist.jsonl`): test −ELBO / IWAE
bound in nats per image (— where the model has no posterior density, "not run" where the
file holds no point of the model), the best −ELBO of each column in bold; then, per data
set, the best model and echo's gap to it. Seed 0 at β = 1; a model with several records
(seeds, protocols) shows the mean of its records' numbers and says how many.
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


def main():
    folder = REPO / _RESULTS.value
    columns = []
    for stem, title in _DATA:
        path = folder / f"{stem}.jsonl"
        if not path.exists():
            continue
        by_method = {}
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if record["beta"] == 1.0 and not record.get("swept"):
                by_method.setdefault(record["method"], []).append(record)
        columns.append((title, {m: (_mean([r["test_neg_elbo"] for r in rs]),
                                    _mean([r["test_iwae_nll"] for r in rs]), len(rs))
                                for m, rs in by_method.items()}))
    print("| model | " + " | ".join(f"{t}: −ELBO / IWAE" for t, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    best = {t: min(c.items(), key=lambda kv: kv[1][0]) for t, c in columns if c}
    for method in studies.PAPER_METHODS:
        label = methods.METHODS[method].label + (" (gated)" if method == "echo" else "")
        cells = []
        for title, column in columns:
            if method not in column:
                cells.append("not run")
                continue
            elbo, iwae, count = column[method]
            text = f"{elbo:.2f}"
            if best[title][0] == method:
                text = f"**{text}**"
            text += " / " + ("—" if iwae is None else f"{iwae:.2f}")
            cells.append(text + (f" ({count} runs)" if count > 1 else ""))
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    for title, column in columns:
        if not column:
            continue
        winner, (elbo, iwae, _) = best[title]
        gap = (f"; echo {column['echo'][0] - elbo:+.2f} nats" if "echo" in column else "")
        ran = len(column)
        print(f"* {title}: best −ELBO {methods.METHODS[winner].label} {elbo:.2f}{gap} "
              f"({ran} of {len(studies.PAPER_METHODS)} models run)")


if __name__ == "__main__":
    _cli.run(main)
