"""Merlin assets: a business description in, a multi-page website out, as a Dagster asset graph."""
