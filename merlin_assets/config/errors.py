"""The error a project config that cannot be used raises."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A project config that cannot be used; the message names the file and the field."""

    def __init__(self, path: str | Path, field: str, reason: str):
        self.path = str(path)
        self.field = field
        self.reason = reason
        where = f"{self.path}: field '{field}'" if field else self.path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # Raised in the media pool's worker processes; pickled back with its three parts.
        return (type(self), (self.path, self.field, self.reason))
