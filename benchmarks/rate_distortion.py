r"""Echo against the β-VAE from results files: tables, gaps at equal rate, and the figure.

    python benchmarks/rate_distortion.py \
        --results=results/echo_study/latent16.jsonl,results/echo_study/latent32.jsonl \
        --labels="latent 16,latent 32" [--plot=results/echo_study/fashion_mnist_rd.png]

For each results file (one setting of echo and of the β-VAE): a markdown table per β of
test rate R, distortion D and −ELBO = R + D (mean over seeds, with the spread when there
are several), epochs trained and best epoch; then the paper's two claims, read from the
data: (1) at β = 1, echo's test −ELBO below the VAE's; (2) each echo point's distortion
against the VAE curve's at the same rate (linear interpolation between VAE points; points
outside the VAE's range of rates are reported, not judged). `--compare` names one file
whose VAE curve the echo points of every file are also judged against (e.g. the VAE at
its best latent size). Nothing here trains: the numbers come from the files.
"""

import collections
import sys

import numpy as np
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from echo_ib import plotting  # noqa: E402
from echo_ib.training import results as results_lib  # noqa: E402

_RESULTS = flags.DEFINE_list("results", None, "results.jsonl files, one setting each.")
_LABELS = flags.DEFINE_list("labels", None, "A label per file.")
_COMPARE = flags.DEFINE_string("compare", "", "A file whose VAE curve every echo curve is "
                               "also judged against.")
_PLOT = flags.DEFINE_string("plot", "", "Figure of all curves ('' skips).")
_SPLIT = flags.DEFINE_enum("split", "test", ["test", "val"], "Which numbers.")
flags.mark_flags_as_required(["results"])


def _by_point(records, split):
    grouped = collections.defaultdict(list)
    for r in records:
        setting = plotting.curve_setting(r)
        method = r["method"] + (f" ({setting})" if setting else "")
        grouped[(method, float(r["beta"]))].append(r)
    table = {}
    for key, rs in grouped.items():
        rate = np.array([r[f"{split}_rate"] for r in rs])
        dist = np.array([r[f"{split}_distortion"] for r in rs])
        table[key] = {"rate": rate.mean(), "distortion": dist.mean(),
                      "neg_elbo": (rate + dist).mean(), "spread": np.ptp(rate + dist),
                      "seeds": len(rs), "epochs": [r.get("epochs_trained") for r in rs],
                      "best": [r.get("best_epoch") for r in rs]}
    return table


def _vae_curve(table):
    points = sorted((v["rate"], v["distortion"]) for (m, _), v in table.items()
                    if m.split(" ")[0] == "vae")
    return np.array(points).T if len(points) >= 2 else None


def judge(name, table, curve, curve_name):
    if curve is None:
        return
    rates, dists = curve
    print(f"\nEcho ({name}) against the VAE curve ({curve_name}) at equal rate:\n")
    for (method, beta), v in sorted(table.items(), key=lambda kv: kv[0][1]):
        if method.split(" ")[0] != "echo":
            continue
        if not rates[0] <= v["rate"] <= rates[-1]:
            print(f"- β = {beta:g}: echo rate {v['rate']:.2f} outside the VAE's "
                  f"[{rates[0]:.2f}, {rates[-1]:.2f}]; not judged")
            continue
        vae_d = float(np.interp(v["rate"], rates, dists))
        gap = v["distortion"] - vae_d
        print(f"- β = {beta:g}: echo D {v['distortion']:.2f} vs VAE {vae_d:.2f} at R = "
              f"{v['rate']:.2f}: echo {'at or below' if gap <= 0 else 'ABOVE'} by {abs(gap):.2f}")


def main(argv):
    del argv
    labels = _LABELS.value or _RESULTS.value
    split = _SPLIT.value
    everything, compare = [], None
    if _COMPARE.value:
        compare = _vae_curve(_by_point(results_lib.read_results(_COMPARE.value), split))
    for path, label in zip(_RESULTS.value, labels):
        records = results_lib.read_results(path)
        if not records:
            print(f"\n{label}: no results in {path}")
            continue
        table = _by_point(records, split)
        print(f"\n### {label} ({path}, {split} values, nats/image)\n")
        print("| β | method | seeds | R | D | −ELBO | spread over seeds | epochs (best) |")
        print("|---|---|---|---|---|---|---|---|")
        for (method, beta), v in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            epochs = ", ".join(f"{e} ({b})" for e, b in zip(v["epochs"], v["best"]))
            print(f"| {beta:g} | {method} | {v['seeds']} | {v['rate']:.2f} | "
                  f"{v['distortion']:.2f} | {v['neg_elbo']:.2f} | "
                  f"{v['spread']:.2f} | {epochs} |")
        vaes = [k for k in table if k[1] == 1.0 and k[0].split(" ")[0] == "vae"]
        for key in sorted(k for k in table if k[1] == 1.0 and k[0].split(" ")[0] == "echo"):
            for vae_key in vaes:
                e, v = table[key]["neg_elbo"], table[vae_key]["neg_elbo"]
                print(f"\nβ = 1: {key[0]} −ELBO {e:.2f} vs {vae_key[0]} {v:.2f}: echo "
                      f"{'lower' if e < v else 'NOT lower'} by {abs(e - v):.2f} nats")
        judge(label, table, _vae_curve(table), "same file")
        if compare is not None:
            judge(label, table, compare, _COMPARE.value)
        for r in records:
            r = dict(r)
            r["method"] = f"{r['method']} ({label})"
            everything.append(r)
    if _PLOT.value and everything:
        print(f"\nplot: {plotting.plot_rate_distortion(everything, _PLOT.value, split=split)}")


if __name__ == "__main__":
    app.run(main)
