"""The figures are drawn from records alone."""

import matplotlib.axes
import pytest

from echo_ib import plotting


def _record(method, beta, rate, distortion, seed=0):
    return {"dataset": "fashion_mnist", "method": method, "architecture": "mlp", "beta": beta,
            "seed": seed, "test_rate": rate, "test_distortion": distortion}


def test_rate_distortion_png(tmp_path):
    records = [_record("echo", b, 10 / b, 250 + 5 * b, s) for b in (0.5, 1, 2) for s in (0, 1)]
    records += [_record("vae", b, 12 / b, 252 + 5 * b) for b in (0.5, 1, 2)]
    path = plotting.plot_rate_distortion(records, tmp_path / "rd.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_information_plane_png(tmp_path):
    records = [{"epoch": e, "layer": l, "I(X;T)": 5 - l + e / 10, "I(Y;T)": 0.5}
               for e in (0, 1, 5) for l in (0, 1)]
    path = plotting.plot_information_plane(records, tmp_path / "ip.png")
    assert path.stat().st_size > 1000


def test_points_whose_compressor_failed_are_circled(tmp_path, monkeypatch):
    records = [{"epoch": e, "layer": l, "I(X;T)": 5 - l + e / 10, "I(Y;T)": 0.5,
                "compressor_ok": not (e == 0 and l == 1)} for e in (0, 1, 5) for l in (0, 1)]
    circled = []
    original = matplotlib.axes.Axes.scatter

    def spy(self, x, y, *args, **kwargs):
        if kwargs.get("facecolors") == "none":
            circled.append((list(x), list(y)))
        return original(self, x, y, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "scatter", spy)
    plotting.plot_information_plane(records, tmp_path / "ip.png")
    plotting.plot_compression_vs_plugin(records, tmp_path / "cp.png")
    assert circled == [([4.0], [0.5]), ([0.0], [4.0])]  # layer 1 at epoch 0, in both plots


def test_nothing_to_plot(tmp_path):
    with pytest.raises(ValueError, match="no results"):
        plotting.plot_rate_distortion([], tmp_path / "x.png")


def test_one_curve_per_setting_of_the_other_swept_fields(tmp_path, monkeypatch):
    records = [dict(_record("echo", beta, 10 / beta, 240 + beta), gate="hard_concrete",
                    swept={"latent_dim": latent}) for latent in (16, 64) for beta in (0.5, 1.0)]
    records += [dict(_record("vae", beta, 12 / beta, 241 + beta), swept={"latent_dim": 16}) for beta in (0.5, 1.0)]
    assert plotting.curve_setting(records[0]) == "gate hard_concrete, latent_dim=16"
    assert plotting.curve_setting(records[-1]) == "latent_dim=16"
    assert plotting.curve_setting({"method": "vae", "gate": None}) == ""
    labels = []
    original = matplotlib.axes.Axes.errorbar

    def spy(self, *args, **kwargs):
        labels.append(kwargs.get("label"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "errorbar", spy)
    plotting.plot_rate_distortion(records, tmp_path / "rd.png")
    assert len(labels) == 3 and any("latent_dim=64" in label for label in labels)


def test_importing_and_plotting_choose_no_matplotlib_backend(tmp_path):
    """No global state on import or in a library call: figures are `Figure` objects drawn
    on their own canvas, so no matplotlib backend is chosen for the user (echo_ib used to
    call matplotlib.use('Agg') on import). Keras imports pyplot itself, without choosing
    a backend."""
    import subprocess
    import sys

    code = ("import sys, matplotlib\n"
            "import echo_ib\n"
            "from echo_ib import plotting\n"
            f"plotting.plot_rate_distortion([{{'dataset': 'd', 'method': 'vae', 'architecture': 'mlp',"
            f" 'beta': 1.0, 'seed': 0, 'test_rate': 1.0, 'test_distortion': 2.0}}], {str(tmp_path / 'rd.png')!r})\n"
            "assert matplotlib.rcParams._get_backend_or_none() is None, 'backend chosen'\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_rate_distortion_panels_per_data_set_standard_errors_and_unique_labels():
    """Two data sets never share an axis; a point of n seeds has bars of ±1 standard error
    (sample s.d. / √n); close points' β labels do not overlap; the legend names each curve
    once."""
    import numpy as np
    from echo_ib import plotting
    records = []
    for seed, (rate, dist) in enumerate([(10.0, 100.0), (12.0, 104.0), (14.0, 102.0)]):
        records.append({"dataset": "mnist", "method": "vae", "architecture": "mlp",
                        "beta": 1.0, "seed": seed, "test_rate": rate, "test_distortion": dist})
    for beta, rate in ((2.0, 5.0), (2.1, 5.01), (4.0, 3.0)):  # two nearly equal points
        records.append({"dataset": "omniglot", "method": "echo", "architecture": "mlp",
                        "beta": beta, "seed": 0, "gate": "hard_concrete",
                        "swept": {"echo.gate": "hard_concrete"},
                        "test_rate": rate, "test_distortion": 100.0 - rate})
    fig, _ = plotting.rate_distortion_figure(records)
    panels = [ax for ax in fig.axes if ax.get_xlabel()]
    assert [ax.get_title().split("\n")[0] for ax in panels] == ["mnist", "omniglot"]
    assert all("nats/image" in ax.get_xlabel() and "nats/image" in ax.get_ylabel()
               for ax in panels)
    bars = [c for c in panels[0].collections if c.get_segments()]
    lengths = sorted({round(float(np.ptp([p[1] for p in seg])), 6)
                      for c in bars for seg in c.get_segments()})
    rates, dists = np.array([10.0, 12.0, 14.0]), np.array([100.0, 104.0, 102.0])
    expected = sorted({round(2 * float(np.std(v, ddof=1) / np.sqrt(3)), 6)
                       for v in (rates, dists)})
    assert lengths == expected or lengths == [0.0] + expected, (lengths, expected)
    assert "standard error" in fig._suptitle.get_text()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in panels[1].texts if t.get_text().startswith("β=")]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert len(boxes) == 3
    assert not any(a.overlaps(b) for k, a in enumerate(boxes) for b in boxes[k + 1:])
    legend = fig.legends[0]
    names = [t.get_text() for t in legend.get_texts()]
    assert names == ["β-VAE [mlp]", "echo [mlp, echo.gate=hard_concrete]"]
