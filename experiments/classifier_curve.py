r"""Supervised information bottlenecks: echo against VIB over β, as an error–rate curve.

    python experiments/classifier_curve.py --config=configs/classifier_mnist.py \
        --workdir=runs/classifier_mnist [--config.epochs=5]

Trains one `BottleneckClassifier` per (method, β, seed) of the config's grid
(`echo_ib.training.classifier`), appends each record to `<workdir>/results.jsonl` as it
finishes (a re-run skips recorded points), and draws `<workdir>/error_rate.png`: test
error against the test rate I(X;Z) in nats, one line per method.
"""

import pathlib

import _cli
from absl import flags
from ml_collections import config_flags

from echo_ib import plotting
from echo_ib.training import classifier, results

_CONFIG = config_flags.DEFINE_config_file("config", None, "Classifier config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Where results.jsonl and the plot go.")
flags.mark_flags_as_required(["config", "workdir"])


def main():
    config = _CONFIG.value
    classifier.validate_config(config)
    workdir = pathlib.Path(_WORKDIR.value)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "results.jsonl"
    done = {classifier.point_key(r) for r in results.read_results(path)}
    grid = [(m, float(b), int(s)) for m in config.methods for b in config.betas
            for s in config.seeds]
    todo = [point for point in grid if point not in done]
    print(f"classifier curve: {len(grid)} points, {len(grid) - len(todo)} already in {path}, "
          f"{len(todo)} to train")
    for number, (method, beta, seed) in enumerate(todo, 1):
        print(f"[{number}/{len(todo)}] training {method} at β = {beta:g}, seed {seed}")
        record = classifier.train_classifier(config, method, beta, seed)
        results.append_result(path, record)
        print(f"[{number}/{len(todo)}] {method} β = {beta:g}: test error "
              f"{100 * record['test_error']:.2f} %, rate {record['test_rate']:.2f} nats "
              f"({record['wall_seconds']:.0f} s)")
    records = [r for r in results.read_results(path)
               if classifier.point_key(r) in set(grid)]
    if records:
        png = plotting.plot_classifier_curve(records, workdir / "error_rate.png")
        print(f"results: {path}\nplot:    {png}")


if __name__ == "__main__":
    _cli.run(main)
