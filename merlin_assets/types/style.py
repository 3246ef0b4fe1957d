"""The site's visual style: the palette every part draws and renders with."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from merlin_assets.types.phase_model import PhaseModel


class Palette(PhaseModel):
    # Colours are #rrggbb: 7 characters.
    primary: str = Field(json_schema_extra={"maxLength": 7})
    secondary: str = Field(json_schema_extra={"maxLength": 7})
    accent: str = Field(json_schema_extra={"maxLength": 7})
    background: str = Field(json_schema_extra={"maxLength": 7})
    surface: str = Field(json_schema_extra={"maxLength": 7})
    text: str = Field(json_schema_extra={"maxLength": 7})
    muted_text: str = Field(json_schema_extra={"maxLength": 7})
    neutrals: list[Annotated[str, Field(json_schema_extra={"maxLength": 7})]] = Field(
        json_schema_extra={"maxItems": 6}
    )
