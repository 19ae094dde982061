"""Stage 3, quality: the Great Expectations gates that a refresh must pass to publish."""
