"""Dagster objects only: assets, checks, jobs, partitions, resources and sensors."""
