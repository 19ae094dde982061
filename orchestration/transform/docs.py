"""`make docs`: dbt docs (models, columns, tests, lineage) under PHC_DATA_DIR/dbt_docs/.

`--static` also writes static_index.html, one self-contained file that opens from disk without
a web server. The catalog (column types) is read from a *copy* of the working warehouse: dbt
would open the working file for writing, which would clash with a refresh that is running.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

from orchestration.runtime.settings import Settings
from orchestration.transform.runner import run_dbt


def generate_docs(settings: Settings | None = None) -> Path:
    """Generate the docs; returns the path of the self-contained static_index.html."""
    settings = settings or Settings.from_env()
    target = settings.dbt_docs_dir
    args = ["docs", "generate", "--static", "--target-path", str(target)]
    with tempfile.TemporaryDirectory(prefix="phc-dbt-docs-") as scratch:
        # Same settings, but the data folder is the scratch one: dbt sees only the copy.
        docs_settings = dataclasses.replace(settings, data_dir=Path(scratch))
        if settings.warehouse_path.is_file():
            shutil.copy2(settings.warehouse_path, docs_settings.warehouse_path)
        else:  # before the first refresh: docs from the project alone, no column types
            args.append("--empty-catalog")
        code = run_dbt(args, docs_settings)
    index = target / "static_index.html"
    if code != 0 or not index.is_file():
        raise RuntimeError(f"dbt docs generate failed (exit code {code}); see its output above.")
    return index


def main() -> int:
    try:
        index = generate_docs()
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"dbt docs: open {index} in a browser (one file, works offline).")
    print(f"Or serve {index.parent} (index.html + manifest.json + catalog.json).")
    return 0
