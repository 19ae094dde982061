"""Ingest: landing folder -> immutable archive -> validated load into the `raw` schema."""
