"""Thin entry kept for `python reference/generate.py` and for code that loads this file by path
(bench/synthetic.py reads the text pools through it). The generator is the package
reference/generator/: `python -m reference.generator --help`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reference.generator import *  # noqa: E402, F403  (the package's public names)
from reference.generator import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
