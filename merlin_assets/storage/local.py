"""Where phase results live between runs, so one phase, image or page can be redone alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from merlin_assets.config.project import ProjectConfig
from merlin_assets.paths import safe_child, write_atomic

M = TypeVar("M", bound=BaseModel)


class MissingArtifactError(LookupError):
    """An upstream result that was never materialized for this project."""


class ArtifactStore:
    """JSON per phase, files per image and page, under `root/<project>/`."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def project_dir(self, project_id: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return safe_child(self.root, project_id)

    def _phase_path(self, project_id: str, name: str) -> Path:
        return self.project_dir(project_id) / "phases" / f"{name}.json"

    def save(self, project_id: str, name: str, value: BaseModel) -> None:
        write_atomic(self._phase_path(project_id, name), value.model_dump_json(indent=1))

    def load(self, project_id: str, name: str, model: type[M]) -> M:
        path = self._phase_path(project_id, name)
        try:
            return model.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            raise MissingArtifactError(
                f"'{name}' has not been materialized for project '{project_id}'; "
                f"materialize it (or the whole project) first"
            ) from None

    def has(self, project_id: str, name: str) -> bool:
        return self._phase_path(project_id, name).exists()

    def load_config(self, project_id: str) -> ProjectConfig:
        return self.load(project_id, "project_config", ProjectConfig)

    def images_dir(self, project_id: str) -> Path:
        return self.project_dir(project_id) / "images"

    def pages_dir(self, project_id: str) -> Path:
        return self.project_dir(project_id) / "pages"

    def save_json(self, path: Path, data: dict | list) -> None:
        write_atomic(path, json.dumps(data, indent=1))
