"""The single-neuron experiment's figure: the plug-in mutual information against the weight."""

import numpy as np

from echo_ib.plotting import _figure

__all__ = ["plot_single_neuron"]


def plot_single_neuron(records, path, title=None):
    """The single noisy neuron (Goldfeld et al. 2019, §3.1): I(X;T) along w per σ (exact,
    plug-in ±1 s.e., binned) above the four symbol positions tanh(w x − 2w)."""
    sigmas = sorted({r["sigma"] for r in records})
    if not sigmas:
        raise ValueError("no measurements to plot.")
    fig, axes = _figure.subplots(2, len(sigmas), figsize=(5.2 * len(sigmas), 6.4), dpi=110,
                                 squeeze=False, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for col, sigma in enumerate(sigmas):
        rs = sorted((r for r in records if r["sigma"] == sigma), key=lambda r: r["w"])
        w = np.array([r["w"] for r in rs])
        ax = axes[0, col]
        ax.plot(w, [r["I_exact"] for r in rs], color="k", lw=1.2, label="exact (quadrature)")
        ax.errorbar(w, [r["I_plugin"] for r in rs], yerr=[r["I_plugin_stderr"] for r in rs],
                    fmt="o", ms=3, capsize=2, color="C0", label="plug-in ±1 s.e.")
        ax.plot(w, [r["H_binned_30"] for r in rs], ls="--", color="C1",
                label="H(Bin(S)), 30 bins")
        ax.plot(w, [r["H_binned_sigma"] for r in rs], ls=":", color="C2",
                label="H(Bin(S)), width σ")
        ax.axhline(np.log(4), color="0.6", lw=0.7)
        ax.set_xscale("log")
        ax.set_ylabel(f"I(X;T) ({rs[0].get('units', 'nats')})")
        ax.set_title(f"σ = {sigma:g}", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
        sym = np.array([r["symbols"] for r in rs])
        for k, x in enumerate((-3, -1, 1, 3)):
            axes[1, col].plot(w, sym[:, k], label=f"x = {x}")
        axes[1, col].set_xscale("log")
        axes[1, col].set_xlabel("w (b = −2w)")
        axes[1, col].set_ylabel("tanh(wx + b)")
        axes[1, col].grid(alpha=0.3)
        axes[1, col].legend(fontsize=7, ncol=2)
    fig.suptitle(title or "A single noisy neuron: I(X;T) falls as the symbols cluster",
                 fontsize=11)
    return _figure.save(fig, path, rect=(0, 0, 1, 0.96))
