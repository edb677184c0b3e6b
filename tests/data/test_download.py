"""Downloading standard data files, against a server on 127.0.0.1 that the tests start:
cached once, verified, nothing cached on failure, one copy under concurrent fetches."""

import hashlib
import http.server
import multiprocessing
import os
import pathlib
import subprocess
import sys
import threading

import numpy as np
import pytest

from echo_ib import data, errors
from echo_ib.data import download, io, sources
from tests.helpers import write_idx

REPO = pathlib.Path(__file__).resolve().parents[2]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the server's folder; '/truncated/<name>' promises more bytes than it sends;
    a request is counted per path."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.server.delay:
            self.server.delay.wait(5)
        if self.path.startswith("/truncated/"):
            body = (pathlib.Path(self.server.folder) / self.path.split("/")[-1]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) * 2))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()

    def translate_path(self, path):
        return str(pathlib.Path(self.server.folder) / path.lstrip("/").split("?")[0])


@pytest.fixture
def server(tmp_path):
    folder = tmp_path / "served"
    folder.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.folder, httpd.requests, httpd.delay = str(folder), [], None
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd, folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ECHO_IB_DATA", str(folder))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/.keras/datasets of the machine's
    monkeypatch.delenv("ECHO_IB_DATA_MIRROR", raising=False)
    return folder


def _remote(url, payload, name="file.bin", kind="sha256", size=True):
    h = hashlib.new(kind) if kind != "git-blob" else hashlib.sha1(
        f"blob {len(payload)}\0".encode())
    h.update(payload)
    return sources.RemoteFile(name, f"{url}/{name}", len(payload) if size else None,
                              f"{kind}:{h.hexdigest()}", "the test", "sub", "none")


def _cache_entries(cache):
    return sorted(p.name for p in (cache / "sub").iterdir()) if (cache / "sub").exists() else []


@pytest.mark.parametrize("kind", ["md5", "sha1", "sha256", "git-blob"])
def test_first_use_downloads_and_verifies_the_second_reads_the_cache(server, cache, kind):
    httpd, folder, url = server
    payload = os.urandom(5000)
    (folder / "file.bin").write_bytes(payload)
    remote = _remote(url, payload, kind=kind)
    path = io.find_file("file.bin", [], None, remote=remote)
    assert path == cache / "sub" / "file.bin" and path.read_bytes() == payload
    assert io.find_file("file.bin", ["sub"], None, remote=remote) == path
    assert httpd.requests == ["/file.bin"]  # the second use read the cache
    assert _cache_entries(cache) == [".file.bin.lock", "file.bin"]


@pytest.mark.parametrize("case, message", [
    ("corrupt", "checksum .* does not match the published"),
    ("truncated", "retrieval incomplete|received .* bytes"),
    ("missing", "404"),
])
def test_a_bad_transfer_is_refused_and_nothing_is_cached(server, cache, case, message):
    httpd, folder, url = server
    payload = os.urandom(5000)
    (folder / "file.bin").write_bytes(payload if case != "corrupt" else payload[::-1])
    remote = _remote(url if case != "truncated" else f"{url}/truncated", payload)
    if case == "missing":
        remote = _remote(url, payload, name="absent.bin")
    with pytest.raises(download.DownloadError, match=message) as error:
        io.find_file(remote.name, [], None, remote=remote)
    assert "Could not find" in str(error.value) and str(cache) in str(error.value)
    assert [n for n in _cache_entries(cache) if not n.endswith(".lock")] == []


def test_offline_and_no_network_name_the_file_the_places_url_and_command(server, cache):
    httpd, folder, url = server
    remote = _remote("http://127.0.0.1:9", b"x" * 10)  # port 9 (discard): nothing listens
    with pytest.raises(errors.DataNotFoundError) as error:
        io.find_file("file.bin", [], None, what="test file", remote=remote, download=False)
    text = str(error.value)
    assert "download=False" in text and remote.url in text and str(cache) in text
    assert f"curl -L -o {cache / 'sub' / 'file.bin'} {remote.url}" in text
    with pytest.raises(download.DownloadError, match="could not download http://127.0.0.1:9"):
        io.find_file("file.bin", [], None, remote=remote)
    assert [n for n in _cache_entries(cache) if not n.endswith(".lock")] == []


