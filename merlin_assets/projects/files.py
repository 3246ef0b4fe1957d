"""The projects folder (or bucket prefix): which config files are new or changed.

Every look lists the source. A file whose listed fingerprint (size and mtime, or the bucket's
ETag) is unchanged is not read again; a changed one is read and hashed, and only a file whose
hash is new is parsed, once: the project id the run and its partition are keyed on lives
inside the file, and a file that cannot become a site should be reported (file, field,
reason) rather than start a run that is bound to fail. The run validates the file again
itself; this is routing.

A config's media files (logo, photos: paths relative to the folder) are watched too: their
fingerprints are kept beside the config's, a changed one is read and hashed, and a new media
content is a new run (its key ends with the media hash), as a new config content is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from merlin_assets.config.media import media_refs
from merlin_assets.config.project import MAX_CONFIG_BYTES, ConfigError, file_hash, parse_config_text
from merlin_assets.projects.sources import SUFFIXES, Entry, FolderSource, Source

# Changed files read at once: a bucket fetches a batch concurrently; the bound keeps a first
# look at 10,000 configs from holding them all in memory at the same time.
READ_BATCH = 500
# Read for a media file's hash; larger files are refused by the run (40 MB for a photo).
MEDIA_READ_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Found:
    """A valid config whose content has not been seen under this name before."""

    name: str
    project_id: str
    file_hash: str
    content_hash: str
    raw: bytes
    # The media files it names (relative paths) and a hash over their bytes; "" for none.
    media: tuple[str, ...] = ()
    media_hash: str = ""

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def run_key(self) -> str:
        media = f"-{self.media_hash}" if self.media_hash else ""
        return f"{self.project_id}-{self.file_hash}{media}"


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


@dataclass(frozen=True)
class FoundEdits:
    """An edits file (`bakery.edits.yaml`) whose content has not been seen under this name."""

    name: str
    file_hash: str
    # The project of the config beside it (`bakery.yaml`), when there is one.
    project_id: str | None

    @property
    def run_key(self) -> str:
        return f"{self.project_id}-edits-{self.file_hash}"


# `<config name>.edits.yaml` beside `<config name>.yaml` overrides what was generated (see
# `merlin_assets.edits`); it is not a config of its own.
EDITS_MARK = ".edits"


def is_edits_name(name: str) -> bool:
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix.lower()}" in SUFFIXES and stem.endswith(EDITS_MARK)


def config_stem(edits_name: str) -> str:
    """`bakery.edits.yaml` -> `bakery`: the name its config file starts with."""
    return edits_name.rpartition(".")[0].removesuffix(EDITS_MARK)


@dataclass
class Scan:
    found: list[Found]
    invalid: list[Invalid]
    # file name -> {"hash", and "project" or "field"/"reason"}: the next look's starting point.
    state: dict[str, dict]
    edits: list[FoundEdits] = field(default_factory=list)

    def invalid_now(self) -> list[Invalid]:
        """Every file currently in the folder that cannot be used, new or not."""
        return [
            Invalid(name, s["hash"], s.get("field", ""), s["reason"])
            for name, s in sorted(self.state.items())
            if "reason" in s
        ]


def config_files(folder: Path) -> list[Path]:
    """Config files directly in `folder`; hidden files, symlinks and edits files are not."""
    return [folder / e.name for e in FolderSource(folder).entries() if not is_edits_name(e.name)]


def scan(source: Source | Path, previous: dict[str, dict]) -> Scan:
    """Compare the source with the last look; read only what the listing says changed."""
    if isinstance(source, Path):
        source = FolderSource(source)
    found: list[Found] = []
    invalid: list[Invalid] = []
    edits: list[FoundEdits] = []
    state: dict[str, dict] = {}
    changed = []
    for entry in source.entries():
        seen = previous.get(entry.name)
        if (
            seen is not None
            and seen.get("fp") == entry.fingerprint
            and not _media_moved(source, seen)
        ):
            state[entry.name] = seen
        else:
            changed.append(entry)
    # What the listing says changed is read in batches (concurrently from a bucket); a file
    # removed or unreadable between listing and reading is left for the next look.
    for start in range(0, len(changed), READ_BATCH):
        batch = changed[start : start + READ_BATCH]
        raws = source.read_many([e.name for e in batch], MAX_CONFIG_BYTES + 1)
        for entry in batch:
            if entry.name not in raws:
                continue
            if is_edits_name(entry.name):
                _look_edits(entry, raws[entry.name], previous.get(entry.name), edits, state)
            else:
                _look(
                    source, entry, raws[entry.name], previous.get(entry.name), found, invalid, state
                )
    # An edits file belongs to the project of the config beside it, known once both are read.
    projects = {Path(n).stem: s["project"] for n, s in state.items() if "project" in s}
    edits = [FoundEdits(e.name, e.file_hash, projects.get(config_stem(e.name))) for e in edits]
    return Scan(found=found, invalid=invalid, state=dict(sorted(state.items())), edits=edits)


def _look_edits(
    entry: Entry,
    raw: bytes,
    seen: dict[str, str] | None,
    edits: list[FoundEdits],
    state: dict[str, dict],
) -> None:
    """One new or changed edits file: checked by the run that applies it, against the site."""
    digest = file_hash(raw)
    state[entry.name] = {"hash": digest, "fp": entry.fingerprint, "edits": "1"}
    if seen is None or seen.get("hash") != digest:
        edits.append(FoundEdits(entry.name, digest, None))


def _media_moved(source: Source, seen: dict) -> bool:
    """Whether any media file of a config looks changed since the last look (a stat each)."""
    media = seen.get("media")
    return bool(media) and source.media_fingerprints(sorted(media)) != media


def _media_hash(source: Source, rels: list[str]) -> str:
    """One hash over every media file's path and bytes (a missing file hashes as missing)."""
    outer = hashlib.sha256()
    for rel in sorted(rels):
        data = source.read_media(rel, MEDIA_READ_LIMIT)
        inner = hashlib.sha256(data).hexdigest() if data is not None else "missing"
        outer.update(f"{rel}\0{inner}\0".encode())
    return outer.hexdigest()[:12]


