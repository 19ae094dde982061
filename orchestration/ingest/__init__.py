"""Stage 1, ingest: archive, validate and load the landing folder into the `raw` schema."""
