"""Settings of the OpenAI provider, and the API keys, from the environment.

Every setting has a default. `LLMResource.from_env()` reads this model once, when the definitions
are built, and copies every setting into a resource field (the defaults of those fields are the
defaults here). Keys are `SecretStr`, are never copied into a field, and only ever leave this
module through the key pool.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from merlin_assets.gateway.keys import parse_keys

# Where the OpenAI SDK sends requests when `OPENAI_BASE_URL` is not set.
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Which length limits of the output schemas are sent: `all` (maxLength and maxItems), `items`
# (maxItems only: OpenAI's strict structured outputs reject a string's maxLength), `none`, or
# `auto` (`items` for api.openai.com and Azure OpenAI, `all` for any other server).
SchemaLimits = Literal["auto", "all", "items", "none"]


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/merlin` or `~/.cache/merlin`: one place per machine user."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "merlin"


class OpenAISettings(BaseSettings):
    """`MERLIN_*` settings of the OpenAI provider (see README, "Using OpenAI")."""

    model_config = SettingsConfigDict(env_prefix="MERLIN_", extra="ignore")

    chat_model: str = "gpt-4o-mini"
    phase_models: dict[str, str] = Field(default_factory=dict)
    image_model: str = "gpt-image-1"
    image_quality: Literal["low", "medium", "high", "standard", "hd", "auto"] = "medium"
    key_rpm: int = Field(default=500, ge=0)
    key_tpm: int = Field(default=200_000, ge=0)
    key_images_per_min: int = Field(default=5, ge=0)
    timeout_s: float = Field(default=60.0, gt=0)
    image_timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    max_output_tokens: int = Field(default=4096, ge=256)
    # Sampling; None sends nothing and leaves the server's default.
    temperature: float | None = Field(default=None, ge=0, le=2)
    seed: int | None = None
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    schema_limits: SchemaLimits = "auto"
    cache_dir: Path = Field(default_factory=default_cache_dir)
    cache: bool = True
    max_cost_usd: float | None = Field(default=None, gt=0)
    # The fact-check judge reads every item of model copy: one more call per item, on the
    # critical path. False leaves the copy to the rules' checks alone.
    fact_check: bool = True


class OpenAIEnvironment(BaseSettings):
    """The standard OpenAI variables: keys and the server to talk to."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    api_keys: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEYS", "openai_api_keys")
    )
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "openai_base_url")
    )

    def keys(self) -> list[str]:
        return parse_keys(
            self.api_keys.get_secret_value() if self.api_keys else None,
            self.api_key.get_secret_value() if self.api_key else None,
        )


def chosen_provider(setting: str, env: OpenAIEnvironment, endpoints_file: str | None) -> str:
    """`MERLIN_LLM` with `auto` resolved: openai exactly when a key or an endpoints file is set."""
    if setting == "auto":
        return "openai" if env.keys() or endpoints_file else "offline"
    return setting
