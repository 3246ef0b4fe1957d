"""Settings from the environment, with the defaults a new user gets.

`dg.EnvVar` has no default, and every one of these has a sensible one, so the resources'
`from_env()` read this model once, when the definitions are built, and carry the values as
fields (shown in the UI and the run config). Fields' defaults are the defaults here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MERLIN_", extra="ignore")

    llm: Literal["auto", "offline", "openai"] = "auto"
    max_concurrency: int = Field(default=8, ge=1, le=256)
    sites_dir: Path = Path("sites")
    work_dir: Path | None = None
    # A folder, or an s3://bucket/prefix on a fleet (the projects sensor watches either).
    projects_dir: str = "projects"
    timings_db: Path | None = None
    # MERLIN_REDIS_URL: share rate budgets, cooldowns, spending caps and text replies across
    # machines through Redis (gateway/shared_state.py); unset keeps them on this machine.
    redis_url: str | None = None
    # MERLIN_STORAGE_URL (s3://bucket/prefix): phase results, images, pages, published sites
    # and run timings in object storage (merlin_assets/storage); unset keeps local folders.
    storage_url: str | None = None
    # MERLIN_S3_ENDPOINT_URL: the S3 API endpoint of a non-AWS store (MinIO, Ceph, moto).
    s3_endpoint_url: str | None = None
    # MERLIN_KEEP_RELEASES: releases kept per project; the live one and the one before it
    # always stay (merlin_assets/releases).
    keep_releases: int = Field(default=20, ge=2, le=10_000)