def _fetch_in_process(args):
    remote, cache = args
    os.environ["ECHO_IB_DATA"] = cache
    return str(download.fetch(remote, verbose=False))


@pytest.mark.slow  # starts processes
def test_concurrent_fetches_end_with_one_good_copy(server, cache):
    httpd, folder, url = server
    payload = os.urandom(200_000)
    (folder / "file.bin").write_bytes(payload)
    remote = _remote(url, payload)
    httpd.delay = threading.Event()  # hold the first transfer until both processes asked
    threading.Timer(1.0, httpd.delay.set).start()
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        paths = pool.map(_fetch_in_process, [(remote, str(cache))] * 3)
    assert set(paths) == {str(cache / "sub" / "file.bin")}
    assert (cache / "sub" / "file.bin").read_bytes() == payload
    assert httpd.requests == ["/file.bin"]  # the others waited on the lock, then found it
    assert _cache_entries(cache) == [".file.bin.lock", "file.bin"]


def test_load_downloads_a_missing_standard_file_through_the_registry(server, cache,
                                                                     monkeypatch):
    """data.load('mnist', 'train') with the files in no searched place: both IDX files are
    fetched (here from a mirror on 127.0.0.1) and read."""
    httpd, folder, url = server
    rng = np.random.default_rng(0)
    (folder / "mnist").mkdir()
    write_idx(folder / "mnist" / "train-images-idx3-ubyte.gz",
              rng.integers(0, 256, (5, 28, 28)))
    write_idx(folder / "mnist" / "train-labels-idx1-ubyte.gz", rng.integers(0, 10, 5))
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        body = (folder / "mnist" / name).read_bytes()
        monkeypatch.setitem(sources.SOURCES, ("mnist", name), sources.RemoteFile(
            name, "https://publisher.invalid/" + name, len(body),
            "md5:" + hashlib.md5(body).hexdigest(), "the test", "mnist", "none"))
    monkeypatch.setenv("ECHO_IB_DATA_MIRROR", url)
    images, labels = data.load("mnist", "train")
    assert images.shape == (5, 28, 28, 1) and labels.shape == (5,)
    assert sorted(httpd.requests) == ["/mnist/train-images-idx3-ubyte.gz",
                                      "/mnist/train-labels-idx1-ubyte.gz"]


def test_without_the_file_and_network_a_script_prints_one_paragraph(tmp_path):
    """`python -c "from echo_ib import data; data.load('mnist', 'train')"` with no copy
    and no network: the message (places, URL, command), exit status 2, no traceback."""
    env = {**os.environ, "ECHO_IB_DATA": str(tmp_path / "cache"), "HOME": str(tmp_path),
           "ECHO_IB_DATA_MIRROR": "http://127.0.0.1:9"}
    run = subprocess.run([sys.executable, "-c",
                          "from echo_ib import data; data.load('mnist', 'train')"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 2, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.stderr.startswith("echo_ib: Could not find the mnist train file")
    assert "http://127.0.0.1:9/mnist/train-images-idx3-ubyte.gz" in run.stderr
    assert "curl -L -o" in run.stderr and str(tmp_path / "cache") in run.stderr


def test_the_registry_matches_the_bundled_files_that_are_the_published_ones():
    """The bundled Omniglot subsets are byte for byte the files in Lake et al.'s
    repository (their Git blob ids); the bundled MNIST test files have the published
    sizes (the .gz headers differ from the published MD5s' files; io.py checks their
    decompressed payloads instead)."""
    bundled = REPO / "data"
    for name in ("images_background_small1.zip", "images_background_small2.zip"):
        remote = sources.lookup("omniglot", name)
        path = bundled / "omniglot" / name
        assert remote.checksum == "git-blob:" + download.digest(path, "git-blob")
        assert path.stat().st_size == remote.size
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        assert (bundled / "mnist" / name).stat().st_size == sources.lookup("mnist", name).size
    for (key, name), remote in sources.SOURCES.items():
        assert remote.name == name and remote.url.startswith(("https://", "http://"))
        assert remote.checksum.split(":")[0] in ("md5", "sha1", "sha256", "git-blob")
