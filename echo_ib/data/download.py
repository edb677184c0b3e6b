"""Fetching a standard data file into the cache, once, verified.

`fetch(remote)` downloads `remote.url` (`echo_ib.data.sources`) with Keras's own
`keras.utils.get_file` (its progress bar and HTTP handling) into a private temporary
folder beside the cache, checks the size and checksum, then renames the file into the
cache (`$ECHO_IB_DATA`'s first folder, else `~/.keras/datasets`, as Keras does) in one
atomic step. What get_file lacks is written here: the checksum kinds of the sources
(MD5, SHA-1, SHA-256, Git blob ids), the atomic rename, and a lock so that processes
fetching the same file at once end with one good copy (the others wait, then find it).
A failed, truncated or corrupt transfer leaves nothing in the cache and says which.

`$ECHO_IB_DATA_MIRROR` (a URL prefix) fetches every file from `<mirror>/<subdir>/<name>`
instead of its publisher's URL, with the same checksums: for a site's own mirror.
"""

import hashlib
import os
import pathlib
import shutil
import tempfile

from echo_ib import errors

__all__ = ["DownloadError", "cache_dir", "digest", "fetch", "manual_fetch_hint", "url_of"]


class DownloadError(errors.UserError, OSError):
    """A download failed (network, HTTP, size or checksum); nothing was cached."""


def cache_dir():
    """Where downloads go: the first folder of $ECHO_IB_DATA, else ~/.keras/datasets."""
    paths = [p for p in os.environ.get("ECHO_IB_DATA", "").split(os.pathsep) if p]
    return pathlib.Path(paths[0] if paths else "~/.keras/datasets").expanduser()


def digest(path, kind):
    """The hex checksum of a file: kind 'md5', 'sha1', 'sha256' or 'git-blob' (Git's
    object id: SHA-1 of b'blob <size>\\0' + the bytes)."""
    path = pathlib.Path(path)
    if kind == "git-blob":
        h = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    elif kind in ("md5", "sha1", "sha256"):
        h = hashlib.new(kind)
    else:
        raise ValueError(f"unknown checksum kind {kind!r}.")
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def url_of(remote):
    """The URL `remote` is fetched from: its own, or under $ECHO_IB_DATA_MIRROR."""
    mirror = os.environ.get("ECHO_IB_DATA_MIRROR", "").rstrip("/")
    return f"{mirror}/{remote.subdir}/{remote.name}" if mirror else remote.url


def manual_fetch_hint(remote):
    """The command that fetches `remote` by hand into the cache."""
    target = cache_dir() / remote.subdir / remote.name
    return f"mkdir -p {target.parent} && curl -L -o {target} {url_of(remote)}"


def _verify(path, remote):
    size = path.stat().st_size
    if remote.size is not None and size != remote.size:
        raise DownloadError(
            f"{url_of(remote)}: received {size} bytes, expected {remote.size} (a truncated or "
            "wrong transfer); nothing was cached.")
    kind, expected = remote.checksum.split(":", 1)
    actual = digest(path, kind)
    if actual != expected:
        raise DownloadError(
            f"{url_of(remote)}: {kind} checksum {actual} does not match the published {expected} "
            f"({remote.checksum_source}); nothing was cached.")


def fetch(remote, verbose=True):
    """Downloads `remote` into the cache unless a verified copy is there; returns its path.

    Raises:
      DownloadError: the transfer failed or the file is not the published one (the
        message says which, and how to fetch the file by hand); nothing is left cached.
    """
    import fcntl  # POSIX only, and only when a download happens

    import keras

    folder = cache_dir() / remote.subdir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / remote.name
    with open(folder / f".{remote.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process fetching it: wait for it
        if target.is_file():
            return target
        scratch = pathlib.Path(tempfile.mkdtemp(prefix=f".{remote.name}.", dir=folder))
        try:
            try:
                downloaded = pathlib.Path(keras.utils.get_file(
                    remote.name, origin=url_of(remote), cache_dir=str(scratch), cache_subdir="",
                    force_download=True))
            except Exception as e:  # get_file raises a bare Exception for HTTP/URL errors
                raise DownloadError(
                    f"could not download {url_of(remote)}: {e}. To fetch it by hand: "
                    f"{manual_fetch_hint(remote)}") from None
            _verify(downloaded, remote)
            os.replace(downloaded, target)
            if verbose:
                print(f"[echo_ib] downloaded {remote.name} ({target.stat().st_size} bytes, "
                      f"{remote.checksum.split(':')[0]} verified) to {target}", flush=True)
            return target
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
