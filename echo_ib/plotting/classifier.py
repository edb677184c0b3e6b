"""The bottleneck classifier's curve: rate I(X;Z) against test error and cross-entropy over β."""

from echo_ib.plotting import _figure

__all__ = ["plot_classifier_curve"]


def plot_classifier_curve(records, path):
    """Test error (%) against the test rate (nats) of bottleneck classifiers, one line per
    method, each point labelled with its β (`experiments/classifier_curve.py`)."""
    fig, ax = _figure.subplots(figsize=(6, 4.2), dpi=120)
    placed = []
    for method in sorted({r["method"] for r in records}):
        points = sorted((r["test_rate"], 100 * r["test_error"], r["beta"])
                        for r in records if r["method"] == method)
        (line,) = ax.plot([p[0] for p in points], [p[1] for p in points], "o-",
                          label={"echo": "echo noise", "vib": "VIB (Gaussian)"}.get(method,
                                                                                    method))
        for rate, error, beta in points:
            _figure.label_without_overlap(ax, f"β={beta:g}", (rate, error), line.get_color(),
                                                 placed)
    ax.set_xlabel("test rate I(X;Z) (nats; VIB: its KL bound)")
    ax.set_ylabel("test error (%)")
    ax.set_title(_figure.wrap(records[0]["data_subset"], 80), fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend()
    return _figure.save(fig, path)
