"""The base of every model a phase answers with: a strict JSON schema, no extra keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PhaseModel(BaseModel):
    # The LLM sees these models as strict JSON schemas: no extra keys either way.
    model_config = ConfigDict(extra="forbid")
