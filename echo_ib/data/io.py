"""Finding data files and reading the standard formats (IDX, Larochelle .amat, .mat).

Search order for a file (docs/design.md): `data_dir`, `$ECHO_IB_DATA`, `~/.keras/datasets`,
`/usr/share/datasets`, then the real data bundled in the repository's `data/` folder (the
MNIST test set and two Omniglot subsets, see data/README.md). In each place the file is
looked for directly and inside the dataset's conventional sub-folders (e.g.
`fashion-mnist/`). A missing file raises `DataNotFoundError` naming the file and every
place looked; a `data_dir` that does not exist is an error of its own, never skipped.
"""

import gzip
import hashlib
import os
import pathlib
import struct
import zlib

import numpy as np

from echo_ib import errors

__all__ = [
    "BUNDLED_DATA_DIR",
    "CorruptDataError",
    "DataNotFoundError",
    "find_file",
    "read_amat",
    "read_idx",
    "search_dirs",
]

# SHA-256 of the *decompressed* IDX payloads of the real files this project has met: gzip
# repackaging (Debian's, for one) changes the .gz bytes, not the data.
KNOWN_PAYLOAD_SHA256 = {
    ("mnist", "t10k-images-idx3-ubyte.gz"):
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ("mnist", "t10k-labels-idx1-ubyte.gz"):
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ("fashion_mnist", "t10k-images-idx3-ubyte.gz"):
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ("fashion_mnist", "t10k-labels-idx1-ubyte.gz"):
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ("fashion_mnist", "train-images-idx3-ubyte.gz"):
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ("fashion_mnist", "train-labels-idx1-ubyte.gz"):
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
}


DataNotFoundError = errors.DataNotFoundError
CorruptDataError = errors.CorruptDataError

# The real data that ships with the repository (data/README.md); searched last, so that a
# user's own copy of a file always wins.
BUNDLED_DATA_DIR = pathlib.Path(__file__).resolve().parents[2] / "data"


def search_dirs(data_dir=None):
    """The directories searched, in order: data_dir, $ECHO_IB_DATA, keras, /usr/share, bundled.

    Raises:
      DataNotFoundError: `data_dir` is given but is not a directory (a typo there would
        otherwise silently fall through to other copies of the data).
    """
    dirs = []
    if data_dir is not None and str(data_dir) != "":
        folder = pathlib.Path(data_dir).expanduser()
        if not folder.is_dir():
            raise DataNotFoundError(
                f"data_dir {str(data_dir)!r} is not a directory. Pass an existing folder that "
                "holds the data files, or leave data_dir empty to search the standard places.")
        dirs.append(folder)
    if os.environ.get("ECHO_IB_DATA"):
        dirs.extend(pathlib.Path(p).expanduser()
                    for p in os.environ["ECHO_IB_DATA"].split(os.pathsep) if p)
    dirs.append(pathlib.Path("~/.keras/datasets").expanduser())
    dirs.append(pathlib.Path("/usr/share/datasets"))
    dirs.append(BUNDLED_DATA_DIR)
    return dirs


def find_file(filenames, subdirs, data_dir=None, what="data file", remote=None,
              download=True):
    """Returns the first existing `<dir>[/<subdir>]/<filename>` in search order, else
    downloads `remote` into the cache (`echo_ib.data.download`) when `download`.

    Args:
      filenames: a file name or a list of acceptable names (first match wins per place).
      subdirs: sub-folders tried inside each search directory (besides the directory).
      data_dir: the caller's directory, searched first.
      what: words for the error message.
      remote: the file's `sources.RemoteFile`, or None (nothing to download).
      download: whether a missing `remote` may be downloaded. Default value: True.

    Raises:
      DataNotFoundError: naming the file(s), every place looked and, for a remote file,
        its URL and the command that fetches it by hand.
      download.DownloadError: the download failed or was not the published file.
    """
    if isinstance(filenames, str):
        filenames = [filenames]
    looked = []
    for base in search_dirs(data_dir):
        for folder in [base] + [base / s for s in subdirs]:
            for name in filenames:
                candidate = folder / name
                if candidate.is_file():
                    return candidate
            looked.append(str(folder))
    if remote is not None:
        from echo_ib.data import download as download_lib
        if download:
            try:
                return download_lib.fetch(remote)
            except download_lib.DownloadError as e:
                raise download_lib.DownloadError(
                    f"Could not find the {what} ({remote.name}) in:\n  " + "\n  ".join(looked)
                    + f"\nand downloading it failed: {e}") from None
        raise DataNotFoundError(
            f"Could not find the {what} ({remote.name}), and downloading is off "
            f"(download=False). Looked in:\n  " + "\n  ".join(looked)
            + f"\nIt is published at {download_lib.url_of(remote)}; fetch it by hand with\n  "
            + download_lib.manual_fetch_hint(remote)
            + "\nor copy it into one of these places (e.g. $ECHO_IB_DATA).")
    raise DataNotFoundError(
        f"Could not find the {what} ({' or '.join(filenames)}). Looked in:\n  "
        + "\n  ".join(looked)
        + "\nPut the file in one of these places, or pass data_dir=... / set $ECHO_IB_DATA.")


def _read_bytes(path):
    path = pathlib.Path(path)
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:  # verifies the gzip CRC-32 and length
                return f.read()
        return path.read_bytes()
    except (OSError, EOFError, zlib.error) as e:
        raise CorruptDataError(f"{path}: cannot be decompressed ({e}); the file is "
                               "truncated or corrupt, download it again.") from e


_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4",
               0x0E: ">f8"}


def read_idx(path, expected_sha256=None):
    """Reads an IDX file (LeCun's MNIST format), gzipped or not, into a NumPy array.

    The header is two zero bytes, a type code, the number of dimensions, then each
    dimension as a big-endian uint32; the payload must have exactly that many items.

    Raises:
      CorruptDataError: bad magic, wrong length, or a known file whose payload digest
        differs from the real data's.
    """
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise CorruptDataError(f"{path}: not an IDX file (bad magic number {data[:4]!r}).")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise CorruptDataError(f"{path}: IDX header truncated.")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = np.dtype(_IDX_DTYPES[data[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header != expected:
        raise CorruptDataError(
            f"{path}: IDX header promises shape {shape} ({expected} bytes of data) but the "
            f"file holds {len(data) - header} bytes; it is truncated or corrupt.")
    if expected_sha256 is not None:
        digest = hashlib.sha256(data).hexdigest()
        if digest != expected_sha256:
            raise CorruptDataError(f"{path}: contents differ from the real data set "
                                   f"(sha256 {digest}, expected {expected_sha256}).")
    return np.frombuffer(data, dtype, offset=header).reshape(shape)


def read_amat(path, width=784):
    """Reads a Larochelle `.amat` text file: one example a line, `width` numbers each."""
    try:
        array = np.loadtxt(path, dtype=np.float32, ndmin=2)
    except ValueError as e:
        raise CorruptDataError(f"{path}: not a valid .amat file ({e}).") from e
    if array.shape[1] != width:
        raise CorruptDataError(f"{path}: expected {width} values per line, got {array.shape[1]}.")
    return array
