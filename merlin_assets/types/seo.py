"""The site's search metadata: a title and description per page, and the organization."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from merlin_assets.types.field_limits import (
    DESCRIPTION_MAX,
    TITLE_MAX,
)
from merlin_assets.types.phase_model import PhaseModel


class PageSeo(PhaseModel):
    slug: str = Field(json_schema_extra={"maxLength": 50})
    title: str = Field(
        description="at most 60 characters", json_schema_extra={"maxLength": TITLE_MAX}
    )
    description: str = Field(
        description="at most 160 characters", json_schema_extra={"maxLength": DESCRIPTION_MAX}
    )
    keywords: list[Annotated[str, Field(json_schema_extra={"maxLength": 40})]] = Field(
        json_schema_extra={"maxItems": 6}
    )


class Organization(PhaseModel):
    name: str = Field(json_schema_extra={"maxLength": 80})
    description: str = Field(json_schema_extra={"maxLength": 300})
    area_served: str = Field(json_schema_extra={"maxLength": 80})
    telephone: str = Field(json_schema_extra={"maxLength": 30})
    email: str = Field(json_schema_extra={"maxLength": 80})


class SeoStrategy(PhaseModel):
    site_title: str = Field(json_schema_extra={"maxLength": TITLE_MAX})
    schema_type: str = Field(
        description="a schema.org LocalBusiness or Organization subtype",
        json_schema_extra={"maxLength": 40},
    )
    organization: Organization
    og_type: str = Field(json_schema_extra={"maxLength": 20})
    pages: list[PageSeo] = Field(json_schema_extra={"maxItems": 8})
