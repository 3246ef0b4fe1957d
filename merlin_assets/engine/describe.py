"""Alt text for the business's photos that have none, written by a model that can see.

Only where the config gives a photo without `alt` and an endpoint pool has a `vision` route:
the photo is sent small and cleaned of metadata (`media.for_model`), and the description is
read by the content gate like any copy (no invented names, awards, figures or claims). Text
that fails is asked for once more with the findings; failing again, or no answer at all, is a
`ConfigError` naming the photo's file and the field to fill in. Without a vision model a
missing alt is the same error before anything runs, and no photo is ever sent to a model.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from merlin_assets.config.errors import ConfigError
from merlin_assets.config.media import ALT_MAX, missing_alt
from merlin_assets.content_gate import CopyField, Facts, Finding, check_copy
from merlin_assets.engine.gate import redo_note
from merlin_assets.llm.base import LLM, CallRecord, ChatRequest
from merlin_assets.llm.endpoints import VISION_ROUTE
from merlin_assets.media.check import check_media
from merlin_assets.media.for_model import model_jpeg
from merlin_assets.media.serve import config_file
from merlin_assets.phases.base import NodeInputs
from merlin_assets.prompts import describe_photo
from merlin_assets.types.images import PhotoAlt

if TYPE_CHECKING:
    from merlin_assets.config.media import Photo
    from merlin_assets.config.project import ProjectConfig
    from merlin_assets.engine.scheduler import Clock

# One sentence of at most 125 characters is ~35 tokens; this leaves room for the JSON around it.
OUTPUT_TOKENS = 200


async def describe_photos(
    llm: LLM, config: ProjectConfig, source: Path | str | None, clock: Clock
) -> list[CallRecord]:
    """Fill in the alt of every photo that has none, in place; the calls it took.

    Raises:
        ConfigError: A photo has no alt and no vision model is configured, or the model's
            description could not be had or failed the content gate twice.
    """
    missing = [(i, p) for i, p in enumerate(config.photos) if p.alt is None]
    if not missing:
        return []
    if not llm.vision:
        raise ConfigError(str(source or "(stored config)"), *missing_alt(config.photos))  # type: ignore[misc]
    checked = check_media(config, config_file(source))
    facts = Facts.from_config(config)
    found = await asyncio.gather(
        *(
            _describe(llm, config, str(source), i, photo, checked, facts, clock)
            for i, photo in missing
        )
    )
    calls: list[CallRecord] = []
    for (_, photo), (alt, made) in zip(missing, found, strict=True):
        photo.alt = alt
        calls += made
    return calls


async def _describe(
    llm: LLM,
    config: ProjectConfig,
    source: str,
    index: int,
    photo: Photo,
    checked: dict,
    facts: Facts,
    clock: Clock,
) -> tuple[str, list[CallRecord]]:
    field, file_field = f"photos[{index}].alt", f"photos[{index}].file"
    media = checked[file_field]
    image = await asyncio.to_thread(
        model_jpeg, media.path, media.digest, source=source, field=file_field
    )
    people = [m.name for m in config.team if m.photo and m.photo.lower() == photo.file.lower()]
    first = ChatRequest(
        phase=VISION_ROUTE,
        item=f"photo:{photo.file}",
        system=describe_photo.SYSTEM,
        prompt=describe_photo.prompt(config, photo, people),
        schema=PhotoAlt,
        inputs=NodeInputs(config=config),
        max_output_tokens=OUTPUT_TOKENS,
        image=image,
    )
    request, calls = first, []
    for _ in range(2):
        async with clock.slot():
            try:
                result = await llm.chat(request)
            except Exception as exc:  # a provider bug is this photo's error, named as such
                raise ConfigError(
                    source,
                    field,
                    f"missing for {photo.file!r}, and asking the vision model failed "
                    f"({type(exc).__name__}: {str(exc)[:160]}); add alt: a short description "
                    "of what the photo shows",
                ) from exc
        result.call.kind = VISION_ROUTE
        calls.append(result.call)
        if result.fallback:
            raise ConfigError(
                source,
                field,
                f"missing for {photo.file!r}, and the vision model gave no description "
                f"({result.call.fallback_reason[:160]}); add alt: a short description of what "
                "the photo shows",
            )
        text = " ".join(result.value.alt.split())
        findings = _findings(request.item, field, text, facts)
        if not findings:
            return text, calls
        request = dataclasses.replace(first, prompt=first.prompt + redo_note(findings))
    raise ConfigError(
        source,
        field,
        f"missing for {photo.file!r}, and the vision model's description failed the content "
        f"gate twice ({'; '.join(f.message for f in findings)[:240]}); add alt: a short "
        "description of what the photo shows",
    )


def _findings(item: str, field: str, text: str, facts: Facts) -> list[Finding]:
    """The content gate's errors on one description, and its length against alt's limit."""
    found = [
        f
        for f in check_copy([CopyField(item, field, "description", text)], facts)
        if f.severity == "error"
    ]
    if not text.strip() and not found:
        found.append(Finding(item, field, "empty", "the description is empty"))
    elif len(text) > ALT_MAX:
        found.append(
            Finding(
                item, field, "too_long", f"{len(text)} characters; alt text is {ALT_MAX} at most"
            )
        )
    return found
