"""Writers of tiny files in the standard formats, for the loaders' tests."""

import gzip
import io
import struct
import zipfile

import numpy as np
from PIL import Image


def write_idx(path, array):
    array = np.asarray(array, np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.tobytes())


def write_png_zip(path, images_by_character, top="images_background"):
    """images_by_character: {'Alphabet/characterNN': [uint8 105x105 arrays]}."""
    with zipfile.ZipFile(path, "w") as archive:
        for character, images in images_by_character.items():
            for k, img in enumerate(images):
                buffer = io.BytesIO()
                Image.fromarray(img).save(buffer, format="PNG")
                archive.writestr(f"{top}/{character}/{k:04d}.png", buffer.getvalue())


def tiny_config(folder, **overrides):
    """A training config on the tiny data: 200 training, 100 validation and 100 test images,
    latent 4, batch 50, one epoch, steps run eagerly (tracing the train and test steps costs
    more CPU than four tiny batches; the traced and XLA paths have their own smoke tests in
    tests/training/test_trainer.py); `overrides` as {'field.sub': value}."""
    import pathlib
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from configs import default

    config = default.get_config()
    config.dataset = "mnist"  # the tiny files use MNIST's names and are read as such
    config.data_dir = str(folder)
    config.test_split = "train"
    config.test_size = 100
    config.validation_size = 100
    config.epochs = 1
    config.batch_size = 50
    config.latent_dim = 4
    config.iwae_samples = 20
    config.tensorboard = False
    config.run_eagerly = True
    config.sweep.betas = [1.0]
    for key, value in overrides.items():
        target = config
        *parents, leaf = key.split(".")
        for p in parents:
            target = target[p]
        target[leaf] = value
    return config


def settings_it_reads(method, **settings):
    """Those of `settings` (build_vae keywords) that `method` reads: a smaller VampPrior or
    IAF for a test, passed only to the methods that have one."""
    from echo_ib.models import methods

    return {k: v for k, v in settings.items() if k in methods.settings(method)}


def write_config_file(path, config):
    """A config file (`get_config()` returning `config`) for the entry points."""
    path.write_text("import ml_collections\ndef get_config():\n"
                    f"    return ml_collections.ConfigDict({config.to_dict()!r})\n")
    return path
