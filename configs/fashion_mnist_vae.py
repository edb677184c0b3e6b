"""vae on fashion_mnist (see configs/default.py for every field)."""

from configs import default


def get_config():
    config = default.get_config()
    config.dataset = "fashion_mnist"
    config.method = "vae"
    config.sweep.methods = ["vae"]
    return config
