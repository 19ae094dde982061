"""Stage 4, publish: the analysts' copy of the marts and the report exports, switched in
together."""
