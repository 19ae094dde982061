"""Command line: python -m reference.generator [--wave 2019] [--out DIR] [--check-curated [DIR]]."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from reference.generator.build import reconstruct
from reference.generator.curated import missing_rows, requirements
from reference.generator.extracts import write_extracts
from reference.generator.settings import CURATED_SEEDS_DIR, EXTRACTS_DIR
from reference.generator.wave_2019 import WAVE_2019_DIR, build_wave_2019, write_wave_2019

DESCRIPTION = "Rebuild the reference survey extracts (a reconstruction, not the real responses)."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference.generator", description=DESCRIPTION)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the extracts (default reference/extracts/, or reference/wave_2019/ "
        "with --wave 2019)",
    )
    parser.add_argument(
        "--wave",
        choices=("2017", "2019"),
        default="2017",
        help="2017: the report's exports (the default); 2019: a plausible second wave, derived "
        "from them, for tests and the demo",
    )
    parser.add_argument(
        "--check-curated",
        nargs="?",
        const=CURATED_SEEDS_DIR,
        type=Path,
        metavar="DIR",
        help="write nothing: list the rows the hand-kept seeds (default seeds/curated/) lack "
        "for these extracts, and exit 1 if any",
    )
    args = parser.parse_args(argv)
    reconstruction = reconstruct()
    if args.check_curated is not None:
        return report_missing(reconstruction, args.check_curated)
    if args.wave == "2019":
        police, national = build_wave_2019(reconstruction)
        written = write_wave_2019(args.out or WAVE_2019_DIR, police, national)
    else:
        written = write_extracts(
            args.out or EXTRACTS_DIR, reconstruction.police, reconstruction.national
        )
    for path in written:
        print(f"wrote {path}")
    return 0


def report_missing(reconstruction, curated_dir: Path) -> int:
    missing = missing_rows(reconstruction, curated_dir)
    columns = {need.seed: need.columns for need in requirements(reconstruction)}
    writer = csv.writer(sys.stdout, lineterminator="\n")
    for seed, rows in missing.items():
        print(f"# {curated_dir / seed} lacks {len(rows)} row(s) the extracts need:")
        writer.writerow(columns[seed])
        writer.writerows(rows)
    if not missing:
        print(f"{curated_dir} holds every row the reference extracts need")
    return 1 if missing else 0
