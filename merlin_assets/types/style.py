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


# No docstrings on these two: pydantic would put them in the JSON schema the model is sent.
class Fonts(PhaseModel):
    # The heading and body families. The style_system node's schema narrows both to the families
    # render.fonts serves (an enum); the value type stays a plain string, because a config's
    # brand font and a non-strict server's answer may name anything. FONT_RE allows 40 characters.
    heading: str = Field(json_schema_extra={"maxLength": 40})
    body: str = Field(json_schema_extra={"maxLength": 40})


class StyleSystem(PhaseModel):
    # The site's visual style, as render and the image nodes read it; the style_system node
    # writes it (its schema subclass only adds the served fonts' enum).
    palette: Palette
    fonts: Fonts
    base_font_px: int = Field(description="16-20")
    type_scale_ratio: float = Field(description="1.125-1.333")
    spacing_unit_px: int = Field(description="4-12")
    radius_px: int = Field(description="0-24")
    shadow_strength: float = Field(description="0 (flat) to 1 (deep)")
    mood: str = Field(json_schema_extra={"maxLength": 80})
