"""Tests of the results file: locked appends, tolerant reads, point identity."""

import json
import multiprocessing

import pytest

from echo_ib.training import results


def _record(beta, seed=0, method="echo"):
    return {"dataset": "d", "method": method, "architecture": "mlp", "beta": beta,
            "seed": seed, "test_rate": 1.0}


def test_append_and_read_round_trip(tmp_path):
    path = tmp_path / "r.jsonl"
    for b in (0.5, 1, 2.0):
        results.append_result(path, _record(b))
    records = results.read_results(path)
    assert [r["beta"] for r in records] == [0.5, 1, 2.0]
    assert results.point_key(records[1]) == results.point_key(_record(1.0))


def test_partial_last_line_is_skipped_with_a_warning(tmp_path, caplog):
    """The warning is a logged line naming the file and line, not a raw UserWarning."""
    path = tmp_path / "r.jsonl"
    results.append_result(path, _record(1.0))
    with open(path, "a") as f:
        f.write('{"dataset": "d", "meth')  # a write cut off by a kill
    records = results.read_results(path)
    assert len(records) == 1
    assert f"{path}:2: skipping a malformed line" in caplog.text


def test_partial_last_line_is_moved_aside_never_glued_to(tmp_path, caplog):
    """A write cut off by a kill: the next record lands on a line of its own."""
    path = tmp_path / "r.jsonl"
    results.append_result(path, _record(1.0))
    with open(path, "a") as f:
        f.write('{"dataset": "d", "meth')
    assert results.append_once(path, _record(2.0))
    assert "moved a partial last line (22 bytes" in caplog.text
    assert [json.loads(line)["beta"] for line in path.read_text().splitlines()] == [1.0, 2.0]
    assert (tmp_path / "r.jsonl.partial").read_text() == '{"dataset": "d", "meth\n'


def test_non_finite_numbers_are_never_recorded(tmp_path):
    path = tmp_path / "r.jsonl"
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="test_rate"):
            results.append_result(path, {**_record(1.0), "test_rate": bad})
    assert not path.exists() or path.read_text() == ""


def test_append_once_records_a_point_once(tmp_path):
    path = tmp_path / "r.jsonl"
    assert results.append_once(path, _record(1.0))
    assert not results.append_once(path, {**_record(1), "test_rate": 2.0})  # same point
    assert len(results.read_results(path)) == 1


def _append_many(args):
    path, worker = args
    for k in range(50):
        results.append_result(path, {**_record(float(k), seed=worker), "pad": "x" * 5000})


@pytest.mark.slow  # starts processes
def test_concurrent_appends_never_interleave(tmp_path):
    path = str(tmp_path / "r.jsonl")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.map(_append_many, [(path, w) for w in range(4)])
    lines = open(path).read().splitlines()
    assert len(lines) == 200
    keys = {results.point_key(json.loads(line)) for line in lines}
    assert len(keys) == 200


def test_load_gives_a_table_with_the_swept_fields_as_columns(tmp_path):
    import pandas
    import echo_ib.results
    a, b = tmp_path / "a", tmp_path / "b"
    results.append_result(a / "results.jsonl", {**_record(1.0), "swept": {"echo.gate": "none"}})
    results.append_result(a / "results.jsonl", {**_record(2.0), "swept": {"echo.gate": "hard"}})
    results.append_result(b / "results.jsonl", _record(1.0, method="vae"))
    table = echo_ib.results.load(a, b / "results.jsonl")
    assert isinstance(table, pandas.DataFrame) and len(table) == 3
    assert list(table["echo.gate"].iloc[:2]) == ["none", "hard"]
    assert pandas.isna(table["echo.gate"].iloc[2])
    assert list(table["source"]) == [str(a / "results.jsonl")] * 2 + [str(b / "results.jsonl")]
    rows = echo_ib.results.load(a, as_frame=False)
    assert [r["beta"] for r in rows] == [1.0, 2.0] and "swept" not in rows[0]
    with pytest.raises(FileNotFoundError, match="no results file"):
        echo_ib.results.load(tmp_path / "c")
