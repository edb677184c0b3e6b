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
