r"""How close the regenerated 12-bit task is to Shwartz-Ziv & Tishby's `var_u.mat`.

    python benchmarks/twelve_bit_agreement.py --data_dir=<folder holding var_u.mat>

Reads their file with the toolkit's own loader (`echo_ib.data.synthetic.twelve_bit_task`),
matches its rows to the regenerated task's by the inputs' bits, and writes to
`results/twelve_bit_agreement.json`: the fraction of the 4,096 inputs that the two label
alike, the same with one labelling flipped, and each task's p(y = 1).
"""

import json
import pathlib

import numpy as np
from absl import app, flags

from echo_ib.data import io, synthetic

_DATA_DIR = flags.DEFINE_string("data_dir", None, "A folder holding var_u.mat.",
                                required=True)
_OUTPUT = flags.DEFINE_string("output", "results/twelve_bit_agreement.json",
                              "The JSON file to write.")


def _codes(x):
    """Each row's bits as the integer they spell (bit k of the integer = input k)."""
    return (np.asarray(x, np.int64) << np.arange(x.shape[1])).sum(1)


def main(argv):
    del argv
    path = io.find_file("var_u.mat", ["information_bottleneck", "ib", "twelve_bit"],
                        _DATA_DIR.value)
    theirs_x, theirs_y = synthetic.twelve_bit_task(_DATA_DIR.value, "all")
    ours_x, ours_y = synthetic.regenerated_task()
    codes = _codes(theirs_x)
    if sorted(codes.tolist()) != list(range(2**12)):
        raise SystemExit(f"{path}: the inputs are not the 4,096 12-bit vectors.")
    ours_by_code = ours_y[np.argsort(_codes(ours_x))]
    same = float(np.mean(ours_by_code[codes] == theirs_y))
    result = {"file": pathlib.Path(path).name, "inputs": int(len(codes)),
              "agree": same, "agree_flipped": 1.0 - same,
              "p_y1_theirs": float(np.mean(theirs_y)), "p_y1_regenerated": float(np.mean(ours_y))}
    pathlib.Path(_OUTPUT.value).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    app.run(main)
