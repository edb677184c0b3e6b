"""Tests of file search and the IDX / .amat readers."""

import gzip

import numpy as np
import pytest

from echo_ib.data import io
from tests.helpers import write_idx


def test_idx_round_trip(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "a.gz", array)
    np.testing.assert_array_equal(io.read_idx(tmp_path / "a.gz"), array)


def test_truncated_idx_is_reported(tmp_path):
    write_idx(tmp_path / "a.gz", np.zeros((5, 28, 28), np.uint8))
    payload = gzip.decompress((tmp_path / "a.gz").read_bytes())
    with gzip.open(tmp_path / "b.gz", "wb") as f:
        f.write(payload[:-100])
    with pytest.raises(io.CorruptDataError, match="truncated or corrupt"):
        io.read_idx(tmp_path / "b.gz")


def test_damaged_gzip_is_reported(tmp_path):
    write_idx(tmp_path / "a.gz", np.zeros((50, 28, 28), np.uint8))
    raw = bytearray((tmp_path / "a.gz").read_bytes())
    (tmp_path / "cut.gz").write_bytes(bytes(raw[: len(raw) // 2]))
    with pytest.raises(io.CorruptDataError, match="cannot be decompressed"):
        io.read_idx(tmp_path / "cut.gz")


def test_bad_magic_is_reported(tmp_path):
    (tmp_path / "x").write_bytes(b"PK\x03\x04 not idx")
    with pytest.raises(io.CorruptDataError, match="magic"):
        io.read_idx(tmp_path / "x")


def test_known_file_with_other_contents_is_rejected(tmp_path):
    write_idx(tmp_path / "a.gz", np.zeros((2, 2), np.uint8))
    with pytest.raises(io.CorruptDataError, match="differ from the real data"):
        io.read_idx(tmp_path / "a.gz", expected_sha256="0" * 64)


def test_search_order_and_message(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    (second / "sub").mkdir(parents=True)
    (second / "sub" / "f.txt").write_text("2")
    first.mkdir()
    monkeypatch.setenv("ECHO_IB_DATA", str(second))
    assert io.find_file("f.txt", ["sub"], first) == second / "sub" / "f.txt"
    (first / "f.txt").write_text("1")
    assert io.find_file("f.txt", ["sub"], first) == first / "f.txt"
    with pytest.raises(io.DataNotFoundError) as error:
        io.find_file("missing.gz", ["sub"], first, what="test file")
    message = str(error.value)
    for place in (first, second, second / "sub", "/usr/share/datasets", ".keras/datasets",
                  io.BUNDLED_DATA_DIR):
        assert str(place) in message
    assert "missing.gz" in message


def test_bundled_data_is_searched_last(tmp_path, monkeypatch):
    monkeypatch.delenv("ECHO_IB_DATA", raising=False)
    assert io.search_dirs()[-1] == io.BUNDLED_DATA_DIR
    bundled = io.find_file("t10k-labels-idx1-ubyte.gz", ["mnist"])
    assert bundled == io.BUNDLED_DATA_DIR / "mnist" / "t10k-labels-idx1-ubyte.gz"
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"a user's own copy")
    assert io.find_file("t10k-labels-idx1-ubyte.gz", ["mnist"], tmp_path).parent == tmp_path


def test_a_data_dir_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(io.DataNotFoundError, match="data_dir .*missing.* is not a directory"):
        io.find_file("f.txt", [], tmp_path / "missing")


def test_amat(tmp_path):
    rows = np.random.default_rng(0).integers(0, 2, size=(3, 784))
    np.savetxt(tmp_path / "x.amat", rows, fmt="%d")
    np.testing.assert_array_equal(io.read_amat(tmp_path / "x.amat"), rows)
    np.savetxt(tmp_path / "bad.amat", rows[:, :10], fmt="%d")
    with pytest.raises(io.CorruptDataError, match="784"):
        io.read_amat(tmp_path / "bad.amat")
