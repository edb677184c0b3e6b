"""Smoke test of the information-plane experiment on the 12-bit task."""

import sys

from echo_ib.training import info_plane
from tests.training.test_sweep import REPO

sys.path.insert(0, str(REPO))
from configs import info_plane_twelve_bit  # noqa: E402


def test_twelve_bit_run_writes_measurements_and_plots(tmp_path):
    config = info_plane_twelve_bit.get_config()
    config.epochs = 2
    config.num_measurements = 2
    config.num_mc = 500
    config.num_noise_draws = 2
    records = info_plane.train_with_information_plane(config, tmp_path, verbose=0)
    assert {r["epoch"] for r in records} == {0, 1, 2}
    assert len(records) == 3 * 5
    for name in ("information.jsonl", "information_plane.png", "binned_vs_plugin.png"):
        assert (tmp_path / name).stat().st_size > 0
