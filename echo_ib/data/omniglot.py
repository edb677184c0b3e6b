"""Omniglot (Lake, Salakhutdinov, Tenenbaum 2015) resized to 28×28.

Two formats:
* the original PNG zips (`images_background.zip`, `images_evaluation.zip`, and the
  `images_background_small{1,2}.zip` subsets): 105×105 black-on-white strokes, read,
  inverted (stroke = 1) and resized to 28×28 by box-filter averaging;
* Burda et al.'s `chardata.mat` (IWAE, 2016): keys `data`/`testdata` [784, N] in
  column-major (MATLAB) pixel order and one-hot `target`/`testtarget` [classes, N].
Labels: the character's index (alphabet/character in sorted order) for the PNG zips,
the one-hot class for chardata.mat.
"""

import io as _pyio
import zipfile

import numpy as np
from PIL import Image

from echo_ib import errors
from echo_ib.data import io, sources

__all__ = ["load_omniglot", "load_omniglot_chardata", "read_png_zip", "read_chardata"]

_ZIPS = {
    "train": "images_background.zip",
    "test": "images_evaluation.zip",
    "background_small1": "images_background_small1.zip",
    "background_small2": "images_background_small2.zip",
}
_SUBDIRS = ["omniglot", "Omniglot"]


def read_png_zip(path, size=28):
    """Images [N, size, size, 1] float32 in [0, 1] (stroke = 1) and character labels [N]."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise io.CorruptDataError(f"{path}: not a readable zip archive ({e}).") from e
    with archive:
        names = sorted(n for n in archive.namelist() if n.lower().endswith(".png"))
        if not names:
            raise io.CorruptDataError(f"{path}: holds no PNG images.")
        characters = sorted({n.rsplit("/", 1)[0] for n in names})
        index = {c: i for i, c in enumerate(characters)}
        images = np.empty((len(names), size, size, 1), np.float32)
        labels = np.empty(len(names), np.int64)
        for k, name in enumerate(names):
            try:
                png = Image.open(_pyio.BytesIO(archive.read(name))).convert("F")
            except (OSError, zipfile.BadZipFile) as e:
                raise io.CorruptDataError(f"{path}: member {name} is not a valid PNG ({e}).") \
                    from e
            ink = 1.0 - np.asarray(png, np.float32) / 255.0
            resized = Image.fromarray(ink, mode="F").resize((size, size), Image.Resampling.BOX)
            images[k, ..., 0] = np.clip(np.asarray(resized), 0.0, 1.0)
            labels[k] = index[name.rsplit("/", 1)[0]]
    return images, labels


def read_chardata(path, split):
    """Reads Burda et al.'s chardata.mat; split 'train' or 'test'."""
    import scipy.io  # only this format needs SciPy's MATLAB reader

    try:
        mat = scipy.io.loadmat(path)
    except Exception as e:  # scipy raises several unrelated types for a bad file
        raise io.CorruptDataError(f"{path}: not a readable MATLAB file ({e}).") from e
    data_key, target_key = ("data", "target") if split == "train" else ("testdata", "testtarget")
    if data_key not in mat or mat[data_key].shape[0] != 784:
        raise io.CorruptDataError(f"{path}: expected a [784, N] array '{data_key}'.")
    data = np.asarray(mat[data_key], np.float32).T  # [N, 784], column-major pixels
    # Pixel k sits at row k % 28, column k // 28: reshape row-major, then transpose.
    images = data.reshape(-1, 28, 28).transpose(0, 2, 1)[..., None]
    labels = (np.argmax(mat[target_key], axis=0).astype(np.int64) if target_key in mat
              else np.full(len(images), -1, np.int64))
    return images, labels


def load_omniglot(split, data_dir=None, download=True):
    """Omniglot split: 'train'/'test' (PNG zips, else a chardata.mat the user has, else the
    zips downloaded) or a small subset (its zip, downloaded when missing)."""
    if split not in _ZIPS:
        raise ValueError(f"split must be one of {sorted(_ZIPS)} for omniglot, got {split!r}.")
    zip_name = _ZIPS[split]
    try:
        return read_png_zip(io.find_file(zip_name, _SUBDIRS, data_dir,
                                         what=f"Omniglot {split} zip"))
    except io.DataNotFoundError:
        if split in ("train", "test"):
            try:
                path = io.find_file("chardata.mat", _SUBDIRS, data_dir,
                                    what="Omniglot chardata.mat")
                return read_chardata(path, split)
            except io.DataNotFoundError:
                pass
        try:
            path = io.find_file(zip_name, _SUBDIRS, data_dir, what=f"Omniglot {split} zip",
                                remote=sources.lookup("omniglot", zip_name), download=download)
        except errors.UserError as e:
            if split not in ("train", "test"):
                raise
            raise type(e)(f"{e}\nAlternatively, Burda et al.'s chardata.mat in any of those "
                          "places is read for this split.") from None
        return read_png_zip(path)


def load_omniglot_chardata(split, data_dir=None, download=True):
    """Burda et al.'s 28×28 Omniglot (IWAE, ICLR 2016; the echo paper's): 'train' (24,345
    images) or 'test' (8,070), from chardata.mat, downloaded when missing."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test' for omniglot_chardata, got "
                         f"{split!r}.")
    path = io.find_file("chardata.mat", _SUBDIRS, data_dir, what="Omniglot chardata.mat",
                        remote=sources.lookup("omniglot", "chardata.mat"), download=download)
    return read_chardata(path, split)
