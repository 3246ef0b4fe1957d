"""What a phase knows when it runs: the config and whichever upstream outputs it depends on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from merlin_assets.config import ProjectConfig
from merlin_assets.models import (
    Copywriting,
    DesignContext,
    DesignStrategy,
    ImagePlan,
    Layout,
    Page,
    PagePlan,
    SectionPlan,
    SeoStrategy,
    StyleSystem,
)


@dataclass(frozen=True)
class Inputs:
    """Upstream results handed to a prompt builder or a rule-based writer.

    Fields a phase does not depend on stay None, so a writer that reads one it should not
    fails loudly instead of depending on something the graph does not promise.
    """

    config: ProjectConfig
    design_strategy: DesignStrategy | None = None
    design_context: DesignContext | None = None
    section_plan: SectionPlan | None = None
    style_system: StyleSystem | None = None
    layout: Layout | None = None
    page_plan: PagePlan | None = None
    image_plan: ImagePlan | None = None
    copywriting: Copywriting | None = None
    seo_strategy: SeoStrategy | None = None
    page: Page | None = None

    def seed(self, salt: str) -> int:
        """A stable seed per project and purpose, so offline output is deterministic."""
        digest = hashlib.sha256(f"{self.config.content_hash()}:{salt}".encode()).digest()
        return int.from_bytes(digest[:8], "big")
