"""flow on mnist (see configs/default.py for every field)."""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "mnist"
    config.method = "flow"
    config.sweep.methods = ["flow"]
    return config
