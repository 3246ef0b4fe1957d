"""The projects folder: which config files are new or changed since the last look.

Every look lists the folder and hashes each file's bytes. Only a file whose hash is new is
parsed, once: the project id the run and its partition are keyed on lives inside the file,
and a file that cannot become a site should be reported (file, field, reason) rather than
start a run that is bound to fail. The run validates the file again itself; this is routing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from merlin_assets.config import MAX_CONFIG_BYTES, ConfigError, file_hash, parse_config_text

SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass(frozen=True)
class Found:
    """A valid config whose content has not been seen under this name before."""

    name: str
    project_id: str
    file_hash: str
    content_hash: str
    raw: bytes

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def run_key(self) -> str:
        return f"{self.project_id}-{self.file_hash}"


@dataclass(frozen=True)
class Invalid:
    name: str
    file_hash: str
    field: str
    reason: str

    @property
    def message(self) -> str:
        where = f"field '{self.field}'" if self.field else "file"
        return f"{self.name}: {where}: {self.reason}"


@dataclass
class Scan:
    found: list[Found]
    invalid: list[Invalid]
    # file name -> {"hash", and "project" or "field"/"reason"}: the next look's starting point.
    state: dict[str, dict[str, str]]

    def invalid_now(self) -> list[Invalid]:
        """Every file currently in the folder that cannot be used, new or not."""
        return [
            Invalid(name, s["hash"], s.get("field", ""), s["reason"])
            for name, s in sorted(self.state.items())
            if "reason" in s
        ]


def config_files(folder: Path) -> list[Path]:
    """Config files directly in `folder`; hidden files and symlinks are not configs."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SUFFIXES
        and not p.name.startswith(".")
        and not p.is_symlink()
        and p.is_file()
    )


def scan(folder: Path, previous: dict[str, dict[str, str]]) -> Scan:
    """Compare the folder with the last look; parse only what changed."""
    found: list[Found] = []
    invalid: list[Invalid] = []
    state: dict[str, dict[str, str]] = {}
    for path in config_files(folder):
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_CONFIG_BYTES + 1)
        except OSError:
            continue  # removed or unreadable between listing and reading: next look
        digest = file_hash(raw)
        seen = previous.get(path.name)
        if seen is not None and seen.get("hash") == digest:
            state[path.name] = seen
            continue
        try:
            config = parse_config_text(raw, source=path.name, suffix=path.suffix.lower())
        except ConfigError as exc:
            bad = Invalid(path.name, digest, exc.field, exc.reason)
            invalid.append(bad)
            state[path.name] = {"hash": digest, "field": bad.field, "reason": bad.reason}
            continue
        found.append(Found(path.name, config.project_id, digest, config.content_hash(), raw))
        state[path.name] = {"hash": digest, "project": config.project_id}
    return Scan(found=found, invalid=invalid, state=state)