def _look(
    source: Source,
    entry: Entry,
    raw: bytes,
    seen: dict | None,
    found: list[Found],
    invalid: list[Invalid],
    state: dict[str, dict],
) -> None:
    """One new or changed file: the same bytes again, a config, or a reason it is not one."""
    name = entry.name
    digest = file_hash(raw)
    same_file = seen is not None and seen.get("hash") == digest
    if same_file and not seen.get("media"):  # type: ignore[union-attr]
        state[name] = {**seen, "fp": entry.fingerprint}  # type: ignore[dict-item]
        return
    try:
        config = parse_config_text(raw, source=name, suffix=Path(name).suffix.lower())
    except ConfigError as exc:
        bad = Invalid(name, digest, exc.field, exc.reason)
        invalid.append(bad)
        state[name] = {
            "hash": digest,
            "fp": entry.fingerprint,
            "field": bad.field,
            "reason": bad.reason,
        }
        return
    rels = sorted({value for _, value, _ in media_refs(config)})
    fingerprints = source.media_fingerprints(rels) if rels else {}
    kept = {"hash": digest, "fp": entry.fingerprint, "project": config.project_id}
    media_hash = ""
    if fingerprints:  # a source that watches media (a folder)
        if same_file and seen.get("media") == fingerprints:  # type: ignore[union-attr]
            state[name] = {**seen, "fp": entry.fingerprint}  # type: ignore[dict-item]
            return
        media_hash = _media_hash(source, rels)
        kept = {**kept, "media": fingerprints, "media_hash": media_hash}
        if same_file and seen.get("media_hash") == media_hash:  # type: ignore[union-attr]
            state[name] = kept  # touched, not changed
            return
    found.append(
        Found(
            name,
            config.project_id,
            digest,
            config.content_hash(),
            raw,
            media=tuple(rels) if fingerprints else (),
            media_hash=media_hash,
        )
    )
    state[name] = kept
