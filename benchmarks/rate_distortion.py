r"""Echo noise against the β-VAE on the real FashionMNIST: same architecture, same β grid.

    python benchmarks/rate_distortion.py --workdir=runs/benchmark_rd [--epochs=20] \
        [--architecture=mlp] [--betas=0.25,0.5,1,2,4] [--train_size=0]

Runs (or resumes) the sweep with `echo_ib.training.sweep`, then prints a markdown table of
test rate, distortion and −ELBO per point, and checks the echo paper's two claims:
(1) at β = 1 echo's test −ELBO is below the VAE's; (2) echo's curve lies at or below the
VAE's: each echo point's distortion is compared with the VAE curve's distortion at the same
rate (linear interpolation between VAE points; points outside the VAE's rate range are
reported, not judged).
"""

import platform
import sys
import time

import numpy as np
from absl import app, flags

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
from configs import default  # noqa: E402
from echo_ib.training import results, sweep  # noqa: E402

_WORKDIR = flags.DEFINE_string("workdir", "runs/benchmark_rd", "Sweep directory (resumable).")
_EPOCHS = flags.DEFINE_integer("epochs", 20, "Epochs per point.")
_ARCH = flags.DEFINE_enum("architecture", "mlp", ["mlp", "conv"], "Architecture.")
_BETAS = flags.DEFINE_list("betas", ["0.25", "0.5", "1", "2", "4"], "β grid.")
_TRAIN = flags.DEFINE_integer("train_size", 0, "Training images (0: all 60,000).")
_F_SCALE = flags.DEFINE_float("f_scale", 16.0, "Echo's pre-activation scale.")
_METHODS = flags.DEFINE_list("methods", ["echo", "vae"], "Methods to train.")
_COMPARE = flags.DEFINE_string("compare_with", "", "Another results.jsonl whose VAE points "
                               "to compare against (e.g. an echo-only run's baseline).")


def main(argv):
    del argv
    config = default.get_config()
    config.dataset = "fashion_mnist"
    config.architecture = _ARCH.value
    config.epochs = _EPOCHS.value
    config.train_size = _TRAIN.value
    config.echo.f_scale = _F_SCALE.value
    config.sweep.methods = list(_METHODS.value)
    config.sweep.betas = [float(b) for b in _BETAS.value]
    start = time.time()
    records = sweep.run_sweep(config, _WORKDIR.value)
    if _COMPARE.value:
        records += [r for r in results.read_results(_COMPARE.value) if r["method"] == "vae"]
    records = [r for r in records if r["architecture"] == _ARCH.value
               and r["epochs"] == _EPOCHS.value]
    by = {(r["method"], r["beta"]): r for r in records}
    print(f"\n# rate-distortion, FashionMNIST, {_ARCH.value}, {_EPOCHS.value} epochs, "
          f"{records[0]['train_examples']} training images, latent 32, B = 100, echo f_scale "
          f"{_F_SCALE.value:g}; {time.strftime('%Y-%m-%d')}, {platform.machine()}; "
          f"{time.time() - start:.0f} s this run")
    print("\n| β | echo R | echo D | echo −ELBO | VAE R | VAE D | VAE −ELBO |")
    print("|---|---|---|---|---|---|---|")
    for beta in config.sweep.betas:
        e, v = by.get(("echo", beta)), by.get(("vae", beta))
        cells = [f"{r['test_rate']:.2f} | {r['test_distortion']:.2f} | {r['test_neg_elbo']:.2f}"
                 if r else "– | – | –" for r in (e, v)]
        print(f"| {beta:g} | {cells[0]} | {cells[1]} |")
    if ("echo", 1.0) in by and ("vae", 1.0) in by:
        e, v = by[("echo", 1.0)]["test_neg_elbo"], by[("vae", 1.0)]["test_neg_elbo"]
        print(f"\nβ = 1: echo −ELBO {e:.2f} vs VAE {v:.2f} nats: "
              f"{'echo lower (target met)' if e < v else 'echo NOT lower (target missed)'}")
    vae_pts = sorted((r["test_rate"], r["test_distortion"]) for r in records
                     if r["method"] == "vae")
    rates, dists = np.array(vae_pts).T if vae_pts else (np.array([]), np.array([]))
    for r in sorted((r for r in records if r["method"] == "echo"), key=lambda r: r["beta"]):
        if len(rates) < 2 or not rates[0] <= r["test_rate"] <= rates[-1]:
            print(f"echo β={r['beta']:g}: rate {r['test_rate']:.2f} outside the VAE curve's range")
            continue
        vae_d = np.interp(r["test_rate"], rates, dists)
        gap = r["test_distortion"] - vae_d
        print(f"echo β={r['beta']:g}: D {r['test_distortion']:.2f} vs VAE curve {vae_d:.2f} at "
              f"the same rate ({'at or below' if gap <= 0 else 'above'} by {abs(gap):.2f})")


if __name__ == "__main__":
    app.run(main)
