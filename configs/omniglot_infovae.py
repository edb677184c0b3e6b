"""infovae on omniglot (see configs/default.py for every field)."""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "omniglot"
    config.method = "infovae"
    config.sweep.methods = ["infovae"]
    return config
