"""`python -m orchestration.cli ...` is `phc ...` (the GX worker is started this way)."""

from orchestration.cli import main

main()
