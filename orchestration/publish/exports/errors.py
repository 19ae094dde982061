"""The one exception of the exports package (its own module, so every step can raise it)."""


class ExportError(RuntimeError):
    """The export was refused or failed; `latest` still points at the previous complete run."""
