"""Dagster code location of the policing and health collaboration survey warehouse."""
