r"""Trains a noisy network and draws its information plane.

    python experiments/info_plane.py --config=configs/info_plane_twelve_bit.py \
        --workdir=runs/info_plane_12bit [--config.sigma=0.05] [--config.schedule=adaptive]

Writes <workdir>/information.jsonl, information_plane.png and binned_vs_plugin.png. A run
starts from epoch 0: a workdir of the same settings is cleared first, one of other
settings is refused (echo_ib.info_plane.tracking.prepare_workdir).
"""

import _cli
from absl import flags
from ml_collections import config_flags

from echo_ib.info_plane import schema as info_plane_schema
from echo_ib.info_plane import tracking as info_plane

_CONFIG = config_flags.DEFINE_config_file("config", None, "Info-plane config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Output directory.")
flags.mark_flags_as_required(["config", "workdir"])


def main():
    info_plane.train_with_information_plane(_CONFIG.value, _WORKDIR.value)
    print(f"information plane: {_WORKDIR.value}/information_plane.png")


if __name__ == "__main__":
    _cli.run(main, on_interrupt="an information plane keeps no checkpoint: re-running the same "
                                "command starts it over from epoch 0 in the same workdir.",
             config_help=("Information-plane config fields", info_plane_schema.describe()))
