"""echo on omniglot (see configs/default.py for every field)."""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "omniglot"
    config.method = "echo"
    config.sweep.methods = ["echo"]
    return config
