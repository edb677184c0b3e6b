"""Figures drawn from results data, one module per kind of figure.

* `rate_distortion`: distortion against rate per method and data set (sweeps);
* `classifier`: the bottleneck classifier's rate against test error over β;
* `information_plane`: information planes and information over training of noisy
  networks, compression and binning against the plug-in, clustering snapshots;
* `single_neuron`: the single-neuron experiment;
* `images`: sample and reconstruction mosaics.

Every figure is drawn on its own `matplotlib.figure.Figure` with the Agg canvas: no pyplot,
no global state. This package is the harness's, not the library's: `import echo_ib` does
not load it (nor matplotlib).
"""

from echo_ib.plotting.classifier import plot_classifier_curve
from echo_ib.plotting.images import plot_image_grid, plot_reconstructions
from echo_ib.plotting.information_plane import (plot_binned_vs_plugin, plot_clustering,
                                                plot_compression_vs_plugin,
                                                plot_information_over_training,
                                                plot_information_plane,
                                                plot_orthonormal_comparison)
from echo_ib.plotting.rate_distortion import (curve_setting, method_label,
                                              plot_rate_distortion, rate_distortion_figure)
from echo_ib.plotting.single_neuron import plot_single_neuron

__all__ = [
    "curve_setting",
    "method_label",
    "plot_binned_vs_plugin",
    "plot_classifier_curve",
    "plot_clustering",
    "plot_compression_vs_plugin",
    "plot_image_grid",
    "plot_information_over_training",
    "plot_information_plane",
    "plot_orthonormal_comparison",
    "plot_rate_distortion",
    "plot_reconstructions",
    "plot_single_neuron",
    "rate_distortion_figure",
]
