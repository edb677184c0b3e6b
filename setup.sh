#!/usr/bin/env bash
# Installs what echo_ib needs on a fresh Debian-like machine, idempotently:
#   * a virtual environment in .venv with the package (editable), its test extra and the
#     optional Ray extra (so that the suite tests the cluster executor), at the
#     exact versions the suite was run with (constraints.txt; setup.cfg holds the ranges);
#   * Debian's `dataset-fashion-mnist` (the real FashionMNIST IDX files under
#     /usr/share/datasets/fashion-mnist/) when apt-get is available and we may use it.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.echo_ib-installed
if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "[setup] installing echo_ib and its pinned dependencies into .venv"
  .venv/bin/python -m pip install --quiet --upgrade pip
  # editable_mode=compat puts the clone on sys.path as a plain path entry, so that the
  # package beats the clone itself when a folder named echo_ib is on the path as well (a
  # clone named echo_ib, used from its parent folder, would otherwise be imported as a
  # namespace package).
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test,ray]' \
    --config-settings editable_mode=compat
  touch "$stamp"
fi

fmnist=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
if [ ! -f "$fmnist" ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
  fi
  if [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; then
    echo "[setup] installing Debian's dataset-fashion-mnist"
    $SUDO apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dataset-fashion-mnist >/dev/null \
      || echo "[setup] warning: could not install dataset-fashion-mnist; FashionMNIST jobs will say where to put the files"
  else
    echo "[setup] note: not root and no sudo; install dataset-fashion-mnist yourself for the FashionMNIST jobs"
  fi
fi
echo "[setup] ready"
