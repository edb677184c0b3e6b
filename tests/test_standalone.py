"""The repository stands alone: a copy with nothing beside it finds its data, and every
name the README documents imports exactly as written."""

import importlib
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # trains models or starts processes

REPO = pathlib.Path(__file__).resolve().parents[1]


def test_a_copy_with_nothing_beside_it_loads_the_bundled_data(tmp_path):
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True,
                           capture_output=True).stdout.decode().split("\0")
    clone = tmp_path / "isolated" / "echo_ib_clone"
    for name in filter(None, files):
        if (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, clone / name)
    assert not (clone.parent / "shared").exists()
    code = (
        "import pathlib, echo_ib\n"
        "from echo_ib import data\n"
        "from echo_ib.data import io\n"
        "assert pathlib.Path(echo_ib.__file__).is_relative_to(pathlib.Path.cwd()), echo_ib.__file__\n"
        "assert io.BUNDLED_DATA_DIR == pathlib.Path.cwd() / 'data', io.BUNDLED_DATA_DIR\n"
        "x, y = data.load('mnist', 'test')\n"
        "o, c = data.load('omniglot', 'background_small2')\n"
        "print(x.shape, int(y[:3].sum()), o.shape, int(c.max()) + 1)\n")
    env = {k: v for k, v in os.environ.items() if k != "ECHO_IB_DATA"}
    env.update(PYTHONPATH=str(clone), HOME=str(tmp_path / "home"))  # no ~/.keras copies
    run = subprocess.run([sys.executable, "-c", code], cwd=clone, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split("\n")[-2] == "(10000, 28, 28, 1) 10 (3120, 28, 28, 1) 156"
    for path in clone.rglob("*"):
        if path.suffix in (".py", ".md", ".sh", ".cfg", ".toml"):
            assert ".." + "/shared" not in path.read_text(), path


def _readme_section(title):
    text = (REPO / "README.md").read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_readme_python_blocks_run_as_written():
    """Every ```python block of the README runs, whole, as printed; the usage example's
    echo layer gives one rate per example."""
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    assert blocks, "the README's usage section should show its code"
    for block in blocks:
        namespace = {}
        exec(block, namespace)  # noqa: S102  (the README's own code)
    usage = re.findall(r"```python\n(.*?)```", _readme_section("Using the library"), re.S)[0]
    namespace = {}
    exec(usage, namespace)  # noqa: S102
    assert tuple(namespace["rate"].shape) == (None,)
    assert tuple(namespace["z"].shape) == (None, 16)


def test_every_dotted_name_in_the_readme_resolves():
    names = set(re.findall(r"`(echo_ib(?:\.\w+)+)", (REPO / "README.md").read_text()))
    assert names
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
                break
            except ModuleNotFoundError:
                continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)  # AttributeError names the missing piece
