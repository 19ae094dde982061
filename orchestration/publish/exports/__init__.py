"""Report-ready exports of the published warehouse (issue 5).

`write_exports` reads only the published file and writes one complete run folder under
`exports/runs/`, then points `exports/latest` at it in one atomic rename. See `build.py`.

Heavy imports (matplotlib, openpyxl) happen inside `write_exports`, so importing this package
from the Dagster code location stays cheap.
"""

from orchestration.publish.exports.build import ExportError, ExportResult, write_exports

__all__ = ["ExportError", "ExportResult", "write_exports"]
