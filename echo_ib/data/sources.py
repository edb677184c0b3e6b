"""Where each standard data file comes from: its public URL, size and checksum.

`echo_ib.data.load` reads a file from the places it searches and, when the file is in
none of them, downloads it from here into the cache (`echo_ib.data.download`). Every
checksum is one its publisher states, or one that can be checked against the publisher's
own record; `checksum_source` says which:

* MNIST and FashionMNIST IDX files: the MD5 sums and sizes stated with the files (LeCun,
  Cortes & Burges' MNIST page; Zalando's fashion-mnist README), as torchvision's MNIST and
  FashionMNIST loaders also state them; the URLs are the mirrors those loaders use.
* Omniglot PNG zips: the Git blob ids in Lake et al.'s repository (github.com/brendenlake/
  omniglot, `git ls-tree`): SHA-1 of "blob <size>\\0" + the file. The bundled
  background_small1/2 zips have exactly these ids (tests/data/test_download.py).
* Burda et al.'s 28×28 Omniglot `chardata.mat`: its Git blob id in github.com/yburda/iwae.
* Larochelle's binarized MNIST `.amat` files: SHA-1 sums stated by a public third-party
  loader (the publisher states none); the loader also checks the arrays' shape and values.
"""

import dataclasses

__all__ = ["RemoteFile", "SOURCES", "lookup"]


@dataclasses.dataclass(frozen=True)
class RemoteFile:
    """One downloadable file: `url`, `size` in bytes (None: not stated), `checksum` as
    'md5:<hex>', 'sha1:<hex>', 'sha256:<hex>' or 'git-blob:<hex>', where that checksum
    was stated (`checksum_source`), and the cache sub-folder it is saved in."""
    name: str
    url: str
    size: int
    checksum: str
    checksum_source: str
    subdir: str
    licence: str


_MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/"
_MNIST_SOURCE = "MD5 and size stated on LeCun, Cortes & Burges' MNIST page (also torchvision)"
_MNIST_LICENCE = "CC BY-SA 3.0"
_FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
_FASHION_SOURCE = "MD5 and size stated in Zalando's fashion-mnist README (also torchvision)"
_OMNIGLOT = "https://github.com/brendenlake/omniglot/raw/master/python/"
_OMNIGLOT_SOURCE = "Git blob id in github.com/brendenlake/omniglot (python/)"
_AMAT = "http://www.cs.toronto.edu/~larocheh/public/datasets/binarized_mnist/"
_AMAT_SOURCE = ("SHA-1 stated by a public third-party loader (BinaryMNISTDataset); the "
                "publisher states none")

SOURCES = {
    ("mnist", f.name): f for f in (
        RemoteFile("train-images-idx3-ubyte.gz", _MNIST + "train-images-idx3-ubyte.gz",
                   9912422, "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873", _MNIST_SOURCE, "mnist",
                   _MNIST_LICENCE),
        RemoteFile("train-labels-idx1-ubyte.gz", _MNIST + "train-labels-idx1-ubyte.gz",
                   28881, "md5:d53e105ee54ea40749a09fcbcd1e9432", _MNIST_SOURCE, "mnist",
                   _MNIST_LICENCE),
        RemoteFile("t10k-images-idx3-ubyte.gz", _MNIST + "t10k-images-idx3-ubyte.gz",
                   1648877, "md5:9fb629c4189551a2d022fa330f9573f3", _MNIST_SOURCE, "mnist",
                   _MNIST_LICENCE),
        RemoteFile("t10k-labels-idx1-ubyte.gz", _MNIST + "t10k-labels-idx1-ubyte.gz",
                   4542, "md5:ec29112dd5afa0611ce80d1b7f02629c", _MNIST_SOURCE, "mnist",
                   _MNIST_LICENCE))}
SOURCES.update({
    ("fashion_mnist", f.name): f for f in (
        RemoteFile("train-images-idx3-ubyte.gz", _FASHION + "train-images-idx3-ubyte.gz",
                   26421880, "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d", _FASHION_SOURCE,
                   "fashion-mnist", "MIT"),
        RemoteFile("train-labels-idx1-ubyte.gz", _FASHION + "train-labels-idx1-ubyte.gz",
                   29515, "md5:25c81989df183df01b3e8a0aad5dffbe", _FASHION_SOURCE,
                   "fashion-mnist", "MIT"),
        RemoteFile("t10k-images-idx3-ubyte.gz", _FASHION + "t10k-images-idx3-ubyte.gz",
                   4422102, "md5:bef4ecab320f06d8554ea6380940ec79", _FASHION_SOURCE,
                   "fashion-mnist", "MIT"),
        RemoteFile("t10k-labels-idx1-ubyte.gz", _FASHION + "t10k-labels-idx1-ubyte.gz",
                   5148, "md5:bb300cfdad3c16e7a12a480ee83cd310", _FASHION_SOURCE,
                   "fashion-mnist", "MIT"))})
SOURCES.update({
    ("omniglot", f.name): f for f in (
        RemoteFile("images_background.zip", _OMNIGLOT + "images_background.zip", None,
                   "git-blob:71fd167eb6fdd312049395fbd247147a4b234231", _OMNIGLOT_SOURCE,
                   "omniglot", "MIT"),
        RemoteFile("images_evaluation.zip", _OMNIGLOT + "images_evaluation.zip", None,
                   "git-blob:8ccde0ed1565641f1fa8c57cdc6ff634e15fc5c1", _OMNIGLOT_SOURCE,
                   "omniglot", "MIT"),
        RemoteFile("images_background_small1.zip", _OMNIGLOT + "images_background_small1.zip",
                   1319022, "git-blob:9f7a8841ab7aa328da78606307b624eeec5ba0a1",
                   _OMNIGLOT_SOURCE, "omniglot", "MIT"),
        RemoteFile("images_background_small2.zip", _OMNIGLOT + "images_background_small2.zip",
                   1580917, "git-blob:8352587b51522d3881049c0c6452ccf865445341",
                   _OMNIGLOT_SOURCE, "omniglot", "MIT"),
        RemoteFile("chardata.mat",
                   "https://github.com/yburda/iwae/raw/master/datasets/OMNIGLOT/chardata.mat",
                   None, "git-blob:016a3536ffe5e1d38e42563a18d7a78bfaf643ec",
                   "Git blob id in github.com/yburda/iwae (datasets/OMNIGLOT/)", "omniglot",
                   "MIT (the Omniglot images)"))})
SOURCES.update({
    ("binary_mnist", f"binarized_mnist_{split}.amat"): RemoteFile(
        f"binarized_mnist_{split}.amat", f"{_AMAT}binarized_mnist_{split}.amat", None,
        f"sha1:{digest}", _AMAT_SOURCE, "binarized_mnist", "CC BY-SA 3.0 (MNIST's)")
    for split, digest in (("train", "cf70514ec5f481e54ad3eb0e6c03c83326ff96f8"),
                          ("valid", "13418487742e6ea6d48db7b5187353a20b1b1f8c"),
                          ("test", "ca70bd7775e182596dec148d4dc1bc6bd6c4c5f4"))})


def lookup(key, name):
    """The RemoteFile of data set `key`'s file `name`, or None."""
    return SOURCES.get((key, name))
