"""echo on Burda et al.'s 28×28 Omniglot (chardata.mat, downloaded when missing;
experiments/train.py --help lists every field)."""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "omniglot_chardata"
    config.method = "echo"
    config.sweep.methods = ["echo"]
    return config
