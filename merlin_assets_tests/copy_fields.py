"""A site's copy as the content gate reads it, from an offline build.

Two ways to build one project's copy without a model, giving the same values by node name
(`site_pages` maps each page slug to `(page file or None, PageCopy)`):

- `build_rules` calls the rule-based writers directly, wired as the phase graph wires them
  (fast: no images, no rendering);
- `build_offline` runs the whole graph through the engine with the offline model (every
  phase falls back to its rule-based writer), on folders of the caller's own.

`site_fields` turns either into the `CopyField`s of every piece of visitor copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from merlin_assets.config import ProjectConfig
from merlin_assets.content_gate import CopyField, Facts, Finding, check_site
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets_tests.phase_support import WRITERS, Inputs, run_whole_site, scheduler


def build_rules(config: ProjectConfig) -> dict[str, Any]:
    """Every rule-based writer up to page copy, as the phase graph wires them."""
    out: dict[str, Any] = {"project_config": config}
    for phase in ("design_context", "design_strategy", "section_plan"):
        out[phase] = WRITERS[phase](Inputs(config=config))
    out["layout"] = WRITERS["layout"](
        Inputs(
            config=config, section_plan=out["section_plan"], design_strategy=out["design_strategy"]
        )
    )
    out["page_plan"] = WRITERS["page_plan"](Inputs(config=config, section_plan=out["section_plan"]))
    out["copywriting"] = WRITERS["copywriting"](
        Inputs(
            config=config,
            design_context=out["design_context"],
            design_strategy=out["design_strategy"],
            section_plan=out["section_plan"],
        )
    )
    out["seo_strategy"] = WRITERS["seo_strategy"](
        Inputs(config=config, design_context=out["design_context"], page_plan=out["page_plan"])
    )
    out["site_pages"] = {
        page.slug: (
            None,
            WRITERS["page_copy"](
                Inputs(
                    config=config,
                    page=page,
                    page_plan=out["page_plan"],
                    section_plan=out["section_plan"],
                    layout=out["layout"],
                    copywriting=out["copywriting"],
                    design_context=out["design_context"],
                )
            ),
        )
        for page in out["page_plan"].pages
    }
    return out


def build_offline(config: ProjectConfig, root: Path) -> dict[str, Any]:
    """Node name -> value (partitioned nodes: item key -> value) of one engine build."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{config.project_id}.yaml"
    path.write_text(
        yaml.safe_dump(config.model_dump(mode="json", exclude_none=True), sort_keys=False),
        encoding="utf-8",
    )
    values: dict[str, Any] = {}

    def keep(event: Any) -> None:
        if event.partition is None:
            values[event.asset] = event.value
        else:
            values.setdefault(event.asset, {})[event.partition] = event.value

    run_whole_site(
        scheduler(
            project_id=config.project_id,
            llm=OfflineLLM(),
            work=root / "work",
            sites=root / "sites",
            emit=keep,
            config_path=path,
        )
    )
    return values


def site_fields(values: dict[str, Any]) -> list[CopyField]:
    """Every field of visitor copy: the site-wide messaging, SEO titles and every page."""
    cw, it = values["copywriting"], "copywriting"
    fields = [
        CopyField(it, "tagline", "heading", cw.tagline),
        CopyField(it, "value_proposition", "body", cw.value_proposition),
        CopyField(it, "cta_labels.primary", "button", cw.cta_labels.primary),
        CopyField(it, "cta_labels.secondary", "button", cw.cta_labels.secondary),
    ]
    fields += [
        CopyField(it, f"key_messages[{i}]", "list_item", m) for i, m in enumerate(cw.key_messages)
    ]
    for i, s in enumerate(cw.services):
        fields.append(CopyField(it, f"services[{i}].description", "description", s.description))
    for i, f in enumerate(cw.faqs):
        fields.append(CopyField(it, f"faqs[{i}].question", "list_item", f.question))
        fields.append(CopyField(it, f"faqs[{i}].answer", "body", f.answer))
    for i, t in enumerate(cw.testimonials):
        fields.append(CopyField(it, f"testimonials[{i}].quote", "quote", t.quote))
        fields.append(CopyField(it, f"testimonials[{i}].author", "name", t.author))
    seo = values["seo_strategy"]
    fields.append(CopyField("seo_strategy", "site_title", "title", seo.site_title))
    for i, p in enumerate(seo.pages):
        fields.append(CopyField("seo_strategy", f"pages[{i}].title", "title", p.title))
        fields.append(
            CopyField("seo_strategy", f"pages[{i}].description", "description", p.description)
        )
    for slug, (_, page) in values["site_pages"].items():
        item = f"page:{slug}"
        for i, s in enumerate(page.sections):
            at = f"sections[{i}]"
            fields += [
                CopyField(item, f"{at}.eyebrow", "eyebrow", s.eyebrow),
                CopyField(item, f"{at}.heading", "heading", s.heading),
                CopyField(item, f"{at}.body", "body", s.body),
                CopyField(item, f"{at}.cta_label", "button", s.cta_label),
            ]
            fields += [
                CopyField(item, f"{at}.bullets[{j}]", "list_item", b)
                for j, b in enumerate(s.bullets)
            ]
    return fields


def site_findings(config: ProjectConfig, values: dict[str, Any]) -> list[Finding]:
    """The content gate's findings on the whole site of one build."""
    return check_site(site_fields(values), Facts.from_config(config))
