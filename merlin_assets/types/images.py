"""The images of a site: the plan's entries, and each image as saved in web sizes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from merlin_assets.types.field_limits import ALT_MAX
from merlin_assets.types.phase_model import PhaseModel

ImagePurpose = Literal["hero", "supporting", "icon", "background"]


Aspect = Literal["16:9", "4:3", "3:2", "1:1"]


class PlannedImage(PhaseModel):
    key: str = Field(json_schema_extra={"maxLength": 50})
    section_key: str = Field(json_schema_extra={"maxLength": 50})
    purpose: ImagePurpose
    prompt: str = Field(json_schema_extra={"maxLength": 400})
    # Empty is the rules' answer (no model saw the photo), which the caller knows by the call.
    alt: str = Field(default="", json_schema_extra={"maxLength": ALT_MAX})
    aspect: Aspect


class ImagePlan(PhaseModel):
    images: list[PlannedImage] = Field(json_schema_extra={"maxItems": 10})


class ImageFile(BaseModel):
    """One image (generated, drawn or the business's own photo) as saved, in every web size."""

    key: str
    alt: str
    width: int
    height: int
    files: dict[str, str] = Field(description="width in px (as text) -> file name")
    fallback: str = Field(description="file name of the JPEG for old browsers")
    source: Literal["offline", "openai", "fallback", "user"]
    # AVIF files of a user's photo (width -> file name); generated images have WebP only.
    avif: dict[str, str] = Field(default_factory=dict)
    # A user's photo: the config's `file` it was cut from, and whether the run that saved
    # this record took its files from the media cache (a changed photo redoes only its slots).
    photo: str = ""
    cached: bool = False
    # Shown under the image until it loads (`imaging.placeholder`); empty in records saved
    # before placeholders were made, which then go without.
    color: str = Field(default="", pattern=r"^(#[0-9a-f]{6})?$")
    thumb: str = Field(default="", pattern=r"^(data:image/webp;base64,[A-Za-z0-9+/=]+)?$")


class PhotoAlt(PhaseModel):
    """A vision model's description of one of the business's photos, used as its alt text."""

    # Empty is the rules' answer (no model saw the photo), which the caller knows by the call.
    alt: str = Field(default="", json_schema_extra={"maxLength": ALT_MAX})
