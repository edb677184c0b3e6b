"""Tests of the Omniglot readers: PNG zips (tiny and real) and chardata.mat."""

import numpy as np
import pytest
import scipy.io

from echo_ib import data, errors
from echo_ib.data import omniglot
from tests.helpers import write_png_zip


def _stroke_image(row):
    img = np.full((105, 105), 255, np.uint8)  # white paper
    img[row:row + 15, :] = 0  # a black horizontal stroke
    return img


def test_png_zip_is_inverted_resized_and_labelled(tmp_path):
    write_png_zip(tmp_path / "images_background.zip", {
        "Latin/character01": [_stroke_image(0), _stroke_image(0)],
        "Greek/character02": [_stroke_image(90)],
    })
    images, labels = data.load("omniglot", "train", data_dir=tmp_path)
    assert images.shape == (3, 28, 28, 1)
    # Sorted characters: Greek/character02 -> 0, Latin/character01 -> 1.
    np.testing.assert_array_equal(labels, [0, 1, 1])
    # 15 of 105 rows are ink = 4 of 28 output rows; ink is 1 and paper 0.
    np.testing.assert_allclose(images[1, :4, :, 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(images[1, 4:, :, 0], 0.0, atol=1e-6)
    np.testing.assert_allclose(images[0, 24:, :, 0], 1.0, atol=1e-6)


def test_real_background_small_subsets():
    images, labels = data.load("omniglot", "background_small1")  # bundled in data/
    assert images.shape == (2720, 28, 28, 1)
    assert labels.max() + 1 == 2720 // 20  # 20 drawers per character
    assert 0.02 < images.mean() < 0.25  # thin strokes on blank paper


def test_chardata_mat_column_major(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.random((5, 28, 28)).astype(np.float32)
    columns = np.stack([img.reshape(-1, order="F") for img in images], axis=1)  # [784, N]
    targets = np.eye(3)[:, [0, 2, 1, 1, 0]]
    scipy.io.savemat(tmp_path / "chardata.mat", {
        "data": columns, "target": targets, "testdata": columns[:, :2],
        "testtarget": targets[:, :2]})
    x, y = data.load("omniglot", "train", data_dir=tmp_path)
    np.testing.assert_allclose(x[..., 0], images, rtol=1e-6)
    np.testing.assert_array_equal(y, [0, 2, 1, 1, 0])
    assert data.load("omniglot", "test", data_dir=tmp_path)[0].shape == (2, 28, 28, 1)


def test_corrupt_zip_and_missing_files(tmp_path):
    (tmp_path / "images_evaluation.zip").write_bytes(b"this is not a zip")
    with pytest.raises(data.CorruptDataError, match="zip"):
        data.load("omniglot", "test", data_dir=tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(data.DataNotFoundError) as error:
        data.load("omniglot", "train", data_dir=tmp_path / "empty", download=False)
    assert "images_background.zip" in str(error.value)
    assert "chardata.mat" in str(error.value)
    with pytest.raises(errors.UserError) as error:  # the download fails: nothing listens
        data.load("omniglot", "train", data_dir=tmp_path / "empty")
    assert "images_background.zip" in str(error.value) and "chardata.mat" in str(error.value)


def test_png_reader_rejects_empty_archives(tmp_path):
    write_png_zip(tmp_path / "e.zip", {})
    with pytest.raises(data.CorruptDataError, match="no PNG"):
        omniglot.read_png_zip(tmp_path / "e.zip")
