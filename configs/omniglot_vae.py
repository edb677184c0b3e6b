"""vae on omniglot (see configs/default.py for every field)."""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "omniglot"
    config.method = "vae"
    config.sweep.methods = ["vae"]
    return config
